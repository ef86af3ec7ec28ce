import { StorageError } from '@/lib/storage/errors';

/**
 * Object keys: a small, strict grammar, the same for every backend.
 *
 * A key is 1–16 segments joined by `/`; a segment is 1–128 characters of `[A-Za-z0-9._-]` that starts with a
 * letter or digit; a key holds no `..` and is at most 512 characters. So a key can never climb out of a
 * directory, name a hidden file, start with `/`, or hold an empty segment, and it needs no escaping in a
 * URL path or a file name. Keys sort in byte order (all ASCII), and a scope is a prefix: everything an
 * account owns lives under `accounts/<uuid>/`, a lease's checkpoints under `leases/<id>/checkpoints/`.
 *
 * Names that start with `.` are therefore free for the stores' own bookkeeping (temporary files, staging
 * objects, upload records): no key can reach them.
 */
export const MAX_KEY_LENGTH = 512;
export const MAX_KEY_SEGMENTS = 16;
export const MAX_SEGMENT_LENGTH = 128;

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** `type/subtype` with optional `; name=value` parameters, printable ASCII only. */
const CONTENT_TYPE = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*(\s*;\s*[\w.-]+=("[\w .+/=-]*"|[\w.+/=-]+))*$/;
const MAX_CONTENT_TYPE_LENGTH = 200;

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The largest object either backend stores: S3's own limit for one object (5 TiB). Callers pass a much
 * smaller `maxBytes` for what they accept.
 */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;

function keyProblem(key: string): string | null {
  if (typeof key !== 'string' || key.length === 0) return 'is empty';
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.includes('..')) return 'contains ".."';
  const segments = key.split('/');
  if (segments.length > MAX_KEY_SEGMENTS) return `has more than ${MAX_KEY_SEGMENTS} segments`;
  for (const segment of segments) {
    if (!SEGMENT.test(segment))
      return segment === ''
        ? 'has an empty segment (a leading, trailing or doubled "/")'
        : 'has a segment that is not 1–128 characters of [A-Za-z0-9._-] starting with a letter or digit';
  }
  return null;
}

export function isObjectKey(key: string): boolean {
  return keyProblem(key) === null;
}

/** Returns the key if it follows the grammar; otherwise throws `invalid_key` saying why. */
export function assertObjectKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new StorageError('invalid_key', `Invalid object key: it ${problem}.`);
  return key;
}

/**
 * A listing prefix: empty (everything), or the start of some valid key — whole segments, each followed by
 * `/`, then optionally the start of one more segment. `accounts/`, `accounts/7f` and `accounts/7f3a/inputs/`
 * are prefixes; `/x`, `a//b` and `../` are not.
 */
export function assertKeyPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  const problem = body === '' ? 'is only "/"' : keyProblem(body);
  if (problem || prefix.length > MAX_KEY_LENGTH)
    throw new StorageError('invalid_key', `Invalid key prefix: it ${problem ?? 'is too long'}.`);
  return prefix;
}

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

export function assertSha256Hex(value: string, what = 'sha256'): string {
  if (!isSha256Hex(value))
    throw new StorageError('invalid_argument', `${what} must be 64 lower-case hexadecimal characters.`);
  return value;
}

/** Returns a content type fit to store and to send back in a header, or the default when none is given. */
export function normalizeContentType(value: string | undefined): string {
  if (value === undefined) return DEFAULT_CONTENT_TYPE;
  if (value.length > MAX_CONTENT_TYPE_LENGTH || !CONTENT_TYPE.test(value))
    throw new StorageError('invalid_argument', 'contentType must be a MIME type such as text/plain.');
  return value;
}

/** A byte bound from a caller: a whole number of bytes from 0 up to MAX_OBJECT_BYTES. */
export function assertByteCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_OBJECT_BYTES)
    throw new StorageError('invalid_argument', `${what} must be a whole number of bytes up to 5 TiB.`);
  return value;
}
