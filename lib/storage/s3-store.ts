import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { systemClock, type Clock } from '@/lib/clock';
import {
  checkListArguments,
  checkPutOptions,
  checkSignedUrlRequest,
  resolveRange,
} from '@/lib/storage/checks';
import { StorageError } from '@/lib/storage/errors';
import { assertObjectKey, isObjectKey, normalizeContentType } from '@/lib/storage/keys';
import {
  createS3Client,
  isS3NotFound,
  mapS3Error,
  sha256HexToBase64,
  type S3Config,
} from '@/lib/storage/s3-client';
import {
  DEFAULT_TUNING,
  MAX_SINGLE_COPY_BYTES,
  copyWithMetadata,
  writeVerified,
  type WriterTuning,
} from '@/lib/storage/s3-writer';
import type {
  BlobStore,
  ByteRange,
  ListOptions,
  ListedObject,
  ObjectBody,
  ObjectInfo,
  ObjectPage,
  PartInfo,
  PartOptions,
  PutOptions,
  SignedUrl,
  SignedUrlRequest,
  UploadInfo,
  UploadState,
} from '@/lib/storage/store';
import { S3Uploads } from '@/lib/storage/s3-uploads';

export interface S3StoreOptions extends S3Config {
  clock?: Clock;
  /** Part buffering of `put` (tests and benchmarks tune it). */
  tuning?: WriterTuning;
  /** Objects above this are copied in parts (S3's limit is 5 GiB; tests lower it to exercise the path). */
  singleCopyBytes?: number;
}

/**
 * The blob store on an S3-compatible bucket.
 *
 * An object of this store always carries its verified sha256 as `x-amz-meta-sha256`, and nothing is
 * written under a key before it has been verified:
 * - `put` hashes as it streams. With the sha256 known up front the bytes go straight to the key and the
 *   multipart upload is completed only once they match; without it they go to a staging object, which is
 *   copied server-side onto the key with the sha256 as metadata, then removed.
 * - Multipart uploads go to a staging object under `.uploads/<id>/` and are published the same way once
 *   verified (s3-uploads.ts).
 * Names starting with `.` are outside the key grammar, so the staging area is invisible to callers; a
 * bucket lifecycle rule should expire `.staging/`, `.uploads/` and incomplete multipart uploads after a day.
 */
export class S3Store implements BlobStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  /** One attempt per request: for bodies that are streams, which cannot be sent twice. */
  private readonly streamingClient: S3Client;
  private readonly checksums: boolean;
  private readonly clock: Clock;
  private readonly tuning: WriterTuning;
  private readonly singleCopyBytes: number;
  private readonly uploads: S3Uploads;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    if (this.prefix !== '' && (!this.prefix.endsWith('/') || !isObjectKey(this.prefix.slice(0, -1))))
      throw new Error('The S3 key prefix must be empty or key segments ending in "/".');
    this.client = createS3Client(options, { streaming: false });
    this.streamingClient = createS3Client(options, { streaming: true });
    this.checksums = options.checksums ?? true;
    this.clock = options.clock ?? systemClock;
    this.tuning = options.tuning ?? DEFAULT_TUNING;
    this.singleCopyBytes = options.singleCopyBytes ?? MAX_SINGLE_COPY_BYTES;
    this.uploads = new S3Uploads({
      client: this.client,
      streamingClient: this.streamingClient,
      bucket: this.bucket,
      prefix: this.prefix,
      checksums: this.checksums,
      clock: this.clock,
      singleCopyBytes: this.singleCopyBytes,
    });
  }

  /** Closes the clients' connection pools. */
  destroy(): void {
    this.client.destroy();
    this.streamingClient.destroy();
  }

  private objectKey(key: string): string {
    return this.prefix + assertObjectKey(key);
  }

  private target(key: string, contentType: string, sha256?: string) {
    return { client: this.client, bucket: this.bucket, key, contentType, sha256, checksums: this.checksums };
  }

  async put(key: string, body: Readable, options: PutOptions): Promise<ObjectInfo> {
    const objectKey = this.objectKey(key);
    const limits = checkPutOptions(options);
    const verify = { maxBytes: limits.maxBytes, expectedSha256: limits.expectedSha256, what: 'object' };
    const target = {
      ...this.target(objectKey, limits.contentType, limits.expectedSha256 ?? undefined),
      stagingKey: `${this.prefix}.staging/${randomBytes(16).toString('hex')}`,
    };
    const written = await writeVerified(target, body, verify, this.tuning);
    if (written.staged) await this.publish(written.staged, objectKey, limits.contentType, written);
    return this.requireHead(key);
  }

  /** Copies a verified staging object onto its key with its sha256, then removes the staging object. */
  private async publish(
    source: string,
    objectKey: string,
    contentType: string,
    verified: { sha256: string; size: number },
  ): Promise<void> {
    try {
      const target = { ...this.target(objectKey, contentType), sha256: verified.sha256 };
      await copyWithMetadata(target, source, verified.size, this.singleCopyBytes);
    } finally {
      await this.client
        .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: source }))
        .catch(() => undefined);
    }
  }

  private async requireHead(key: string): Promise<ObjectInfo> {
    const info = await this.head(key);
    if (!info) throw new Error(`Object ${key} vanished right after it was written.`);
    return info;
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      const sha256 = head.Metadata?.sha256;
      // Without its sha256 an object was not written (or not finished) by this store.
      if (!sha256) return null;
      return {
        key,
        size: head.ContentLength ?? 0,
        sha256,
        contentType: head.ContentType ?? 'application/octet-stream',
        createdAt: head.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isS3NotFound(error)) return null;
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<ObjectBody> {
    const objectKey = this.objectKey(key);
    if (range) resolveRange(range, Number.MAX_SAFE_INTEGER); // argument checks only; the server knows the size
    let response;
    try {
      response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
    } catch (error) {
      mapS3Error(error, new StorageError('not_found', 'No such object.'));
    }
    const body = response.Body as Readable;
    const sha256 = response.Metadata?.sha256;
    if (!sha256) {
      body.destroy();
      throw new StorageError('not_found', 'No such object.');
    }
    const total = /\/(\d+)$/.exec(response.ContentRange ?? '');
    const size = total ? Number(total[1]) : (response.ContentLength ?? 0);
    const { start, end } = range ? resolveRange(range, size) : { start: 0, end: size - 1 };
    const info: ObjectInfo = {
      key,
      size,
      sha256,
      contentType: response.ContentType ?? 'application/octet-stream',
      createdAt: response.LastModified ?? new Date(0),
    };
    return { info, start, end, body };
  }

  async delete(key: string): Promise<boolean> {
    const existed = (await this.head(key)) !== null;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    return existed;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectPage> {
    const limit = checkListArguments(prefix, options);
    // Valid keys start with a letter or digit, after "/" in byte order; the ".staging/" and ".uploads/"
    // bookkeeping sorts before "/", so starting after it skips all of that.
    const startAfter = this.prefix + (options.cursor ?? '/');
    const objects: ListedObject[] = [];
    let continuation: string | undefined;
    for (;;) {
      const page: ListObjectsV2CommandOutput = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          StartAfter: continuation ? undefined : startAfter,
          ContinuationToken: continuation,
          MaxKeys: limit + 1 - objects.length,
        }),
      );
      for (const item of page.Contents ?? []) {
        const key = (item.Key ?? '').slice(this.prefix.length);
        // Objects another tool put in a shared bucket are not ours to list.
        if (!isObjectKey(key)) continue;
        if (objects.length === limit)
          return { objects, nextCursor: objects[objects.length - 1]?.key ?? null };
        objects.push({ key, size: item.Size ?? 0, lastModified: item.LastModified ?? new Date(0) });
      }
      if (!page.IsTruncated || !page.NextContinuationToken) return { objects, nextCursor: null };
      continuation = page.NextContinuationToken;
    }
  }

  async createUpload(key: string, options: PutOptions): Promise<UploadInfo> {
    return this.uploads.create(key, options);
  }

  async putPart(
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: PartOptions,
  ): Promise<PartInfo> {
    return this.uploads.putPart(uploadId, partNumber, body, options);
  }

  async listParts(uploadId: string): Promise<UploadState> {
    return this.uploads.listParts(uploadId);
  }

  async completeUpload(uploadId: string): Promise<ObjectInfo> {
    return this.requireHead(await this.uploads.complete(uploadId));
  }

  async abortUpload(uploadId: string): Promise<boolean> {
    return this.uploads.abort(uploadId);
  }

  /**
   * A presigned URL straight to the bucket. A PUT URL signs the exact Content-Length, the content type, the
   * sha256 as metadata and, with checksums on, as x-amz-checksum-sha256 — which the server verifies where it
   * supports checksums; where it does not, only the length is enforced (see the README's storage notes).
   */
  async signedUrl(request: SignedUrlRequest): Promise<SignedUrl> {
    checkSignedUrlRequest(request);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + request.expiresInSeconds * 1000);
    const Key = this.objectKey(request.key);
    if (request.method === 'GET') {
      const url = await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key }), {
        expiresIn: request.expiresInSeconds,
        signingDate: now,
      });
      return { url, method: 'GET', headers: {}, expiresAt };
    }
    const sha256 = request.sha256 as string;
    const contentType = normalizeContentType(request.contentType);
    const headers: Record<string, string> = { 'content-type': contentType, 'x-amz-meta-sha256': sha256 };
    if (this.checksums) headers['x-amz-checksum-sha256'] = sha256HexToBase64(sha256);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key,
      ContentLength: request.size,
      ContentType: contentType,
      Metadata: { sha256 },
      ChecksumSHA256: headers['x-amz-checksum-sha256'],
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: request.expiresInSeconds,
      signingDate: now,
      signableHeaders: new Set(['content-length', 'content-type']),
      // As signed headers, not query parameters: the uploader must send them, and the server checks them.
      unhoistableHeaders: new Set(['x-amz-meta-sha256', 'x-amz-checksum-sha256']),
    });
    return { url, method: 'PUT', headers, expiresAt };
  }
}
