import { S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '@/lib/storage/errors';

/** How to reach an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Ceph RGW…). */
export interface S3Config {
  /** e.g. https://<account>.r2.cloudflarestorage.com or http://127.0.0.1:9000; unset → AWS's own. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Both or neither: without them the SDK's own chain applies (AWS_* variables, an instance role…). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Bucket in the path (`host/bucket/key`) rather than the host name: MinIO, Ceph and most self-hosted servers. */
  forcePathStyle: boolean;
  /** Keys live under this prefix in the bucket ('' or ending in '/'), so one bucket can serve several stores. */
  prefix?: string;
  /**
   * Send SHA-256 checksums (x-amz-checksum-sha256) wherever the hash is known before the bytes, so a server
   * that supports them (AWS S3, R2, recent MinIO and Ceph) verifies them too. Servers that do not simply
   * ignore the header; turn it off only for one that rejects it. Our own verification runs either way.
   */
  checksums?: boolean;
}

/**
 * An S3 client for the store. The SDK's automatic request checksums are off (`WHEN_REQUIRED`): by default it
 * sends CRC32 trailers in aws-chunked encoding, which many S3-compatible servers refuse, and it would put
 * checksum parameters into presigned URLs that a browser cannot satisfy. We send SHA-256 checksums ourselves.
 * `streaming` clients make one attempt only: a request whose body is a stream cannot be replayed.
 */
export function createS3Client(config: S3Config, options: { streaming: boolean }): S3Client {
  if (Boolean(config.accessKeyId) !== Boolean(config.secretAccessKey))
    throw new Error('S3 credentials need both the access key id and the secret, or neither.');
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: options.streaming ? 1 : 3,
  });
}

interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The S3 error code (NoSuchKey, InvalidRange, …) and HTTP status of an SDK error. */
export function s3ErrorOf(error: unknown): { code: string; status: number } {
  const shape = (error ?? {}) as S3ErrorShape;
  return { code: shape.Code ?? shape.name ?? '', status: shape.$metadata?.httpStatusCode ?? 0 };
}

export function isS3NotFound(error: unknown): boolean {
  const { code, status } = s3ErrorOf(error);
  return status === 404 || code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchUpload';
}

/** Maps the S3 errors a caller can cause to storage errors; anything else is rethrown as is. */
export function mapS3Error(error: unknown, notFound: StorageError): never {
  const { code, status } = s3ErrorOf(error);
  if (isS3NotFound(error)) throw notFound;
  if (code === 'InvalidRange' || status === 416)
    throw new StorageError('invalid_range', 'The range starts past the end of the object.');
  if (code === 'EntityTooSmall') throw new StorageError('invalid_parts', 'A part is below the minimum size.');
  if (code === 'BadDigest' || code === 'XAmzContentChecksumMismatch' || code === 'InvalidDigest')
    throw new StorageError(
      'sha256_mismatch',
      'The storage server found that the bytes do not match their checksum.',
    );
  throw error;
}

/** Base64 of a hex sha256, the form S3's checksum headers take. */
export function sha256HexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function sha256Base64ToHex(base64: string | undefined): string | null {
  if (!base64) return null;
  // A composite checksum ("…-3") is not the part's own sha256.
  if (base64.includes('-')) return null;
  const bytes = Buffer.from(base64, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : null;
}
