import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { NextResponse } from 'next/server';
import { AppError } from '@/lib/api/errors';
import type { Db } from '@/lib/db/client';
import { idempotencyRecords } from '@/lib/db/schema';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;
/** A claim without an answer this old belonged to a process that died mid-request; the key is free again. */
const ABANDONED_AFTER = '5 minutes';

/**
 * Runs a mutation once per (account, Idempotency-Key). The key is claimed with an insert before the work
 * starts, so concurrent requests with one key run once: the others get 409 while it runs and the stored answer
 * afterwards. A replay returns the same status and body; the same key with another request is refused (422).
 * Unexpected failures release the key so the client can retry, and so does a claim abandoned by a crash.
 */
export async function withIdempotency(
  db: Db,
  input: {
    accountId: string;
    key: string | null;
    required: boolean;
    fingerprint: string;
    run: () => Promise<NextResponse>;
  },
): Promise<NextResponse> {
  const { key } = input;
  if (key === null) {
    if (input.required)
      throw new AppError('bad_request', 'This request needs an Idempotency-Key header (8–128 characters).', {
        fields: [{ field: 'Idempotency-Key', message: 'required' }],
      });
    return input.run();
  }
  if (!KEY_PATTERN.test(key))
    throw new AppError('bad_request', 'Idempotency-Key must be 8–128 letters, digits or _ . : -', {
      fields: [{ field: 'Idempotency-Key', message: 'invalid' }],
    });
  const requestHash = createHash('sha256').update(input.fingerprint).digest('hex');
  const where = and(eq(idempotencyRecords.accountId, input.accountId), eq(idempotencyRecords.key, key));
  await db
    .delete(idempotencyRecords)
    .where(
      and(
        where,
        isNull(idempotencyRecords.status),
        sql`${idempotencyRecords.createdAt} < now() - ${ABANDONED_AFTER}::interval`,
      ),
    );
  const claimed = await db
    .insert(idempotencyRecords)
    .values({ accountId: input.accountId, key, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyRecords.key });
  if (claimed.length === 0) {
    const [existing] = await db.select().from(idempotencyRecords).where(where);
    if (!existing) throw new AppError('conflict', 'The Idempotency-Key was just released; retry.');
    if (existing.requestHash !== requestHash)
      throw new AppError('unprocessable', 'This Idempotency-Key was already used for a different request.');
    if (existing.status === null)
      throw new AppError(
        'conflict',
        'A request with this Idempotency-Key is still being processed; retry shortly.',
      );
    return NextResponse.json(existing.body, {
      status: existing.status,
      headers: { 'Cache-Control': 'no-store', 'Idempotent-Replayed': 'true' },
    });
  }
  let response: NextResponse;
  try {
    response = await input.run();
  } catch (error) {
    await db.delete(idempotencyRecords).where(where);
    throw error;
  }
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  await db
    .update(idempotencyRecords)
    .set({ status: response.status, body: sql`${JSON.stringify(body)}::jsonb` })
    .where(where);
  return response;
}
