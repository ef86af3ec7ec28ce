import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import type { EngineResult } from '@/scripts/bench/lib/run-engine';
import { formatMiB, formatMs, textTable } from '@/scripts/bench/lib/stats';

/** Targets from the design notes ("Speed and memory"). */
export const TARGETS = { postgresP95Ms: 25, deepPageRatio: 2 } as const;

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the benchmark started: anything else running skews the figures. */
  loadAverageAtStart: number;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}×` : '–';
}

/** One line per engine: the figures the acceptance criteria name, side by side. */
export function summaryTable(results: readonly EngineResult[], benchPeakRssBytes: number): string {
  const header = [
    'engine',
    'offers',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'server p50 ms',
    'server p95 ms',
    'SQL p50 ms',
    'SQL p95 ms',
    'API÷SQL p50 (load / 1 conn)',
    'page 1 ms',
    'page 1,000 ms',
    'deep÷first',
    'index, no sort',
    'server peak RSS',
    'bench peak RSS',
  ];
  const rows = results.map((r) => [
    r.engine === 'postgres' ? `PostgreSQL ${r.serverVersion}` : `PGlite (PG ${r.serverVersion})`,
    r.offers.toLocaleString('en-US'),
    Math.round(r.loadTest.requestsPerSecond).toLocaleString('en-US'),
    formatMs(r.loadTest.latency.p50),
    formatMs(r.loadTest.latency.p95),
    formatMs(r.loadTest.latency.p99),
    formatMs(r.loadTest.serverTiming.p50),
    formatMs(r.loadTest.serverTiming.p95),
    formatMs(r.sql.p50),
    formatMs(r.sql.p95),
    `${ratio(r.overheadUnderLoad)} / ${ratio(r.overheadSequential)}`,
    formatMs(r.pages.page1.p50),
    formatMs(r.pages.page1000.p50),
    ratio(r.pages.ratio),
    `${r.explainIndexNoSort}/${r.queries.length}`,
    formatMiB(r.serverMemory.peakTreeRssBytes),
    formatMiB(benchPeakRssBytes),
  ]);
  return textTable(header, rows);
}

/** Latency against concurrency, and the CPU each process spent per request under the main load. */
export function concurrencyTable(results: readonly EngineResult[]): string {
  const header = ['engine', 'route', 'connections', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'];
  const rows = results.flatMap((r) =>
    [
      ...r.sweep.map((point) => ({ ...point, route: 'offer search mix' })),
      {
        route: 'offer search mix',
        connections: r.loadTest.connections,
        requestsPerSecond: r.loadTest.requestsPerSecond,
        latency: r.loadTest.latency,
      },
      { ...r.staticFloor, route: `static ${r.staticFloor.path} (no database)` },
    ].map((point) => [
      r.engine,
      point.route,
      String(point.connections),
      Math.round(point.requestsPerSecond).toLocaleString('en-US'),
      formatMs(point.latency.p50),
      formatMs(point.latency.p95),
      formatMs(point.latency.p99),
    ]),
  );
  return textTable(header, rows);
}

export function cpuTable(results: readonly EngineResult[]): string {
  const header = ['engine', 'server', 'PostgreSQL', 'autocannon', 'total', 'cores busy', 'other work'];
  const rows = results.map((r) => {
    const total =
      r.cpu.serverMsPerRequest + (r.cpu.databaseMsPerRequest ?? 0) + r.cpu.loadGeneratorMsPerRequest;
    return [
      r.engine,
      r.cpu.serverMsPerRequest.toFixed(2),
      r.cpu.databaseMsPerRequest === null ? '(in server)' : r.cpu.databaseMsPerRequest.toFixed(2),
      r.cpu.loadGeneratorMsPerRequest.toFixed(2),
      total.toFixed(2),
      r.cpu.machineBusyCores.toFixed(2),
      r.cpu.otherBusyCores.toFixed(2),
    ];
  });
  return textTable(header, rows);
}

function planCell(r: EngineResult['queries'][number]): string {
  const scans = r.plan.nodeTypes.filter((t) => t.endsWith('Scan'));
  const index = r.plan.indexes.join(', ');
  return `${scans.join(' + ')}${index ? ` (${index})` : ''}`;
}

/** Per query: raw SQL, the API on one connection and under load, and the plan EXPLAIN ANALYZE shows. */
export function queryTable(result: EngineResult): string {
  const header = [
    'query',
    'rows',
    'SQL p50',
    'SQL p95',
    'API p50 1 conn',
    'API÷SQL',
    'API p50 load',
    'API p95 load',
    'plan',
    'sort node',
    'rows filtered out',
  ];
  const rows = result.queries.map((q) => [
    q.label,
    String(q.rows),
    formatMs(q.sql.p50),
    formatMs(q.sql.p95),
    formatMs(q.apiSequential.p50),
    ratio(q.apiSequential.p50 / q.sql.p50),
    formatMs(q.apiUnderLoad.p50),
    formatMs(q.apiUnderLoad.p95),
    planCell(q),
    q.plan.sort ? 'SORT' : 'no',
    Math.round(q.plan.rowsRemovedByFilter).toLocaleString('en-US'),
  ]);
  return textTable(header, rows);
}

export interface Verdict {
  label: string;
  met: boolean;
  detail: string;
}

export function verdicts(results: readonly EngineResult[]): Verdict[] {
  const out: Verdict[] = [];
  for (const r of results) {
    if (r.engine === 'postgres') {
      out.push({
        label: `PostgreSQL server-side p95 ≤ ${TARGETS.postgresP95Ms} ms at ${r.loadTest.connections} connections`,
        met: r.loadTest.serverTiming.p95 <= TARGETS.postgresP95Ms,
        detail:
          `server-side (Server-Timing) p95 ${formatMs(r.loadTest.serverTiming.p95)} ms; ` +
          `client-observed p95 ${formatMs(r.loadTest.latency.p95)} ms, most of it queueing in front of one process`,
      });
    }
    const bad = r.queries.filter((q) => !q.plan.indexScan || q.plan.sort).map((q) => q.id);
    out.push({
      label: `${r.engine}: EXPLAIN shows an index scan without a sort node`,
      met: bad.length === 0,
      detail: bad.length ? `not for ${bad.join(', ')}` : `all ${r.queries.length} queries`,
    });
    out.push({
      label: `${r.engine}: page 1,000 within ${TARGETS.deepPageRatio}× of page 1`,
      met: r.pages.ratio <= TARGETS.deepPageRatio,
      detail: `${formatMs(r.pages.page1000.p50)} vs ${formatMs(r.pages.page1.p50)} ms (${ratio(r.pages.ratio)})`,
    });
  }
  return out;
}
