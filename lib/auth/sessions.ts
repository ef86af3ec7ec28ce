import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, sessions } from '@/lib/db/schema';
import type { ApiKeyScope } from '@/lib/auth/scopes';
import { hashToken, randomToken } from '@/lib/auth/tokens';

export const SESSION_COOKIE = 'bf_session';
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** …and after this long in any case. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;
/** last_seen_at is written at most this often, so reads don't all become writes. */
const TOUCH_EVERY_MS = 60_000;

export interface Principal {
  accountId: string;
  address: string;
  via: 'session' | 'api_key';
  /** An API key's scopes (lib/auth/scopes.ts); absent for a wallet session, which needs none. */
  scopes?: readonly ApiKeyScope[];
  sessionId?: string;
  expiresAt?: Date;
}

export async function createSession(
  db: Db,
  clock: Clock,
  input: { accountId: string; nonce: string; chainId: number },
): Promise<{ token: string; expiresAt: Date }> {
  const now = clock.now();
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    accountId: input.accountId,
    nonce: input.nonce,
    chainId: input.chainId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** The live session a cookie token names, or null (unknown, revoked, idle too long or past its end). */
export async function resolveSession(db: Db, clock: Clock, token: string): Promise<Principal | null> {
  const [row] = await db
    .select({
      id: sessions.id,
      accountId: sessions.accountId,
      address: accounts.walletAddress,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)))
    .limit(1);
  if (!row) return null;
  const now = clock.now().getTime();
  if (now >= row.expiresAt.getTime() || now - row.lastSeenAt.getTime() >= SESSION_IDLE_MS) return null;
  if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await db.update(sessions).set({ lastSeenAt: clock.now() }).where(eq(sessions.id, row.id));
  return {
    accountId: row.accountId,
    address: row.address,
    via: 'session',
    sessionId: row.id,
    expiresAt: row.expiresAt,
  };
}

/** Server-side logout: the token stops working everywhere, even if a copy of the cookie survives. */
export async function revokeSession(db: Db, clock: Clock, token: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: clock.now() })
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)));
}
