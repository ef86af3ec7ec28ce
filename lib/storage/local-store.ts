import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { systemClock, type Clock } from '@/lib/clock';
import {
  HEADER_BYTES,
  blobBodyStream,
  openBlob,
  readBlobHeader,
  syncDirectory,
  writeBlobFile,
} from '@/lib/storage/blob-file';
import { StorageError, isStorageError } from '@/lib/storage/errors';
import { assertObjectKey } from '@/lib/storage/keys';
import { listTree } from '@/lib/storage/local-list';
import {
  type BlobStore,
  type ByteRange,
  type ListOptions,
  type ListedObject,
  type ObjectBody,
  type ObjectInfo,
  type ObjectPage,
  type PartInfo,
  type PartOptions,
  type PutOptions,
  type SignedUrl,
  type SignedUrlRequest,
  type UploadInfo,
  type UploadState,
} from '@/lib/storage/store';
import {
  assertSigningSecret,
  signStorageUrl,
  verifyStorageUrl,
  type StorageUrlClaims,
} from '@/lib/storage/url-signing';
import {
  assertUploadId,
  checkAssembly,
  checkListArguments,
  checkPartOptions,
  checkPutOptions,
  checkSignedUrlRequest,
  newUploadId,
  resolveRange,
} from '@/lib/storage/checks';

export interface LocalStoreOptions {
  /** The directory that holds everything (DATA_DIR/blobs in the embedded stack). */
  root: string;
  /** Signs the URLs the marketplace API serves (at least 32 bytes). */
  signingSecret: Buffer;
  /** Older secrets still accepted when verifying, while a rotation's old URLs run out. */
  previousSigningSecrets?: Buffer[];
  /** The public origin signed URLs point at (APP_ORIGIN). */
  publicOrigin: string;
  clock?: Clock;
}

/** Object files end with this; no key segment can contain `@`, so a file never collides with a directory. */
const OBJECT_SUFFIX = '@blob';
const PART_SUFFIX = '@part';
const UPLOAD_RECORD = 'upload.json';

interface UploadRecord {
  key: string;
  maxBytes: number;
  expectedSha256: string | null;
  contentType: string;
  createdAt: string;
}

/**
 * The embedded blob store: one file per object under `root/objects/`, named by its key (`a/b/c` is
 * `objects/a/b/c@blob`), in the format of blob-file.ts; multipart uploads under `root/uploads/<id>/`.
 * Writes are atomic (temporary file, fsync, rename) and verified as they stream; nothing is buffered whole.
 * Empty directories left by deletes stay: they cost an inode and keep concurrent writers simple.
 */
export class LocalStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly root: string;
  private readonly objectsDir: string;
  private readonly uploadsDir: string;
  private readonly secrets: Buffer[];
  private readonly publicOrigin: string;
  private readonly clock: Clock;

  constructor(options: LocalStoreOptions) {
    this.root = path.resolve(options.root);
    this.objectsDir = path.join(this.root, 'objects');
    this.uploadsDir = path.join(this.root, 'uploads');
    this.secrets = [options.signingSecret, ...(options.previousSigningSecrets ?? [])].map(
      assertSigningSecret,
    );
    this.publicOrigin = new URL(options.publicOrigin).origin;
    this.clock = options.clock ?? systemClock;
  }

  private objectPath(key: string): string {
    assertObjectKey(key);
    const file = path.join(this.objectsDir, `${key}${OBJECT_SUFFIX}`);
    // The grammar already rules out climbing; this guards the guard.
    if (!file.startsWith(this.objectsDir + path.sep))
      throw new StorageError('invalid_key', 'Invalid object key.');
    return file;
  }

  private uploadDir(uploadId: string): string {
    return path.join(this.uploadsDir, assertUploadId(uploadId));
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<ObjectInfo> {
    const file = this.objectPath(key);
    const limits = checkPutOptions(options);
    const header = await writeBlobFile(file, body, {
      ...limits,
      what: 'object',
      createdAt: this.clock.now(),
    });
    return { key, ...header };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const header = await readBlobHeader(this.objectPath(key));
    return header ? { key, ...header } : null;
  }

  async get(key: string, range?: ByteRange): Promise<ObjectBody> {
    const blob = await openBlob(this.objectPath(key));
    if (!blob) throw new StorageError('not_found', 'No such object.');
    try {
      const { start, end } = resolveRange(range, blob.header.size);
      const info = { key, ...blob.header };
      if (end < start) {
        // An empty object: nothing to read.
        await blob.handle.close();
        return { info, start, end, body: Readable.from([]) };
      }
      return { info, start, end, body: blobBodyStream(blob, start, end) };
    } catch (error) {
      await blob.handle.close();
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const file = this.objectPath(key);
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await syncDirectory(path.dirname(file));
    return true;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectPage> {
    const limit = checkListArguments(prefix, options);
    const objects: ListedObject[] = [];
    for await (const entry of listTree(this.objectsDir, OBJECT_SUFFIX, prefix, options.cursor)) {
      if (objects.length === limit) return { objects, nextCursor: objects[objects.length - 1]?.key ?? null };
      objects.push({
        key: entry.key,
        size: entry.stats.size - HEADER_BYTES,
        lastModified: entry.stats.mtime,
      });
    }
    return { objects, nextCursor: null };
  }

  async createUpload(key: string, options: PutOptions): Promise<UploadInfo> {
    assertObjectKey(key);
    const limits = checkPutOptions(options);
    const uploadId = newUploadId();
    const record: UploadRecord = { key, ...limits, createdAt: this.clock.now().toISOString() };
    const dir = this.uploadDir(uploadId);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    await writeFile(temp, JSON.stringify(record), { flag: 'wx', flush: true });
    await rename(temp, path.join(dir, UPLOAD_RECORD));
    await syncDirectory(dir);
    return toUploadInfo(uploadId, record);
  }

  private async readUpload(uploadId: string): Promise<UploadInfo> {
    let text: string;
    try {
      text = await readFile(path.join(this.uploadDir(uploadId), UPLOAD_RECORD), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new StorageError('upload_not_found', 'No such upload.');
      throw error;
    }
    return toUploadInfo(uploadId, JSON.parse(text) as UploadRecord);
  }

  async putPart(
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: PartOptions,
  ): Promise<PartInfo> {
    const upload = await this.readUpload(uploadId);
    checkPartOptions(partNumber, options, upload.maxBytes);
    const file = path.join(this.uploadDir(uploadId), partFileName(partNumber));
    const header = await writeBlobFile(file, body, {
      maxBytes: options.size,
      exactBytes: options.size,
      expectedSha256: options.sha256,
      what: `part ${partNumber}`,
      contentType: 'application/octet-stream',
      createdAt: this.clock.now(),
    });
    return { partNumber, size: header.size, sha256: header.sha256 };
  }

  async listParts(uploadId: string): Promise<UploadState> {
    const upload = await this.readUpload(uploadId);
    const dir = this.uploadDir(uploadId);
    const parts: PartInfo[] = [];
    for (const name of await readdir(dir)) {
      const match = /^(\d{5})@part$/.exec(name);
      if (!match) continue;
      const header = await readBlobHeader(path.join(dir, name));
      if (header) parts.push({ partNumber: Number(match[1]), size: header.size, sha256: header.sha256 });
    }
    parts.sort((a, b) => a.partNumber - b.partNumber);
    return { upload, parts };
  }

  /**
   * Assembles the parts into the object. Missing or short parts (`invalid_parts`) leave the upload as it is,
   * for the client to send what is missing; any other failure (too large, sha256 mismatch) drops it, as on S3.
   */
  async completeUpload(uploadId: string): Promise<ObjectInfo> {
    const { upload, parts } = await this.listParts(uploadId);
    const dir = this.uploadDir(uploadId);
    try {
      return await this.assemble(upload, parts, dir);
    } catch (error) {
      if (isStorageError(error) && error.reason !== 'invalid_parts' && error.reason !== 'upload_not_found')
        await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private async assemble(upload: UploadInfo, parts: PartInfo[], dir: string): Promise<ObjectInfo> {
    checkAssembly(parts, upload.maxBytes);
    async function* concatenate(): AsyncIterable<Buffer> {
      for (const part of parts) {
        const blob = await openBlob(path.join(dir, partFileName(part.partNumber)));
        if (!blob) throw new StorageError('upload_not_found', 'The upload was aborted.');
        if (blob.header.size === 0) {
          await blob.handle.close();
          continue;
        }
        yield* blobBodyStream(blob, 0, blob.header.size - 1) as AsyncIterable<Buffer>;
      }
    }
    const header = await writeBlobFile(this.objectPath(upload.key), concatenate, {
      maxBytes: upload.maxBytes,
      expectedSha256: upload.expectedSha256,
      what: 'upload',
      contentType: upload.contentType,
      createdAt: this.clock.now(),
    });
    await rm(dir, { recursive: true, force: true });
    return { key: upload.key, ...header };
  }

  async abortUpload(uploadId: string): Promise<boolean> {
    const dir = this.uploadDir(uploadId);
    const existed = await stat(dir).then(
      () => true,
      () => false,
    );
    await rm(dir, { recursive: true, force: true });
    return existed;
  }

  async signedUrl(request: SignedUrlRequest): Promise<SignedUrl> {
    checkSignedUrlRequest(request);
    const expires = Math.floor(this.clock.now().getTime() / 1000) + request.expiresInSeconds;
    const claims: StorageUrlClaims =
      request.method === 'PUT'
        ? {
            method: 'PUT',
            key: request.key,
            expires,
            sha256: request.sha256,
            size: request.size,
            contentType: request.contentType,
          }
        : { method: 'GET', key: request.key, expires };
    return signStorageUrl(this.secrets[0] as Buffer, this.publicOrigin, claims);
  }

  /**
   * Checks a request for `STORAGE_URL_PATH/<key>` against its signature, with this store's secrets and clock;
   * returns what it may do or throws `invalid_signature`.
   */
  verifySignedRequest(method: string, key: string, query: URLSearchParams): StorageUrlClaims {
    return verifyStorageUrl({ secrets: this.secrets, method, key, query, now: this.clock.now() });
  }
}

function partFileName(partNumber: number): string {
  return `${String(partNumber).padStart(5, '0')}${PART_SUFFIX}`;
}

function toUploadInfo(uploadId: string, record: UploadRecord): UploadInfo {
  return {
    uploadId,
    key: record.key,
    maxBytes: record.maxBytes,
    expectedSha256: record.expectedSha256,
    contentType: record.contentType,
    createdAt: new Date(record.createdAt),
  };
}
