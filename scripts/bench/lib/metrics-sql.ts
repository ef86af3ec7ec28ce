import { MS_PER_DAY } from '@/lib/clock';

/**
 * Shared pieces of the metrics benchmark's SQL generator: one database session to run statements on, the
 * 365-day window the history covers, and deterministic pseudo-random numbers computed inside PostgreSQL.
 */

/** One database session (staging tables and session settings must outlive a statement). */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string): Promise<T[]>;
}

/** Staging tables live here while the history is generated; the schema is dropped afterwards. */
export const STAGING = 'bench_load';

/** Days of history loaded before the rollups are built; one more day is added to time the refresh. */
export const HISTORY_DAYS = 365;

export interface HistoryWindow {
  /** First instant of the history (UTC midnight). */
  start: Date;
  /** End of the loaded history = start of the day added later. */
  end: Date;
  /** End of the added day: the start of the current UTC day when the benchmark runs. */
  dayEnd: Date;
}

/**
 * The history ends where yesterday begins, so the API's default range (the twelve months up to today) covers
 * it, and the added day is yesterday. The data is a function of the seed and this date.
 */
export function historyWindow(now: Date): HistoryWindow {
  const dayEnd = new Date(Math.floor(now.getTime() / MS_PER_DAY) * MS_PER_DAY);
  const end = new Date(dayEnd.getTime() - MS_PER_DAY);
  return { start: new Date(end.getTime() - HISTORY_DAYS * MS_PER_DAY), end, dayEnd };
}

/** A timestamptz literal. */
export function ts(at: Date): string {
  return `'${at.toISOString()}'::timestamptz`;
}

/**
 * Deterministic randomness that does not depend on row order or plan: a uniform number in [0, 1) from a hash
 * of (seed, salt, key). `key` is an SQL expression that evaluates to a bigint; every salt is used once per
 * kind of draw so draws are independent.
 */
export function makeUniform(seed: number): (key: string, salt: number) => string {
  return (key, salt) =>
    `((hashint8extended((${key})::bigint, ${seed * 1000 + salt}::bigint) & 281474976710655)::float8 / 281474976710656.0)`;
}

/** A stable uuid for the n-th thing of a kind: md5 of seed, kind and key (an SQL text expression). */
export function makeUuid(seed: number): (kind: string, key: string) => string {
  return (kind, key) => `md5('${seed}:${kind}:' || (${key}))::uuid`;
}

/** 64 hex digits after 0x (a transaction or block hash) from two md5s of seed, kind and key. */
export function makeHash(seed: number): (kind: string, key: string) => string {
  return (kind, key) =>
    `('0x' || md5('${seed}:${kind}:a:' || (${key})) || md5('${seed}:${kind}:b:' || (${key})))`;
}

/** A lower-case 0x-address, 40 hex digits, from seed, kind and key. */
export function makeAddress(seed: number): (kind: string, key: string) => string {
  return (kind, key) =>
    `('0x' || substr(md5('${seed}:${kind}:a:' || (${key})) || md5('${seed}:${kind}:b:' || (${key})), 1, 40))`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs statements in order and returns how long they took. */
export async function timed(session: SqlSession, statements: readonly string[]): Promise<number> {
  const started = performance.now();
  for (const statement of statements) await session.query(statement);
  return performance.now() - started;
}

export interface GeneratorScale {
  seed: number;
  /** Customer jobs in the 365-day history. */
  jobs: number;
  customers: number;
  nodes: number;
}

/** Everything the SQL builders share: the scale, the window and the seeded generators. */
export interface GeneratorContext extends GeneratorScale {
  window: HistoryWindow;
  suppliers: number;
  u: (key: string, salt: number) => string;
  uuid: (kind: string, key: string) => string;
  hash: (kind: string, key: string) => string;
  address: (kind: string, key: string) => string;
  /** Ledger accounts without an owner: the platform's fees and the outside world, per currency. */
  feesAccount: string;
  externalUsdc: string;
  externalIncentive: string;
}

export function generatorContext(scale: GeneratorScale, window: HistoryWindow): GeneratorContext {
  const uuid = makeUuid(scale.seed);
  return {
    ...scale,
    window,
    suppliers: Math.max(10, Math.round(scale.nodes / 4)),
    u: makeUniform(scale.seed),
    uuid,
    hash: makeHash(scale.seed),
    address: makeAddress(scale.seed),
    feesAccount: uuid('ledger-account', `'platform_fees'`),
    externalUsdc: uuid('ledger-account', `'external:usdc'`),
    externalIncentive: uuid('ledger-account', `'external:incentive'`),
  };
}
