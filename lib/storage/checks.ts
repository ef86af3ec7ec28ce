import { randomBytes } from 'node:crypto';
import { StorageError } from '@/lib/storage/errors';
import {
  assertByteCount,
  assertKeyPrefix,
  assertObjectKey,
  assertSha256Hex,
  isObjectKey,
  normalizeContentType,
} from '@/lib/storage/keys';
import {
  MAX_LIST_LIMIT,
  MAX_PART_BYTES,
  MAX_PARTS,
  MAX_SIGNED_URL_SECONDS,
  MIN_PART_BYTES,
  type ByteRange,
  type PartOptions,
  type PutOptions,
  type SignedUrlRequest,
} from '@/lib/storage/store';

/** Argument checks both backends share, so they accept and refuse exactly the same calls. */

/** Checked and normalized put options. */
export interface PutLimits {
  maxBytes: number;
  expectedSha256: string | null;
  contentType: string;
}

export function checkPutOptions(options: PutOptions): PutLimits {
  return {
    maxBytes: assertByteCount(options.maxBytes, 'maxBytes'),
    expectedSha256:
      options.expectedSha256 === undefined ? null : assertSha256Hex(options.expectedSha256, 'expectedSha256'),
    contentType: normalizeContentType(options.contentType),
  };
}

/** A part's number, size and sha256, and that it fits the limit of the upload it belongs to. */
export function checkPartOptions(partNumber: number, options: PartOptions, uploadMaxBytes: number): void {
  if (!Number.isSafeInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS)
    throw new StorageError('invalid_argument', `partNumber must be a whole number from 1 to ${MAX_PARTS}.`);
  assertByteCount(options.size, 'size');
  if (options.size > MAX_PART_BYTES)
    throw new StorageError('too_large', `A part is at most ${MAX_PART_BYTES} bytes.`);
  if (options.size > uploadMaxBytes)
    throw new StorageError(
      'too_large',
      `A part cannot exceed the upload's limit of ${uploadMaxBytes} bytes.`,
    );
  assertSha256Hex(options.sha256);
}

/** A list's prefix, cursor and page size (the returned limit); the same rules for every store. */
export function checkListArguments(prefix: string, options: { limit?: number; cursor?: string }): number {
  assertKeyPrefix(prefix);
  if (options.cursor !== undefined && !isObjectKey(options.cursor))
    throw new StorageError('invalid_argument', 'Not a cursor from this list.');
  const limit = options.limit;
  if (limit === undefined) return MAX_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new StorageError('invalid_argument', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}.`);
  return limit;
}

/** The inclusive offsets a range covers in an object of `size` bytes; throws `invalid_range` past the end. */
export function resolveRange(range: ByteRange | undefined, size: number): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  const { start, end } = range;
  if (
    !Number.isSafeInteger(start) ||
    start < 0 ||
    (end !== undefined && (!Number.isSafeInteger(end) || end < start))
  )
    throw new StorageError('invalid_argument', 'A range is start ≤ end, both whole byte offsets.');
  if (start >= size)
    throw new StorageError('invalid_range', `The range starts at ${start}, past the object's ${size} bytes.`);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/** Upload ids are 32 hex characters (128 random bits): unguessable, and safe as a file or object name. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

export function assertUploadId(uploadId: string): string {
  if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId))
    throw new StorageError('invalid_upload_id', 'Not an upload id.');
  return uploadId;
}

/** Checks a signed-URL request; PUT URLs must name the exact size and sha256 of what will be uploaded. */
export function checkSignedUrlRequest(request: SignedUrlRequest): void {
  assertObjectKey(request.key);
  if (request.method !== 'GET' && request.method !== 'PUT')
    throw new StorageError('invalid_argument', 'A signed URL is for GET or PUT.');
  const seconds = request.expiresInSeconds;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_SIGNED_URL_SECONDS)
    throw new StorageError(
      'invalid_argument',
      `expiresInSeconds must be from 1 to ${MAX_SIGNED_URL_SECONDS}.`,
    );
  if (request.method === 'PUT') {
    if (request.sha256 === undefined || request.size === undefined)
      throw new StorageError('invalid_argument', 'A PUT URL must name the sha256 and size of the upload.');
    assertSha256Hex(request.sha256);
    assertByteCount(request.size, 'size');
    normalizeContentType(request.contentType);
  } else if (
    request.sha256 !== undefined ||
    request.size !== undefined ||
    request.contentType !== undefined
  ) {
    throw new StorageError('invalid_argument', 'sha256, size and contentType apply to PUT URLs only.');
  }
}

/**
 * The checks both backends make before assembling an upload: parts 1..n with no gap, every part but the
 * last at least MIN_PART_BYTES (S3's rule, kept locally so the embedded store accepts nothing S3 refuses),
 * and a total within the upload's limit.
 */
export function checkAssembly(
  parts: readonly { partNumber: number; size: number }[],
  maxBytes: number,
): number {
  if (parts.length === 0) throw new StorageError('invalid_parts', 'The upload has no parts.');
  let total = 0;
  parts.forEach((part, index) => {
    if (part.partNumber !== index + 1)
      throw new StorageError('invalid_parts', `Part ${index + 1} is missing; parts must be numbered 1..n.`);
    if (index < parts.length - 1 && part.size < MIN_PART_BYTES)
      throw new StorageError(
        'invalid_parts',
        `Part ${part.partNumber} is below the ${MIN_PART_BYTES}-byte minimum.`,
      );
    total += part.size;
  });
  if (total > maxBytes)
    throw new StorageError('too_large', `The parts add up to more than ${maxBytes} bytes.`);
  return total;
}
