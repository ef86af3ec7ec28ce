import { sql } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';

export interface RateLimitRule {
  /** What is limited, e.g. "sign-in". */
  name: string;
  limit: number;
  windowMs: number;
  /** One bucket for everyone (a backstop behind the per-client buckets). */
  global?: boolean;
}

/**
 * Counts one request against a fixed window shared by every web instance (the counter is a database row
 * incremented atomically), and refuses with 429 + Retry-After once the window's limit is used up.
 */
export async function enforceRateLimit(
  db: Db,
  clock: Clock,
  rule: RateLimitRule,
  subject: string,
): Promise<void> {
  const now = clock.now().getTime();
  const windowStart = new Date(now - (now % rule.windowMs));
  const key = `${rule.name}:${rule.global ? '*' : subject}`;
  const [row] = await queryRows<{ count: number }>(
    db,
    sql`insert into rate_limit_buckets (key, window_start, count) values (${key}, ${windowStart.toISOString()}, 1)
        on conflict (key, window_start) do update set count = rate_limit_buckets.count + 1
        returning count`,
  );
  if ((row?.count ?? 0) > rule.limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + rule.windowMs - now) / 1000));
    throw new AppError('rate_limited', `Too many ${rule.name} requests; try again in ${retryAfter} s.`, {
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

/** Drops windows that ended long ago (run by the background loop). */
export async function pruneRateLimits(db: Db, clock: Clock): Promise<void> {
  const cutoff = new Date(clock.now().getTime() - 24 * 3600_000);
  await db.execute(sql`delete from rate_limit_buckets where window_start < ${cutoff.toISOString()}`);
}
