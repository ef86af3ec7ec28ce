import { NextResponse } from 'next/server';
import type { CachedRead, Rendering } from '@/lib/cache/versioned-cache';
import { ifNoneMatchMatches } from '@/lib/server/conditional-get';

export interface CachedResponseOptions {
  /** What shared caches and browsers may do with it (`public, max-age=…, stale-while-revalidate=…`). */
  cacheControl: string;
  /** Defaults to JSON. */
  contentType?: string;
  /** Sent with the 200 only (Content-Disposition). */
  headers?: Record<string, string>;
  /** Request headers that choose the representation (`Accept`): sent with the 200 and the 304. */
  vary?: string;
}

/**
 * A rendered body with its strong ETag; `304 Not Modified` with no body when the request's `If-None-Match`
 * names it. The 304 repeats the ETag, Cache-Control and Vary, as the 200 would have sent them.
 */
export function renderedResponse(
  request: Request,
  rendering: Rendering,
  options: CachedResponseOptions,
): NextResponse {
  const validators: Record<string, string> = {
    ETag: rendering.etag,
    'Cache-Control': options.cacheControl,
    ...(options.vary ? { Vary: options.vary } : {}),
  };
  if (ifNoneMatchMatches(request, rendering.etag))
    return new NextResponse(null, { status: 304, headers: validators });
  return new NextResponse(rendering.body, {
    headers: {
      'Content-Type': options.contentType ?? 'application/json',
      ...options.headers,
      ...validators,
    },
  });
}

/** A cached read answered as JSON (serialised once per cache entry), or 304 when the client has it. */
export function cachedJsonResponse<T>(
  request: Request,
  read: CachedRead<T>,
  options: CachedResponseOptions,
): NextResponse {
  return renderedResponse(
    request,
    read.render('json', (value) => JSON.stringify(value)),
    options,
  );
}
