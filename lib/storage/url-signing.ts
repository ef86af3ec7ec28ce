import { createHmac, timingSafeEqual } from 'node:crypto';
import { StorageError } from '@/lib/storage/errors';
import { assertObjectKey, assertSha256Hex, normalizeContentType } from '@/lib/storage/keys';
import type { SignedMethod, SignedUrl } from '@/lib/storage/store';

/**
 * Signed URLs for the embedded store: the marketplace API serves `STORAGE_URL_PATH/<key>` to whoever holds a
 * URL we signed, for one method on one key until it expires. PUT URLs also fix the exact size and sha256 of
 * the upload (and its content type), so a holder can write those bytes and nothing else.
 *
 * The signature is HMAC-SHA256 over a canonical string of every claim, keyed by a server secret (at least
 * 32 bytes; every web instance needs the same one). Verification accepts a list of secrets, so a key can be
 * rotated: sign with the new one, keep the old one in the list until its URLs have expired.
 */
export const STORAGE_URL_PATH = '/api/v1/storage/objects';
export const MIN_SECRET_BYTES = 32;
const VERSION = 'backfill-storage-url/1';
const PARAMS = new Set(['expires', 'sig', 'sha256', 'size', 'type']);

export interface StorageUrlClaims {
  method: SignedMethod;
  key: string;
  /** Unix seconds; the URL is refused from this second on. */
  expires: number;
  /** PUT only: the exact upload. */
  sha256?: string;
  size?: number;
  contentType?: string;
}

export function assertSigningSecret(secret: Buffer): Buffer {
  if (!Buffer.isBuffer(secret) || secret.length < MIN_SECRET_BYTES)
    throw new Error(`A storage signing secret must be at least ${MIN_SECRET_BYTES} bytes.`);
  return secret;
}

function canonical(claims: StorageUrlClaims): string {
  return [
    VERSION,
    claims.method,
    claims.key,
    String(claims.expires),
    claims.sha256 ?? '',
    claims.size === undefined ? '' : String(claims.size),
    claims.contentType ?? '',
  ].join('\n');
}

function signature(secret: Buffer, claims: StorageUrlClaims): Buffer {
  return createHmac('sha256', secret).update(canonical(claims)).digest();
}

/** The path and query of a signed URL for `claims` (no origin). */
export function signStoragePath(secret: Buffer, claims: StorageUrlClaims): string {
  assertSigningSecret(secret);
  const query = new URLSearchParams({ expires: String(claims.expires) });
  if (claims.sha256 !== undefined) query.set('sha256', claims.sha256);
  if (claims.size !== undefined) query.set('size', String(claims.size));
  if (claims.contentType !== undefined) query.set('type', claims.contentType);
  query.set('sig', signature(secret, claims).toString('base64url'));
  return `${STORAGE_URL_PATH}/${claims.key}?${query.toString()}`;
}

/** A full signed URL under `origin` (e.g. the public APP_ORIGIN). */
export function signStorageUrl(secret: Buffer, origin: string, claims: StorageUrlClaims): SignedUrl {
  const url = new URL(signStoragePath(secret, claims), origin).toString();
  return { url, method: claims.method, headers: {}, expiresAt: new Date(claims.expires * 1000) };
}

function refuse(message: string): never {
  throw new StorageError('invalid_signature', message);
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) refuse(`The URL repeats "${name}".`);
  return values[0];
}

/** Decimal digits only (no sign, exponent or leading zero), within the safe integer range. */
function wholeNumber(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text) || !Number.isSafeInteger(value))
    refuse(`The URL's "${name}" is malformed.`);
  return value;
}

/**
 * Checks a request against its signed URL and returns the claims it may act on; throws `invalid_signature`
 * when the URL is malformed, expired, altered, signed with another key, or used for another method or key.
 * `method` is the request's (HEAD counts as GET); `key` comes from the request path.
 */
export function verifyStorageUrl(input: {
  secrets: readonly Buffer[];
  method: string;
  key: string;
  query: URLSearchParams;
  now: Date;
}): StorageUrlClaims {
  const method: SignedMethod | null =
    input.method === 'GET' || input.method === 'HEAD' ? 'GET' : input.method === 'PUT' ? 'PUT' : null;
  if (!method) refuse('Signed URLs allow GET, HEAD and PUT only.');
  for (const name of input.query.keys())
    if (!PARAMS.has(name)) refuse(`The URL has an unknown parameter "${name}".`);
  assertObjectKey(input.key);
  const expires = wholeNumber(single(input.query, 'expires'), 'expires');
  const sig = single(input.query, 'sig');
  if (expires === undefined || sig === undefined) refuse('The URL is not signed.');
  const sha256 = single(input.query, 'sha256');
  const size = wholeNumber(single(input.query, 'size'), 'size');
  const contentType = single(input.query, 'type');
  const claims: StorageUrlClaims = { method, key: input.key, expires, sha256, size, contentType };
  const given = Buffer.from(sig, 'base64url');
  const valid = input.secrets.some((secret) => {
    const expected = signature(assertSigningSecret(secret), claims);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) refuse('The URL signature does not match (altered, another key or method, or another secret).');
  // Checked after the signature, so an expired URL is only reported as such when it is genuine.
  if (input.now.getTime() >= expires * 1000) refuse('The URL has expired.');
  if (method === 'PUT') {
    if (sha256 === undefined || size === undefined) refuse('A PUT URL must fix the size and sha256.');
    assertSha256Hex(sha256);
    normalizeContentType(contentType);
  }
  return claims;
}
