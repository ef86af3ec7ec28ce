import { createHash } from 'node:crypto';

/**
 * A strong entity tag of a body: the first 128 bits of its sha256, hex, quoted. Two bodies with the same tag
 * are the same bytes, so a client holding it may be answered 304.
 */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}

/**
 * Whether the request's `If-None-Match` names this entity tag, or is `*`. If-None-Match compares weakly
 * (RFC 9110 §13.1.2), so a `W/` prefix a proxy added still matches.
 */
export function ifNoneMatchMatches(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
