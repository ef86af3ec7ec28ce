import { MS_PER_HOUR } from '@/lib/clock';
import {
  applyLedgerBalances,
  checkLoadedHistory,
  type LoadChecks,
} from '@/scripts/bench/lib/metrics-data-checks';
import { deferIndexes } from '@/scripts/bench/lib/metrics-data-indexes';
import {
  canaryStatements,
  customerStatements,
  daySeedStatements,
  jobStatements,
  type Segment,
} from '@/scripts/bench/lib/metrics-data-jobs';
import { customerAccountStatements, ledgerStatements } from '@/scripts/bench/lib/metrics-data-ledger';
import { epochStatements, REWARD_DAYS, supplyStatements } from '@/scripts/bench/lib/metrics-data-supply';
import {
  seconds,
  STAGING,
  timed,
  type GeneratorContext,
  type SqlSession,
} from '@/scripts/bench/lib/metrics-sql';

/**
 * `npm run bench:metrics`'s data: a year of marketplace history generated inside PostgreSQL with set-based SQL
 * (see metrics-data-supply/jobs/ledger.ts for what is generated and how), loaded through the migrated schema
 * and checked (metrics-data-checks.ts); then one more day, inserted as the app would (triggers and foreign keys
 * on), for the incremental refresh.
 */

/** Longest attempt of the loaded year (3 days), and of the added day (4 h, so its jobs also end in it). */
const YEAR_MAX_RUN_MS = 72 * MS_PER_HOUR;
const DAY_MAX_RUN_MS = 4 * MS_PER_HOUR;
/** Tables with a million rows or more: loaded without their keys and indexes, which are rebuilt after. */
const BULK_TABLES = ['jobs', 'job_attempts', 'ledger_transactions', 'ledger_postings', 'incentive_rewards'];

export interface TableShape {
  table: string;
  rows: number;
  /** Heap, indexes and TOAST. */
  bytes: number;
}

export interface LoadReport {
  window: { start: string; end: string; dayEnd: string };
  suppliers: number;
  timings: {
    supplyMs: number;
    jobsMs: number;
    ledgerMs: number;
    indexesMs: number;
    balancesMs: number;
    checksMs: number;
    vacuumMs: number;
    totalMs: number;
  };
  checks: LoadChecks;
  tables: TableShape[];
  /** Distribution of the generated jobs, read back from the tables. */
  jobs: { state: string; jobs: number; attempts: number }[];
  databaseBytes: number;
}

export interface DayReport {
  jobs: number;
  attempts: number;
  captures: number;
  transactions: number;
  insertMs: number;
}

const SHAPE_TABLES = [
  'accounts',
  'nodes',
  'node_verifications',
  'jobs',
  'job_attempts',
  'ledger_transactions',
  'ledger_postings',
  'deposits',
  'payouts',
  'incentive_epochs',
  'incentive_rewards',
];

/**
 * Session settings for generating: UTC days and months; sorts, hashes and index builds of a few million rows in
 * memory rather than in temporary files; no flush at every commit. They apply to this session only.
 */
async function prepareSession(session: SqlSession): Promise<void> {
  for (const setting of [
    `set timezone = 'UTC'`,
    `set work_mem = '1GB'`,
    `set maintenance_work_mem = '1GB'`,
    `set synchronous_commit = off`,
  ])
    await session.query(setting);
}

async function readShape(
  session: SqlSession,
): Promise<Pick<LoadReport, 'tables' | 'jobs' | 'databaseBytes'>> {
  const tables: TableShape[] = [];
  for (const table of SHAPE_TABLES) {
    const [row] = await session.query<{ rows: number; bytes: string }>(
      `select count(*)::int as rows, pg_total_relation_size('${table}')::text as bytes from ${table}`,
    );
    tables.push({ table, rows: row?.rows ?? 0, bytes: Number(row?.bytes ?? 0) });
  }
  const jobs = await session.query<{ state: string; jobs: number; attempts: number }>(
    `select j.kind || ' ' || j.state as state, count(*)::int as jobs, sum(j.attempt_count)::int as attempts
     from jobs j group by 1 order by 1`,
  );
  const [size] = await session.query<{ bytes: string }>(
    `select pg_database_size(current_database())::text as bytes`,
  );
  return { tables, jobs, databaseBytes: Number(size?.bytes ?? 0) };
}

/**
 * Generates and loads the year on a migrated, empty database, checks it, and leaves the staging tables for
 * `addHistoryDay`.
 */
export async function loadMetricsHistory(
  session: SqlSession,
  ctx: GeneratorContext,
  log: (line: string) => void,
): Promise<LoadReport> {
  const started = performance.now();
  const base: Segment = {
    name: 'base',
    from: ctx.window.start,
    to: ctx.window.end,
    maxRunMs: YEAR_MAX_RUN_MS,
  };
  await prepareSession(session);
  await session.query(`drop schema if exists ${STAGING} cascade`);
  await session.query(`create schema ${STAGING}`);
  await session.query(`set session_replication_role = replica`);
  const deferred = await deferIndexes(session, BULK_TABLES);
  let supplyMs: number;
  let jobsMs: number;
  let ledgerMs: number;
  try {
    supplyMs = await timed(session, supplyStatements(ctx));
    log(
      `  supply: ${ctx.nodes.toLocaleString('en-US')} nodes of ${ctx.suppliers} suppliers, weekly checks, ` +
        `${(24 * 365).toLocaleString('en-US')} hourly epochs (rewards for the last ${REWARD_DAYS} days) in ${seconds(supplyMs)}`,
    );
    jobsMs = await timed(session, [
      ...customerStatements(ctx),
      ...jobStatements(ctx, base),
      ...canaryStatements(ctx),
    ]);
    log(`  demand: customers, jobs, attempts and canaries in ${seconds(jobsMs)}`);
    ledgerMs = await timed(session, [...ledgerStatements(ctx, base), ...customerAccountStatements()]);
    log(`  money: holds, captures, releases, deposits and payouts in ${seconds(ledgerMs)}`);
  } finally {
    await session.query(`set session_replication_role = origin`);
  }
  const indexes = await deferred.restore();
  log(
    `  keys and indexes of ${BULK_TABLES.join(', ')} rebuilt (${indexes.rebuilt}, ` +
      `${indexes.foreignKeys.length} foreign keys validated) in ${seconds(indexes.ms)}`,
  );
  const balancesStarted = performance.now();
  await applyLedgerBalances(session);
  const balancesMs = performance.now() - balancesStarted;
  const checks = await checkLoadedHistory(session, indexes.foreignKeys);
  log(
    `  checks: ${checks.foreignKeys} foreign keys, balanced ledger, running balances, attempts against captures — ` +
      `all hold (${seconds(checks.ms)})`,
  );
  const vacuumStarted = performance.now();
  // As autovacuum would leave a table some minutes after a load: visibility map set, statistics current.
  await session.query(`vacuum (analyze)`);
  const vacuumMs = performance.now() - vacuumStarted;
  log(`  VACUUM ANALYZE in ${seconds(vacuumMs)}`);
  const shape = await readShape(session);
  return {
    window: {
      start: ctx.window.start.toISOString(),
      end: ctx.window.end.toISOString(),
      dayEnd: ctx.window.dayEnd.toISOString(),
    },
    suppliers: ctx.suppliers,
    timings: {
      supplyMs,
      jobsMs,
      ledgerMs,
      indexesMs: indexes.ms,
      balancesMs,
      checksMs: checks.ms,
      vacuumMs,
      totalMs: performance.now() - started,
    },
    checks,
    ...shape,
  };
}

/**
 * One more day of history after the loaded year, written with every trigger and foreign key on, as the
 * app's own writes would be: a day's share of jobs from the customers still active, their attempts, money and
 * fundings, and the day's 24 epochs. Drops the staging schema afterwards.
 */
export async function addHistoryDay(session: SqlSession, ctx: GeneratorContext): Promise<DayReport> {
  const count = Math.max(1, Math.round(ctx.jobs / 365));
  const day: Segment = { name: 'day', from: ctx.window.end, to: ctx.window.dayEnd, maxRunMs: DAY_MAX_RUN_MS };
  const before = await countRows(session);
  const insertMs = await timed(session, [
    ...daySeedStatements(ctx, count),
    ...jobStatements(ctx, day),
    ...ledgerStatements(ctx, day),
    ...epochStatements(ctx, ctx.window.end, ctx.window.dayEnd, ctx.window.end),
  ]);
  const after = await countRows(session);
  await session.query(`drop schema ${STAGING} cascade`);
  if (after.jobs - before.jobs !== count) throw new Error(`expected ${count} jobs in the added day`);
  return {
    jobs: after.jobs - before.jobs,
    attempts: after.attempts - before.attempts,
    captures: after.captures - before.captures,
    transactions: after.transactions - before.transactions,
    insertMs,
  };
}

async function countRows(
  session: SqlSession,
): Promise<{ jobs: number; attempts: number; captures: number; transactions: number }> {
  const [row] = await session.query<{
    jobs: number;
    attempts: number;
    captures: number;
    transactions: number;
  }>(
    `select (select count(*)::int from jobs) as jobs, (select count(*)::int from job_attempts) as attempts,
       (select count(*)::int from ledger_transactions where kind = 'capture') as captures,
       (select count(*)::int from ledger_transactions) as transactions`,
  );
  if (!row) throw new Error('no counts');
  return row;
}
