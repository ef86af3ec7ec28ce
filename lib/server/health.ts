import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PublicClient } from 'viem';
import type { Clock } from '@/lib/clock';
import { MIGRATIONS_FOLDER, queryRows, type Db } from '@/lib/db/client';
import { workerLoops } from '@/lib/db/schema';
import { isDraining } from '@/lib/server/lifecycle';

/**
 * Readiness: whether this instance should be sent traffic. A load balancer asks `GET /api/health/ready`;
 * liveness (`/api/health/live`) only says the process answers and is not draining.
 */
export interface HealthCheck {
  name: 'lifecycle' | 'database' | 'migrations' | 'chain' | 'worker-loops';
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: HealthCheck[];
  loops: LoopHealth[];
}

export interface LoopHealth {
  name: string;
  workerId: string;
  intervalMs: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  state: 'ok' | 'failing' | 'stalled' | 'retired';
}

/** Each check gives up after this long: a hung dependency must not hang the load balancer's probe. */
const CHECK_TIMEOUT_MS = 2_000;
/** Runs are recorded at most this often (background-loops.ts), so a loop is judged on at least this period. */
const LOOP_RECORD_PERIOD_MS = 5_000;
/** A loop with no finished run for twice its period and a minute more is stalled. */
const LOOP_STALL_GRACE_MS = 60_000;
/** A loop silent for a day is one no worker runs any more (a renamed or removed loop): not judged. */
const LOOP_RETIRED_AFTER_MS = 86_400_000;
/** A loop failing this many runs in a row is reported as failing (it still runs; readiness holds). */
const LOOP_FAILING_AFTER = 3;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface Journal {
  entries: { when: number; tag: string }[];
}

let journal: Journal | null = null;

/** The migrations this build ships (drizzle's journal). */
function shippedMigrations(): Journal['entries'] {
  journal ??= JSON.parse(
    readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  return journal.entries;
}

/** Migrations this build ships that the database has not applied (drizzle records each one's folder time). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const [table] = await queryRows<{ name: string | null }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`,
  );
  // No migrations table: nothing was ever applied.
  const rows = table?.name
    ? await queryRows<{ last: string | null }>(
        db,
        sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`,
      )
    : [];
  const last = rows[0]?.last === null || rows[0]?.last === undefined ? -1 : Number(rows[0].last);
  return shippedMigrations()
    .filter((entry) => entry.when > last)
    .map((entry) => entry.tag);
}

/** Every loop's health from `worker_loops`, as of `now`. */
export async function loopHealth(db: Db, now: Date): Promise<LoopHealth[]> {
  const rows = await db.select().from(workerLoops).orderBy(workerLoops.name);
  return rows.map((row) => {
    const lastFinished = Math.max(row.lastSuccessAt?.getTime() ?? 0, row.lastErrorAt?.getTime() ?? 0);
    const silentMs = now.getTime() - Math.max(lastFinished, row.lastStartedAt.getTime());
    const sinceFinished = now.getTime() - lastFinished;
    const allowedMs = 2 * Math.max(row.intervalMs, LOOP_RECORD_PERIOD_MS) + LOOP_STALL_GRACE_MS;
    const state: LoopHealth['state'] =
      silentMs > LOOP_RETIRED_AFTER_MS
        ? 'retired'
        : sinceFinished > allowedMs
          ? 'stalled'
          : row.consecutiveFailures >= LOOP_FAILING_AFTER
            ? 'failing'
            : 'ok';
    return {
      name: row.name,
      workerId: row.workerId,
      intervalMs: row.intervalMs,
      lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
      lastError: row.lastError,
      consecutiveFailures: row.consecutiveFailures,
      state,
    };
  });
}

async function check(name: HealthCheck['name'], work: () => Promise<string>): Promise<HealthCheck> {
  try {
    return { name, ok: true, detail: await withTimeout(work(), name) };
  } catch (error) {
    return { name, ok: false, detail: message(error) };
  }
}

/**
 * Readiness: not draining; the database answers; its migrations are those this build ships; the chain's RPC
 * answers (when one is configured); no background loop is stalled (some worker must be running them).
 */
export async function readiness(
  db: Db,
  clock: Clock,
  chain: Pick<PublicClient, 'getBlockNumber'> | null,
): Promise<Readiness> {
  let loops: LoopHealth[] = [];
  const checks = await Promise.all([
    check('lifecycle', async () => {
      if (isDraining()) throw new Error('shutting down');
      return 'serving';
    }),
    check('database', async () => {
      await db.execute(sql`select 1`);
      return 'reachable';
    }),
    check('migrations', async () => {
      const pending = await pendingMigrations(db);
      if (pending.length)
        throw new Error(`${pending.length} not applied (${pending.join(', ')}): run npm run migrate`);
      return `current (${shippedMigrations().length} applied)`;
    }),
    check('chain', async () => {
      if (!chain) return 'none configured';
      return `block ${await chain.getBlockNumber()}`;
    }),
    check('worker-loops', async () => {
      loops = await loopHealth(db, clock.now());
      const judged = loops.filter((loop) => loop.state !== 'retired');
      if (judged.length === 0) throw new Error('no worker has run the background loops yet');
      const stalled = judged.filter((loop) => loop.state === 'stalled');
      if (stalled.length) throw new Error(`stalled: ${stalled.map((loop) => loop.name).join(', ')}`);
      const failing = judged.filter((loop) => loop.state === 'failing');
      return failing.length
        ? `${judged.length} running; failing: ${failing.map((loop) => loop.name).join(', ')}`
        : `${judged.length} running`;
    }),
  ]);
  return { ready: checks.every((c) => c.ok), checks, loops };
}

/**
 * A readiness answer is reused this long, and concurrent probes share one computation: however many probes
 * arrive (load balancers, orchestrators, anyone — the endpoint is public), the database answers at most one set
 * of checks a second per instance. Draining is judged on every call.
 */
export const READINESS_REUSE_MS = 1_000;

let lastReadiness: { at: number; db: Db; result: Promise<Readiness> } | null = null;

/** `readiness`, reused for `READINESS_REUSE_MS` of `clock` (what the endpoint answers). */
export async function sharedReadiness(
  db: Db,
  clock: Clock,
  chain: Pick<PublicClient, 'getBlockNumber'> | null,
): Promise<Readiness> {
  const now = clock.now().getTime();
  const reusable =
    lastReadiness?.db === db && now >= lastReadiness.at && now - lastReadiness.at < READINESS_REUSE_MS;
  if (!reusable) lastReadiness = { at: now, db, result: readiness(db, clock, chain) };
  const result = await lastReadiness!.result;
  if (!isDraining() || !result.ready) return result;
  return {
    ...result,
    ready: false,
    checks: result.checks.map((c) =>
      c.name === 'lifecycle' ? { name: c.name, ok: false, detail: 'shutting down' } : c,
    ),
  };
}
