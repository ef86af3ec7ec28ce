import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SignedTransfer } from '@/lib/files/schemas';

/**
 * The agent's byte transfers: downloads streamed to disk and verified (size and sha256) before they appear
 * under their name, and uploads streamed from disk to a signed URL. Nothing is held whole in memory.
 */

export class TransferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferError';
  }
}

/** A file's size and sha256, read once as a stream. */
export async function hashFile(file: string): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}

export interface DownloadExpectation {
  sha256: string | null;
  sizeBytes: number | null;
  /** Refuse more bytes than this when the size is not known. */
  maxBytes: number;
}

/**
 * GETs `url` into `dest`: written to a hidden temporary file beside it while hashing, checked, then renamed, so
 * `dest` is either the whole verified file or absent. Returns its size and sha256.
 */
export async function downloadToFile(
  fetcher: typeof fetch,
  url: string,
  dest: string,
  expected: DownloadExpectation,
  signal?: AbortSignal,
): Promise<{ sizeBytes: number; sha256: string }> {
  await mkdir(path.dirname(dest), { recursive: true });
  const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.part`);
  const response = await fetcher(url, { redirect: 'error', signal });
  if (!response.ok || !response.body)
    throw new TransferError(`GET ${redactUrl(url)} answered ${response.status}`);
  const limit = expected.sizeBytes ?? expected.maxBytes;
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(temp, 'w', 0o600);
  try {
    for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > limit) throw new TransferError(`${path.basename(dest)} is larger than ${limit} bytes`);
      hash.update(bytes);
      await handle.write(bytes);
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  const sha256 = hash.digest('hex');
  const problem =
    expected.sizeBytes !== null && size !== expected.sizeBytes
      ? `is ${size} bytes, expected ${expected.sizeBytes}`
      : expected.sha256 !== null && sha256 !== expected.sha256
        ? `has sha256 ${sha256}, expected ${expected.sha256}`
        : null;
  if (problem) {
    await rm(temp, { force: true });
    throw new TransferError(`${path.basename(dest)} ${problem}`);
  }
  await rename(temp, dest);
  return { sizeBytes: size, sha256 };
}

/** Bytes to upload: a file on disk (streamed), or a small buffer. */
export type UploadSource = { file: string } | { bytes: Uint8Array };

export async function sourceDigest(source: UploadSource): Promise<{ sizeBytes: number; sha256: string }> {
  if ('file' in source) return hashFile(source.file);
  return { sizeBytes: source.bytes.length, sha256: createHash('sha256').update(source.bytes).digest('hex') };
}

/** PUTs the bytes to a signed URL with the headers it was signed with. */
export async function uploadSource(
  fetcher: typeof fetch,
  transfer: SignedTransfer,
  source: UploadSource,
  signal?: AbortSignal,
): Promise<void> {
  const size = 'file' in source ? (await stat(source.file)).size : source.bytes.length;
  const body: BodyInit =
    'file' in source
      ? (Readable.toWeb(createReadStream(source.file)) as unknown as ReadableStream<Uint8Array>)
      : new Blob([source.bytes as Uint8Array<ArrayBuffer>]);
  // Node's fetch needs `duplex: 'half'` for a streamed body; the DOM types do not know it.
  const init: RequestInit & { duplex: 'half' } = {
    method: 'PUT',
    headers: { ...transfer.headers, 'content-length': String(size) },
    body,
    signal,
    duplex: 'half',
  };
  const response = await fetcher(transfer.url, init);
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new TransferError(
      `PUT ${redactUrl(transfer.url)} answered ${response.status} ${text.slice(0, 200)}`,
    );
  }
  await response.body?.cancel();
}

/** A URL without its query (signatures stay out of logs). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
