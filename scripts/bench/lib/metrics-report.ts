import type { LoadTestResult } from '@/scripts/bench/lib/load-test';
import type { Endpoint, HttpEndpointResult } from '@/scripts/bench/lib/metrics-api';
import type { LoadReport } from '@/scripts/bench/lib/metrics-data';
import { formatMiB, formatMs, textTable, type LatencySummary } from '@/scripts/bench/lib/stats';

/** The design notes' target: metrics API p95 ≤ 100 ms over 1,000,000 jobs and 20,000 customers. */
export const METRICS_TARGET_P95_MS = 100;

export interface EndpointResult {
  id: string;
  label: string;
  path: string;
  rows: number;
  bytes: number;
  firstMs: number;
  /** Sequential, one keep-alive connection: what the client saw, and the time inside the handler. */
  client: LatencySummary;
  server: LatencySummary;
  /** The same lib call in the benchmark process, no HTTP. */
  lib: LatencySummary;
  /** Client latency of this endpoint within the concurrent run over all endpoints. */
  underLoad: LatencySummary;
  met: boolean;
}

export function endpointResults(
  endpoints: readonly Endpoint[],
  sequential: readonly HttpEndpointResult[],
  lib: readonly LatencySummary[],
  load: LoadTestResult,
): EndpointResult[] {
  return endpoints.map((e, i) => {
    const http = sequential[i];
    const inProcess = lib[i];
    const underLoad = load.perPath[e.path];
    if (!http || !inProcess || !underLoad) throw new Error(`no measurements for ${e.id}`);
    return {
      id: e.id,
      label: e.label,
      path: e.path,
      rows: http.rows,
      bytes: http.bytes,
      firstMs: http.firstMs,
      client: http.client,
      server: http.server,
      lib: inProcess,
      underLoad,
      met: http.client.p95 <= METRICS_TARGET_P95_MS,
    };
  });
}

export function endpointTable(results: readonly EndpointResult[], connections: number): string {
  const header = [
    'endpoint',
    'rows',
    'kB',
    'first ms',
    'p50 ms',
    'p95 ms',
    'max ms',
    'server p50',
    'server p95',
    'lib p50',
    `p95 @${connections} conn`,
    `p95 ≤ ${METRICS_TARGET_P95_MS} ms`,
  ];
  const rows = results.map((r) => [
    r.label,
    r.rows.toLocaleString('en-US'),
    (r.bytes / 1024).toFixed(1),
    formatMs(r.firstMs),
    formatMs(r.client.p50),
    formatMs(r.client.p95),
    formatMs(r.client.max),
    formatMs(r.server.p50),
    formatMs(r.server.p95),
    formatMs(r.lib.p50),
    formatMs(r.underLoad.p95),
    r.met ? 'met' : 'NOT MET',
  ]);
  return textTable(header, rows);
}

export function shapeTable(load: LoadReport): string {
  return textTable(
    ['table', 'rows', 'size'],
    load.tables.map((t) => [t.table, t.rows.toLocaleString('en-US'), formatMiB(t.bytes)]),
  );
}

export function loadTimingTable(load: LoadReport): string {
  const t = load.timings;
  const rows: [string, number][] = [
    ['supply: nodes, checks, epochs, rewards', t.supplyMs],
    ['demand: customers, jobs, attempts, canaries', t.jobsMs],
    ['money: holds, captures, releases, fundings, payouts', t.ledgerMs],
    ['keys and indexes rebuilt, foreign keys validated', t.indexesMs],
    ['ledger balances applied', t.balancesMs],
    ['invariant checks', t.checksMs],
    ['VACUUM ANALYZE', t.vacuumMs],
    ['total', t.totalMs],
  ];
  return textTable(
    ['load step', 'seconds'],
    rows.map(([step, ms]) => [step, (ms / 1000).toFixed(1)]),
  );
}

type Row = Record<string, string | number | null>;

function range(values: readonly number[], digits = 2): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return '–';
  return `${Math.min(...finite).toFixed(digits)}–${Math.max(...finite).toFixed(digits)}`;
}

function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const num = (row: Row | undefined, key: string) => Number(row?.[key] ?? Number.NaN);

/**
 * What the generated year looks like through the metrics themselves (the default query of each, the last 12
 * calendar months), so a reader can judge whether the data is realistic: one line per metric.
 */
export function dataAtAGlance(series: Readonly<Record<string, Row[]>>): string[] {
  const rows = (id: string) => series[id] ?? [];
  // The current month is partial: ranges are over the complete months.
  const complete = (id: string) => rows(id).slice(0, -1);
  const outcomes = rows('job-outcomes');
  const ended = outcomes.reduce((sum, r) => sum + num(r, 'total'), 0);
  const good = outcomes.reduce((sum, r) => sum + num(r, 'succeeded') + num(r, 'hostFailureRecovered'), 0);
  const cohort = rows('cohort-retention');
  const retentionAt = (months: number) =>
    median(cohort.filter((r) => num(r, 'monthsSince') === months).map((r) => num(r, 'retention')));
  const subsidy = complete('demand-vs-incentives').map((r) => num(r, 'subsidyRatio'));
  return [
    `paying customers per month ${range(
      complete('paying-customers').map((r) => num(r, 'payingCustomers')),
      0,
    )}`,
    `top-10 share ${range(complete('top-customer-share').map((r) => num(r, 'top10Share')))}`,
    `net revenue retention median ${median(
      complete('net-revenue-retention')
        .slice(1)
        .map((r) => num(r, 'netRevenueRetention')),
    ).toFixed(2)}`,
    `cohort retention (median over cohorts) month 1 ${retentionAt(1).toFixed(2)}, month 3 ${retentionAt(3).toFixed(2)}, month 6 ${retentionAt(6).toFixed(2)}`,
    `utilization of verified supply ${range(complete('verified-utilization').map((r) => num(r, 'utilization')))}`,
    `take rate ${range(
      complete('take-rate').map((r) => num(r, 'takeRate')),
      3,
    )}`,
    `subsidy ratio ${subsidy[0]?.toFixed(2)} in the first month, ${subsidy.at(-1)?.toFixed(2)} in the last complete one`,
    `jobs ended ${ended.toLocaleString('en-US')}, ${((100 * good) / Math.max(1, ended)).toFixed(1)} % succeeded (recoveries included)`,
    `time to schedule p50 ${median(rows('time-to-schedule').map((r) => num(r, 'p50Seconds')))} s, p95 ${median(rows('time-to-schedule').map((r) => num(r, 'p95Seconds')))} s (median month)`,
  ];
}
