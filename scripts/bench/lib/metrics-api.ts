import { MS_PER_DAY, systemClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { METRICS, type MetricId } from '@/lib/metrics/definitions';
import { getMetricSeries, getMetricsSummary, metricCsv } from '@/lib/metrics/queries';
import type { MetricQuery } from '@/lib/metrics/schemas';
import { runLoadTest, type LoadTestResult } from '@/scripts/bench/lib/load-test';
import { sequentialClient } from '@/scripts/bench/lib/next-server';
import { summarize, type LatencySummary } from '@/scripts/bench/lib/stats';
import type { HistoryWindow } from '@/scripts/bench/lib/metrics-sql';

/**
 * The endpoints `npm run bench:metrics` measures, and how: in-process (the lib call the route makes, without
 * HTTP), sequentially over HTTP on one keep-alive connection, and under a short concurrent load.
 */

export const SUMMARY_PATH = '/api/v1/metrics';
/** Unmeasured rounds over every endpoint first, so JIT, plan caches and the buffer cache are warm. */
const WARM_ROUNDS = 5;
/** In-process rounds per endpoint. */
const LIB_ROUNDS = 20;

export interface Endpoint {
  id: string;
  label: string;
  path: string;
  /** What the route handler calls, for the in-process timing and for capturing its SQL. */
  call(db: Db): Promise<unknown>;
}

function day(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The summary; each metric at its default query (the last 12 calendar months by month); each metric by month
 * and each flow metric by day over the last 365 complete days; two CSV downloads.
 */
export function metricEndpoints(window: HistoryWindow): Endpoint[] {
  const from = day(new Date(window.dayEnd.getTime() - 365 * MS_PER_DAY));
  const to = day(new Date(window.dayEnd.getTime() - MS_PER_DAY));
  const series =
    (metric: MetricId, query: MetricQuery, csv = false) =>
    async (db: Db) => {
      const result = await getMetricSeries(db, systemClock, metric, query, { simulated: true });
      return csv ? metricCsv(result) : result;
    };
  const qs = (query: MetricQuery) =>
    Object.keys(query).length
      ? `?${new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][])}`
      : '';
  const endpoints: Endpoint[] = [
    {
      id: 'summary',
      label: 'summary',
      path: SUMMARY_PATH,
      call: (db) => getMetricsSummary(db, systemClock, { simulated: true }),
    },
  ];
  const add = (metric: MetricId, label: string, query: MetricQuery) =>
    endpoints.push({
      id: `${metric} ${label}`,
      label: `${metric} · ${label}`,
      path: `/api/v1/metrics/${metric}${qs(query)}`,
      call: series(metric, query, query.format === 'csv'),
    });
  for (const m of METRICS) add(m.id, 'default', {});
  for (const m of METRICS) add(m.id, 'month, 365 d', { from, to, granularity: 'month' });
  for (const m of METRICS.filter((d) => d.granularities.includes('day')))
    add(m.id, 'day, 365 d', { from, to, granularity: 'day' });
  add('paid-gpu-hours', 'day, 365 d, CSV', { from, to, granularity: 'day', format: 'csv' });
  add('cohort-retention', 'default, CSV', { format: 'csv' });
  return endpoints;
}

/** Times each endpoint's lib call in the benchmark process, round-robin. */
export async function timeInProcess(db: Db, endpoints: readonly Endpoint[]): Promise<LatencySummary[]> {
  for (let round = 0; round < WARM_ROUNDS; round++) for (const e of endpoints) await e.call(db);
  const samples = endpoints.map(() => [] as number[]);
  for (let round = 0; round < LIB_ROUNDS; round++) {
    for (const [i, e] of endpoints.entries()) {
      const started = performance.now();
      await e.call(db);
      samples[i]?.push(performance.now() - started);
    }
  }
  return samples.map((s) => summarize(s));
}

export interface HttpEndpointResult {
  /** The first request after the server started (its caches cold for this endpoint). */
  firstMs: number;
  client: LatencySummary;
  /** Time inside the handler, from `Server-Timing: app;dur=`. */
  server: LatencySummary;
  status: number;
  bytes: number;
  /** Rows of the JSON answer, or lines of the CSV after its header. */
  rows: number;
}

function serverMs(header: string | string[] | undefined): number | null {
  const match = /dur=([\d.]+)/.exec(Array.isArray(header) ? header.join(',') : (header ?? ''));
  return match?.[1] ? Number(match[1]) : null;
}

function countRows(body: string, csv: boolean): number {
  if (csv) return Math.max(0, body.split('\n').filter(Boolean).length - 1);
  const parsed = JSON.parse(body) as { rows?: unknown[]; metrics?: unknown[] };
  return parsed.rows?.length ?? parsed.metrics?.length ?? 0;
}

/**
 * Every endpoint once (it must answer 200 with rows), then `WARM_ROUNDS` unmeasured rounds, then `requests`
 * measured rounds, round-robin on one keep-alive connection so a hiccup spreads over all endpoints.
 */
export async function measureSequential(
  baseUrl: string,
  endpoints: readonly Endpoint[],
  requests: number,
): Promise<HttpEndpointResult[]> {
  const client = sequentialClient(baseUrl);
  try {
    const results: HttpEndpointResult[] = [];
    for (const e of endpoints) {
      const response = await client.get(e.path);
      const csv = e.path.includes('format=csv');
      const rows = response.status === 200 ? countRows(response.body, csv) : 0;
      if (response.status !== 200 || rows === 0)
        throw new Error(
          `GET ${e.path} answered ${response.status} with ${rows} rows: ${response.body.slice(0, 300)}`,
        );
      results.push({
        firstMs: response.ms,
        client: summarize([]),
        server: summarize([]),
        status: response.status,
        bytes: Buffer.byteLength(response.body),
        rows,
      });
    }
    for (let round = 0; round < WARM_ROUNDS; round++) for (const e of endpoints) await client.get(e.path);
    const clientSamples = endpoints.map(() => [] as number[]);
    const serverSamples = endpoints.map(() => [] as number[]);
    for (let round = 0; round < requests; round++) {
      for (const [i, e] of endpoints.entries()) {
        const response = await client.get(e.path);
        if (response.status !== 200) throw new Error(`GET ${e.path} answered ${response.status}`);
        clientSamples[i]?.push(response.ms);
        const ms = serverMs(response.headers['server-timing']);
        if (ms !== null) serverSamples[i]?.push(ms);
      }
    }
    return results.map((r, i) => ({
      ...r,
      client: summarize(clientSamples[i] ?? []),
      server: summarize(serverSamples[i] ?? []),
    }));
  } finally {
    client.close();
  }
}

/** A short closed-loop load over all endpoints at once: each connection cycles through the list. */
export function measureUnderLoad(
  baseUrl: string,
  endpoints: readonly Endpoint[],
  connections: number,
  durationS: number,
): Promise<LoadTestResult> {
  return runLoadTest(
    baseUrl,
    endpoints.map((e) => e.path),
    { connections, durationS, warmupS: 2 },
  );
}
