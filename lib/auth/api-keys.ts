import { and, desc, eq, isNull } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, apiKeys } from '@/lib/db/schema';
import type { ApiKeyView, CreatedApiKey } from '@/lib/auth/schemas';
import { API_KEY_SCOPES, type ApiKeyScope } from '@/lib/auth/scopes';
import type { Principal } from '@/lib/auth/sessions';
import { hashToken, randomToken } from '@/lib/auth/tokens';

/** Keys look like `bfk_<43 url-safe chars>` (256 random bits); the prefix makes leaked keys greppable. */
export const API_KEY_PREFIX = 'bfk_';
const SHOWN_PREFIX_LENGTH = 12;
/** At most this many live keys per account. */
export const MAX_API_KEYS = 20;
const TOUCH_EVERY_MS = 60_000;

type ApiKeyRow = typeof apiKeys.$inferSelect;

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a key and returns it once; only its SHA-256 is stored. */
export async function createApiKey(
  db: Db,
  clock: Clock,
  accountId: string,
  name: string,
  /** Every scope unless limited (the dashboard and the API default to DEFAULT_API_KEY_SCOPES). */
  requested: readonly ApiKeyScope[] = API_KEY_SCOPES,
): Promise<CreatedApiKey> {
  // Stored in the canonical order, once each, so lists and checks never depend on how they were sent.
  const scopes = API_KEY_SCOPES.filter((scope) => requested.includes(scope));
  if (scopes.length === 0) throw new AppError('unprocessable', 'An API key needs at least one scope.');
  const live = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)));
  if (live.length >= MAX_API_KEYS)
    throw new AppError(
      'conflict',
      `An account can have at most ${MAX_API_KEYS} live API keys; revoke one first.`,
    );
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const [row] = await db
    .insert(apiKeys)
    .values({
      accountId,
      name,
      scopes,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: hashToken(key),
      createdAt: clock.now(),
    })
    .returning();
  if (!row) throw new Error('API key insert returned nothing');
  return { ...toView(row), key };
}

export async function listApiKeys(db: Db, accountId: string): Promise<ApiKeyView[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.accountId, accountId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toView);
}

/** Revokes one of the caller's keys; another account's key is "not found", never "forbidden". */
export async function revokeApiKey(db: Db, clock: Clock, accountId: string, id: string): Promise<ApiKeyView> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: clock.now() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)))
    .returning();
  if (row) return toView(row);
  const [existing] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.accountId, accountId)));
  if (existing) return toView(existing);
  throw new AppError('not_found', `No API key with id ${id}.`);
}

/** The account a bearer key acts for, or null when it is unknown or revoked. */
export async function resolveApiKey(db: Db, clock: Clock, key: string): Promise<Principal | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const [row] = await db
    .select({
      id: apiKeys.id,
      accountId: apiKeys.accountId,
      address: accounts.walletAddress,
      lastUsedAt: apiKeys.lastUsedAt,
      scopes: apiKeys.scopes,
    })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.accountId))
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  const now = clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS)
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  return { accountId: row.accountId, address: row.address, via: 'api_key', scopes: row.scopes };
}
