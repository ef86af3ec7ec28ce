import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ApiKeyScope } from '@/lib/auth/scopes';
import { timestamptz } from '@/lib/db/schema/columns';
import { accounts } from '@/lib/db/schema/accounts';

/** Sign-in nonces: random, single use (consumed atomically), expiring. */
export const siweNonces = pgTable(
  'siwe_nonces',
  {
    nonce: text('nonce').primaryKey(),
    createdAt: timestamptz('created_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('siwe_nonces_expires_idx').on(t.expiresAt)],
);

/** Server-side sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The nonce the session was signed in with: one session per nonce, even under concurrent posts. */
    nonce: text('nonce')
      .notNull()
      .references(() => siweNonces.nonce),
    chainId: integer('chain_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    /** Absolute timeout; the idle timeout is measured from last_seen_at. */
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_key').on(t.tokenHash),
    uniqueIndex('sessions_nonce_key').on(t.nonce),
    index('sessions_account_idx').on(t.accountId),
  ],
);

/** API keys for programmatic customers: shown once, stored as SHA-256, revocable. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    /** The first characters of the key, shown in lists so a person can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    /**
     * What the key may do (lib/auth/scopes.ts). Keys made before scopes existed could do everything a session
     * could, so they keep every scope.
     */
    scopes: text('scopes')
      .array()
      .$type<ApiKeyScope[]>()
      .notNull()
      .default(sql`'{read,jobs,supplier,billing}'::text[]`),
    createdAt: timestamptz('created_at').notNull(),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_key').on(t.keyHash),
    index('api_keys_account_idx').on(t.accountId, t.createdAt),
    check(
      'api_keys_scopes_known',
      sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ '{read,jobs,supplier,billing}'::text[]`,
    ),
  ],
);

/** Fixed-window request counters shared by every web instance (rate limits live in the database). */
export const rateLimitBuckets = pgTable(
  'rate_limit_buckets',
  {
    key: text('key').notNull(),
    windowStart: timestamptz('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limit_window_idx').on(t.windowStart)],
);

/**
 * Stored answers of mutations sent with an `Idempotency-Key`: a replay gets the same status and body, the same
 * key with another body is refused, and concurrent requests with one key run once (the row is claimed first).
 */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    key: text('key').notNull(),
    /** Method, path and SHA-256 of the body the key was first used with. */
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    status: integer('status'),
    body: jsonb('body'),
    createdAt: timestamptz('created_at')
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] })],
);
