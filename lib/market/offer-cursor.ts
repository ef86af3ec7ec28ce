import type { OfferSort } from '@/lib/market/offer-schemas';

/**
 * Keyset cursor: the sort key value and node id of the last row of a page, plus the sort it belongs to so a
 * cursor can't be replayed against another ordering. Opaque base64url JSON.
 */
export interface OfferCursor {
  sort: OfferSort;
  order: 'asc' | 'desc';
  value: string;
  nodeId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INTEGER = /^-?\d{1,19}$/;

export function encodeOfferCursor(cursor: OfferCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.value, cursor.nodeId])).toString(
    'base64url',
  );
}

/** Decodes a cursor, or returns null when it is malformed or was issued for another sort. */
export function decodeOfferCursor(text: string, sort: OfferSort, order: 'asc' | 'desc'): OfferCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return null;
  const [s, o, value, nodeId] = parsed as unknown[];
  if (s !== sort || o !== order) return null;
  if (typeof value !== 'string' || !INTEGER.test(value)) return null;
  // A PostgreSQL bigint, like every sort key: a larger number is a forged cursor, not a database error.
  if (BigInt(value) > 9_223_372_036_854_775_807n || BigInt(value) < -9_223_372_036_854_775_808n) return null;
  if (typeof nodeId !== 'string' || !UUID.test(nodeId)) return null;
  return { sort, order, value, nodeId };
}
