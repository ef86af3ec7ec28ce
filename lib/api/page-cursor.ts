import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';

/**
 * Keyset cursor of an account's newest-first list (deposits, payouts): the creation time and id of the last
 * row of a page, as opaque base64url JSON. Ties on the time are broken by id, so no row is skipped or repeated.
 */
export interface CreatedCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function encodeCreatedCursor(row: CreatedCursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** Decodes a cursor; a malformed one is a 400, not an empty page. */
export function decodeCreatedCursor(text: string): CreatedCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [at, id] = parsed as unknown[];
    const createdAt = typeof at === 'string' ? new Date(at) : null;
    // Years outside 1–9999 are valid JavaScript dates but not PostgreSQL timestamps.
    const year = createdAt?.getUTCFullYear() ?? 0;
    if (createdAt && year >= 1 && year <= 9999 && typeof id === 'string' && isUuid(id))
      return { createdAt, id };
  }
  throw new AppError('bad_request', 'Invalid cursor.', {
    fields: [{ field: 'cursor', message: 'not a cursor from this list' }],
  });
}

/** The rows after the cursor in (created_at desc, id desc) order. */
export function olderThan(createdAt: AnyColumn, id: AnyColumn, cursor: CreatedCursor): SQL {
  return sql`(${createdAt}, ${id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`;
}

/** Splits a `limit + 1` query result into a page and the cursor of the next one. */
export function toPage<T extends CreatedCursor, V>(
  rows: readonly T[],
  limit: number,
  view: (row: T) => V,
): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last ? encodeCreatedCursor(last) : null,
  };
}
