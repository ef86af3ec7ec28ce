import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MIN_PART_BYTES } from '@/lib/storage/store';
import { VerifyStream, type VerifyLimits } from '@/lib/storage/verify-stream';

/** Where and how an object is written. */
export interface S3Target {
  client: S3Client;
  bucket: string;
  /** The full object key in the bucket. */
  key: string;
  contentType: string;
  /** Stored as x-amz-meta-sha256 when known before the bytes (it is the store's mark of a verified object). */
  sha256?: string;
  /** Send x-amz-checksum-sha256 for what we hash before sending. */
  checksums: boolean;
  /**
   * Where a body longer than one part goes when its sha256 is not known up front: it cannot be marked
   * verified before it is complete, so it is staged and copied onto `key` afterwards (see `publish`).
   */
  stagingKey?: string;
}

export interface WriterTuning {
  /** Bytes buffered per part (≥ 5 MiB); a body that fits in one is sent with one PutObject. */
  partBytes: number;
  /** Parts in flight at once. Memory is about partBytes × (this + 1). */
  concurrency: number;
}

export const DEFAULT_TUNING: WriterTuning = { partBytes: 8 * 1024 * 1024, concurrency: 2 };

export interface WrittenObject {
  size: number;
  sha256: string;
  /** The staging key the object was written to instead of `key`, if it was. */
  staged: string | null;
}

function sha256Base64(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('base64');
}

/**
 * Streams `body` into `target`, verified by `limits` on the way. A body that fits in one part is hashed and
 * verified in full before a single PutObject, so a refused body never reaches the server. A longer one goes
 * up as a multipart upload of buffered parts, each with its own checksum, and is completed only after the
 * whole stream has been verified; on any failure the multipart upload is aborted, so nothing appears.
 * Memory stays within (concurrency + 1) parts whatever the object's size.
 */
export async function writeVerified(
  target: S3Target,
  body: Readable,
  limits: VerifyLimits,
  tuning: WriterTuning = DEFAULT_TUNING,
): Promise<WrittenObject> {
  if (tuning.partBytes < MIN_PART_BYTES) throw new Error('partBytes must be at least 5 MiB.');
  const verify = new VerifyStream(limits);
  body.on('error', (error) => verify.destroy(error));
  body.pipe(verify);
  const chunks = verify[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  /** The unread tail of the last chunk, when it did not fit in the part before. */
  let carry: Buffer | null = null;
  let ended = false;
  /**
   * Reads until a part is full or the stream ends (a verification failure throws here). Bytes are copied
   * once, into a buffer of exactly one part, so memory is the parts themselves and not their chunks too.
   */
  const fill = async (): Promise<Buffer> => {
    const part = Buffer.allocUnsafe(tuning.partBytes);
    let filled = 0;
    while (filled < part.length) {
      if (!carry) {
        if (ended) break;
        const next = await chunks.next();
        if (next.done) {
          ended = true;
          break;
        }
        carry = next.value;
      }
      const taken = carry.copy(part, filled, 0, Math.min(carry.length, part.length - filled));
      filled += taken;
      carry = taken < carry.length ? carry.subarray(taken) : null;
    }
    // A part that is full may still be the last one: look ahead, so a body of exactly one part is one PUT.
    if (filled === part.length && !carry && !ended) {
      const next = await chunks.next();
      if (next.done) ended = true;
      else carry = next.value;
    }
    return filled === part.length ? part : part.subarray(0, filled);
  };

  let multipart: { key: string; uploadId: string } | null = null;
  const inFlight = new Set<Promise<void>>();
  try {
    const first = await fill();
    if (ended && !carry) {
      await target.client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          Body: first,
          ContentLength: first.length,
          ContentType: target.contentType,
          Metadata: { sha256: verify.sha256 as string },
          ChecksumSHA256: target.checksums ? sha256Base64(first) : undefined,
        }),
      );
      return { size: verify.bytes, sha256: verify.sha256 as string, staged: null };
    }
    const key = target.sha256 ? target.key : (target.stagingKey ?? target.key);
    const created = await target.client.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        ContentType: target.contentType,
        Metadata: target.sha256 ? { sha256: target.sha256 } : undefined,
        ChecksumAlgorithm: target.checksums ? 'SHA256' : undefined,
      }),
    );
    multipart = { key, uploadId: created.UploadId as string };
    const parts: CompletedPart[] = [];
    // The first failed part; checked whenever we wait, so a failure stops the upload at the next part.
    const failure: { failed: boolean; error?: unknown } = { failed: false };
    const send = (partNumber: number, data: Buffer) => {
      const checksum = target.checksums ? sha256Base64(data) : undefined;
      const task = target.client
        .send(
          new UploadPartCommand({
            Bucket: target.bucket,
            Key: key,
            UploadId: multipart?.uploadId,
            PartNumber: partNumber,
            Body: data,
            ContentLength: data.length,
            ChecksumSHA256: checksum,
          }),
        )
        .then(
          (result) => {
            parts.push({ PartNumber: partNumber, ETag: result.ETag, ChecksumSHA256: checksum });
          },
          (error: unknown) => {
            if (!failure.failed) Object.assign(failure, { failed: true, error });
          },
        );
      const tracked = task.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    };
    let partNumber = 1;
    send(partNumber, first);
    while (!ended || carry) {
      if (inFlight.size >= tuning.concurrency) await Promise.race(inFlight);
      if (failure.failed) throw failure.error;
      const data = await fill();
      // A stream that ends exactly on a part boundary leaves nothing for a last part.
      if (data.length > 0) send(++partNumber, data);
    }
    await Promise.all(inFlight);
    if (failure.failed) throw failure.error;
    parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    await target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        UploadId: multipart.uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    multipart = null;
    return { size: verify.bytes, sha256: verify.sha256 as string, staged: key === target.key ? null : key };
  } catch (error) {
    verify.destroy();
    body.destroy();
    // Parts still in flight would otherwise land after the abort and keep the upload alive.
    await Promise.all(inFlight);
    if (multipart) await abortQuietly({ ...target, key: multipart.key }, multipart.uploadId);
    throw error;
  }
}

async function abortQuietly(target: S3Target, uploadId: string): Promise<void> {
  await target.client
    .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId }))
    .catch(() => undefined);
}

/** The largest object one CopyObject may copy (S3's limit); larger ones are copied in parts. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** Parts of a multipart copy. */
const COPY_PART_BYTES = 1024 ** 3;

/**
 * Copies `sourceKey` (in the same bucket) to `target`, replacing its metadata with the verified sha256 and
 * content type: server-side, no bytes through this process. Objects above `singleCopyBytes` are copied
 * with UploadPartCopy.
 */
export async function copyWithMetadata(
  target: S3Target & { sha256: string },
  sourceKey: string,
  size: number,
  singleCopyBytes = MAX_SINGLE_COPY_BYTES,
): Promise<void> {
  const copySource = encodeURIComponent(`${target.bucket}/${sourceKey}`).replace(/%2F/g, '/');
  const metadata = { sha256: target.sha256 };
  if (size <= singleCopyBytes) {
    await target.client.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: copySource,
        MetadataDirective: 'REPLACE',
        Metadata: metadata,
        ContentType: target.contentType,
      }),
    );
    return;
  }
  const created = await target.client.send(
    new CreateMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      ContentType: target.contentType,
      Metadata: metadata,
    }),
  );
  const uploadId = created.UploadId as string;
  const partBytes = Math.max(MIN_PART_BYTES, Math.min(COPY_PART_BYTES, singleCopyBytes));
  try {
    const parts: CompletedPart[] = [];
    for (let start = 0, partNumber = 1; start < size; start += partBytes, partNumber++) {
      const end = Math.min(start + partBytes, size) - 1;
      const result = await target.client.send(
        new UploadPartCopyCommand({
          Bucket: target.bucket,
          Key: target.key,
          UploadId: uploadId,
          PartNumber: partNumber,
          CopySource: copySource,
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ PartNumber: partNumber, ETag: result.CopyPartResult?.ETag });
    }
    await target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (error) {
    await abortQuietly(target, uploadId);
    throw error;
  }
}
