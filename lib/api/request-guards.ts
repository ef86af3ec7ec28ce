import type { NextRequest } from 'next/server';
import { AppError } from '@/lib/api/errors';

/** Largest JSON body the API reads. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Cross-site request forgery guard for requests that a browser could send with our cookies: the Origin header
 * must be one of ours. A missing or `null` Origin (sandboxed frames, some redirects) is refused too.
 */
export function assertSameOrigin(request: NextRequest, origins: readonly string[]): void {
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null')
    throw new AppError(
      'forbidden',
      'This request must come from the Backfill dashboard (Origin header missing).',
    );
  if (!origins.includes(origin))
    throw new AppError(
      'forbidden',
      `Requests from ${origin} are not accepted; use the Backfill dashboard or an API key.`,
    );
}

/** Deepest nesting of arrays and objects a JSON body may have; no request of ours needs more than a few. */
export const MAX_JSON_DEPTH = 32;

/** Keys that would reach an object's prototype if any code copied them onto a plain object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const bodyError = (message: string, issue: string) =>
  new AppError('bad_request', message, { fields: [{ field: 'body', message: issue }] });

/**
 * Reads a mutation's JSON body; nothing else reads it first. In order: the size limit (the declared length,
 * then the bytes as they arrive — a larger body is never held in memory), valid UTF-8, a body on a route that
 * takes none, `Content-Type: application/json` for a non-empty body (HTML forms cannot send it cross-site
 * without a CORS preflight, which we never grant), nesting depth, then JSON with no prototype-polluting keys.
 * An empty body is `undefined`; `null`, arrays and scalars come back as they are, for the schema to refuse.
 */
export async function readJsonBody(
  request: NextRequest,
  routeTakesBody: boolean,
  maxBytes = MAX_BODY_BYTES,
): Promise<unknown> {
  const text = await readLimitedText(request, maxBytes);
  if (text.length === 0) return undefined;
  if (!routeTakesBody) throw bodyError('This endpoint takes no request body.', 'must be empty');
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new AppError(
      'unsupported_media_type',
      'Send the request body as JSON (Content-Type: application/json).',
    );
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw bodyError(
      `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
      `nested more than ${MAX_JSON_DEPTH} levels`,
    );
  let forbidden: string | null = null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function (key, value: unknown) {
      if (FORBIDDEN_KEYS.has(key) && !Array.isArray(this)) forbidden ??= key;
      return value;
    }) as unknown;
  } catch {
    throw bodyError('The request body is not valid JSON.', 'invalid JSON');
  }
  if (forbidden !== null)
    throw bodyError(`The request body has a key "${forbidden}".`, `key "${forbidden}" is not allowed`);
  return parsed;
}

/** The body as text, refusing more than `maxBytes` (declared or sent) and anything that is not UTF-8. */
async function readLimitedText(request: NextRequest, maxBytes: number): Promise<string> {
  const tooLarge = () => bodyError(`The request body is larger than ${maxBytes / 1024} KiB.`, 'too large');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Buffer.concat(chunks));
  } catch {
    throw bodyError('The request body is not valid UTF-8.', 'not valid UTF-8');
  }
}

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
