import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Clock } from '@/lib/clock';
import {
  assertUploadId,
  checkAssembly,
  checkPartOptions,
  checkPutOptions,
  newUploadId,
} from '@/lib/storage/checks';
import { StorageError, isStorageError } from '@/lib/storage/errors';
import { assertObjectKey } from '@/lib/storage/keys';
import { isS3NotFound, mapS3Error, sha256Base64ToHex, sha256HexToBase64 } from '@/lib/storage/s3-client';
import { copyWithMetadata } from '@/lib/storage/s3-writer';
import type { PartInfo, PartOptions, PutOptions, UploadInfo, UploadState } from '@/lib/storage/store';
import { VerifyStream } from '@/lib/storage/verify-stream';

/** What the S3 store shares with its multipart uploads. */
export interface S3UploadContext {
  client: S3Client;
  /** One attempt per request: for bodies that are streams, which cannot be sent twice. */
  streamingClient: S3Client;
  bucket: string;
  prefix: string;
  checksums: boolean;
  clock: Clock;
  singleCopyBytes: number;
}

interface UploadRecord {
  key: string;
  maxBytes: number;
  expectedSha256: string | null;
  contentType: string;
  createdAt: string;
  s3UploadId: string;
}

/**
 * Multipart uploads of the S3 store. Each goes to a staging object `.uploads/<id>/data` with its record
 * beside it (`upload.json`), so any instance can resume it; completion assembles the staging object, reads
 * it back once to hash it (streaming, in the process that calls `complete` — a worker, at scale), and only
 * then copies it onto the key with its verified sha256.
 */
export class S3Uploads {
  private readonly client: S3Client;
  private readonly streamingClient: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly checksums: boolean;
  private readonly clock: Clock;
  private readonly singleCopyBytes: number;

  constructor(context: S3UploadContext) {
    this.client = context.client;
    this.streamingClient = context.streamingClient;
    this.bucket = context.bucket;
    this.prefix = context.prefix;
    this.checksums = context.checksums;
    this.clock = context.clock;
    this.singleCopyBytes = context.singleCopyBytes;
  }

  private uploadKeys(uploadId: string): { record: string; data: string } {
    const base = `${this.prefix}.uploads/${assertUploadId(uploadId)}`;
    return { record: `${base}/upload.json`, data: `${base}/data` };
  }

  async create(key: string, options: PutOptions): Promise<UploadInfo> {
    assertObjectKey(key);
    const limits = checkPutOptions(options);
    const uploadId = newUploadId();
    const keys = this.uploadKeys(uploadId);
    const created = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: keys.data,
        ContentType: limits.contentType,
        ChecksumAlgorithm: this.checksums ? 'SHA256' : undefined,
      }),
    );
    const record: UploadRecord = {
      key,
      ...limits,
      createdAt: this.clock.now().toISOString(),
      s3UploadId: created.UploadId as string,
    };
    const json = Buffer.from(JSON.stringify(record));
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: keys.record,
        Body: json,
        ContentLength: json.length,
        ContentType: 'application/json',
      }),
    );
    return toUploadInfo(uploadId, record);
  }

  private async readUpload(uploadId: string): Promise<UploadRecord> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.uploadKeys(uploadId).record }),
      );
      return JSON.parse(
        await (response.Body as { transformToString(): Promise<string> }).transformToString(),
      );
    } catch (error) {
      if (isStorageError(error)) throw error;
      mapS3Error(error, new StorageError('upload_not_found', 'No such upload.'));
    }
  }

  /**
   * Streams one part to S3 while hashing it. The part's sha256 is required here: S3 must have the checksum
   * header before the body, and a resuming client needs it to tell which parts arrived intact.
   */
  async putPart(
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: PartOptions,
  ): Promise<PartInfo> {
    const record = await this.readUpload(uploadId);
    checkPartOptions(partNumber, options, record.maxBytes);
    // The last chunk is held back until the part is verified: a part that fails verification never reaches
    // its full Content-Length, the request is aborted, and the server keeps nothing for it.
    const verify = new VerifyStream({
      maxBytes: options.size,
      exactBytes: options.size,
      expectedSha256: options.sha256,
      what: `part ${partNumber}`,
      holdBackLastChunk: true,
    });
    body.on('error', (error) => verify.destroy(error));
    const abort = new AbortController();
    const failed = new Promise<never>((_, reject) => verify.once('error', reject));
    failed.catch(() => undefined);
    try {
      await Promise.race([
        failed,
        this.streamingClient.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: this.uploadKeys(uploadId).data,
            UploadId: record.s3UploadId,
            PartNumber: partNumber,
            Body: body.pipe(verify),
            ContentLength: options.size,
            ChecksumSHA256: this.checksums ? sha256HexToBase64(options.sha256) : undefined,
          }),
          { abortSignal: abort.signal },
        ),
      ]);
    } catch (error) {
      abort.abort();
      body.destroy();
      verify.destroy();
      if (isStorageError(error)) throw error;
      mapS3Error(error, new StorageError('upload_not_found', 'No such upload.'));
    }
    return { partNumber, size: verify.bytes, sha256: verify.sha256 };
  }

  private async s3Parts(record: UploadRecord, uploadId: string) {
    const parts: {
      partNumber: number;
      size: number;
      sha256: string | null;
      etag: string;
      checksum?: string;
    }[] = [];
    let marker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(
          new ListPartsCommand({
            Bucket: this.bucket,
            Key: this.uploadKeys(uploadId).data,
            UploadId: record.s3UploadId,
            PartNumberMarker: marker,
          }),
        );
      } catch (error) {
        mapS3Error(error, new StorageError('upload_not_found', 'No such upload.'));
      }
      for (const part of page.Parts ?? [])
        parts.push({
          partNumber: part.PartNumber ?? 0,
          size: part.Size ?? 0,
          sha256: sha256Base64ToHex(part.ChecksumSHA256),
          etag: part.ETag ?? '',
          checksum: part.ChecksumSHA256,
        });
      if (!page.IsTruncated || !page.NextPartNumberMarker) break;
      marker = page.NextPartNumberMarker;
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async listParts(uploadId: string): Promise<UploadState> {
    const record = await this.readUpload(uploadId);
    const parts = await this.s3Parts(record, uploadId);
    return {
      upload: toUploadInfo(uploadId, record),
      parts: parts.map(({ partNumber, size, sha256 }) => ({ partNumber, size, sha256 })),
    };
  }

  /** Assembles and verifies the upload and publishes it; returns the key it is now under. */
  async complete(uploadId: string): Promise<string> {
    const record = await this.readUpload(uploadId);
    const keys = this.uploadKeys(uploadId);
    const parts = await this.s3Parts(record, uploadId);
    try {
      checkAssembly(parts, record.maxBytes);
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: keys.data,
          UploadId: record.s3UploadId,
          MultipartUpload: {
            Parts: parts.map((part) => ({
              PartNumber: part.partNumber,
              ETag: part.etag,
              ChecksumSHA256: part.checksum,
            })),
          },
        }),
      );
    } catch (error) {
      if (isStorageError(error, 'invalid_parts')) throw error; // the client can still send what is missing
      await this.abort(uploadId);
      if (isStorageError(error)) throw error;
      mapS3Error(error, new StorageError('upload_not_found', 'No such upload.'));
    }
    try {
      const written = await this.hashObject(keys.data, record);
      await copyWithMetadata(
        {
          client: this.client,
          bucket: this.bucket,
          key: this.prefix + record.key,
          contentType: record.contentType,
          sha256: written.sha256,
          checksums: this.checksums,
        },
        keys.data,
        written.size,
        this.singleCopyBytes,
      );
    } finally {
      await this.abort(uploadId);
    }
    return record.key;
  }

  /** Reads an assembled upload back once, hashing it against the upload's limits. */
  private async hashObject(
    objectKey: string,
    record: UploadRecord,
  ): Promise<{ size: number; sha256: string }> {
    const response = await this.streamingClient.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }),
    );
    const verify = new VerifyStream({
      maxBytes: record.maxBytes,
      expectedSha256: record.expectedSha256,
      what: 'upload',
    });
    await pipeline(
      response.Body as Readable,
      verify,
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    );
    return { size: verify.bytes, sha256: verify.sha256 as string };
  }

  async abort(uploadId: string): Promise<boolean> {
    const keys = this.uploadKeys(uploadId);
    let record: UploadRecord;
    try {
      record = await this.readUpload(uploadId);
    } catch (error) {
      if (isStorageError(error, 'upload_not_found')) return false;
      throw error;
    }
    await this.client
      .send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: keys.data, UploadId: record.s3UploadId }),
      )
      .catch((error: unknown) => {
        if (!isS3NotFound(error)) throw error;
      });
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: keys.data }));
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: keys.record }));
    return true;
  }
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
