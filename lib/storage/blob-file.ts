import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VerifyStream, type VerifyLimits } from '@/lib/storage/verify-stream';

/**
 * The local store's file format: a fixed 4 KiB header holding the metadata as padded JSON, then the bytes.
 *
 * Metadata and data live in one file so that a single rename publishes both: a reader sees the old object or
 * the new one, never the new bytes with the old sha256. A sidecar JSON file would need two renames, which
 * are not atomic together; extended attributes have no API in Node without a native module, and are lost by
 * some filesystems and copy tools. The price is that a blob file is not the raw object: read it through the
 * store (or skip the first 4,096 bytes).
 */
export const HEADER_BYTES = 4096;
const FORMAT = 'backfill-blob/1';
/** Large reads and writes: fewer system calls per gigabyte than the 64 KiB default. */
const IO_CHUNK_BYTES = 1024 * 1024;

export interface BlobHeader {
  size: number;
  sha256: string;
  contentType: string;
  createdAt: Date;
}

function encodeHeader(header: BlobHeader): Buffer {
  const json = JSON.stringify({
    format: FORMAT,
    size: header.size,
    sha256: header.sha256,
    contentType: header.contentType,
    createdAt: header.createdAt.toISOString(),
  });
  // JSON.parse ignores trailing whitespace, so the padding needs no length field.
  const buffer = Buffer.alloc(HEADER_BYTES, 0x20);
  if (buffer.write(json, 0, 'utf8') !== Buffer.byteLength(json)) throw new Error('Blob header too long.');
  return buffer;
}

function decodeHeader(buffer: Buffer, file: string): BlobHeader {
  const parsed = JSON.parse(buffer.toString('utf8')) as Record<string, unknown>;
  const { size, sha256, contentType, createdAt } = parsed;
  if (
    parsed.format !== FORMAT ||
    typeof size !== 'number' ||
    typeof sha256 !== 'string' ||
    typeof contentType !== 'string' ||
    typeof createdAt !== 'string'
  )
    throw new Error(`Not a blob file: ${file}`);
  return { size, sha256, contentType, createdAt: new Date(createdAt) };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** An open blob: header and body come from the same file even if the name is replaced meanwhile. */
export interface OpenBlob {
  header: BlobHeader;
  handle: FileHandle;
}

/** Opens a blob file for reading, or returns null when there is none. */
export async function openBlob(file: string): Promise<OpenBlob | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    if (bytesRead !== HEADER_BYTES) throw new Error(`Truncated blob file: ${file}`);
    return { header: decodeHeader(buffer, file), handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export async function readBlobHeader(file: string): Promise<BlobHeader | null> {
  const blob = await openBlob(file);
  if (!blob) return null;
  await blob.handle.close();
  return blob.header;
}

/** A stream of the body bytes `start`..`end` (inclusive) of an open blob; it closes the file when done. */
export function blobBodyStream(blob: OpenBlob, start: number, end: number): Readable {
  return blob.handle.createReadStream({
    start: HEADER_BYTES + start,
    end: HEADER_BYTES + end,
    highWaterMark: IO_CHUNK_BYTES,
    autoClose: true,
  });
}

/** Flushes a directory entry (a rename or unlink) to disk, so the change survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WriteBlobOptions extends VerifyLimits {
  contentType: string;
  createdAt: Date;
}

/**
 * Streams `source` into `file` as a blob: into a temporary file beside it (same directory, so the rename is
 * atomic), verified while it streams, then header written, fsync, rename, fsync of the directory. A body that
 * is too long, short, or hashes wrong fails the stream before the rename: the temporary file is removed and
 * `file` is untouched.
 */
export async function writeBlobFile(
  file: string,
  source: Readable | (() => AsyncIterable<Buffer>),
  options: WriteBlobOptions,
): Promise<BlobHeader> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    const verify = new VerifyStream(options);
    // The body goes after the header's space; the header is written once the body is known good.
    const sink = createWriteStream(temp, {
      flags: 'wx',
      mode: 0o640,
      start: HEADER_BYTES,
      highWaterMark: IO_CHUNK_BYTES,
    });
    await pipeline(source, verify, sink);
    const header: BlobHeader = {
      size: verify.bytes,
      sha256: verify.sha256 as string,
      contentType: options.contentType,
      createdAt: options.createdAt,
    };
    const handle = await open(temp, 'r+');
    try {
      await handle.write(encodeHeader(header), 0, HEADER_BYTES, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncDirectory(dir);
    return header;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
