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

/** The range of each SQL type a sort key has: a value outside it is a forged cursor, not a database error. */
const RANGE = {
  integer: [-2_147_483_648n, 2_147_483_647n],
  bigint: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
} as const;

/**
 * Decodes a cursor, or returns null when it is malformed, was issued for another sort, or holds a value its
 * sort key's SQL type (`sqlType`) cannot.
 */
export function decodeOfferCursor(
  text: string,
  sort: OfferSort,
  order: 'asc' | 'desc',
  sqlType: keyof typeof RANGE,
): OfferCursor | null {
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
  const [min, max] = RANGE[sqlType];
  if (BigInt(value) > max || BigInt(value) < min) return null;
  if (typeof nodeId !== 'string' || !UUID.test(nodeId)) return null;
  return { sort, order, value, nodeId };
}
