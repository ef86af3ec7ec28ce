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

/**
 * Reads a mutation's JSON body. `Content-Type: application/json` is required whenever there is a body (or the
 * route takes one): HTML forms cannot send it cross-site without a CORS preflight, which we never grant.
 */
export async function readJsonBody(
  request: NextRequest,
  routeTakesBody: boolean,
  maxBytes = MAX_BODY_BYTES,
): Promise<unknown> {
  const text = await request.text();
  if (text.length === 0 && !routeTakesBody) return undefined;
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new AppError(
      'unsupported_media_type',
      'Send the request body as JSON (Content-Type: application/json).',
    );
  if (text.length === 0) return {};
  if (Buffer.byteLength(text) > maxBytes)
    throw new AppError('bad_request', `The request body is larger than ${maxBytes / 1024} KiB.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.', {
      fields: [{ field: 'body', message: 'invalid JSON' }],
    });
  }
}

/**
 * The client address used to rate-limit anonymous requests. Behind a trusted proxy it is the last
 * X-Forwarded-For hop — the one that proxy appended; earlier hops are whatever the client sent. Without one,
 * the header is the client's own word (Next.js fills it from the socket only when it is missing), so every
 * anonymous client shares one bucket rather than choosing its own.
 */
export function clientAddress(request: NextRequest, trustProxy: boolean): string {
  if (!trustProxy) return 'direct';
  const hops = request.headers.get('x-forwarded-for')?.split(',') ?? [];
  return hops.at(-1)?.trim() || 'unknown';
}
