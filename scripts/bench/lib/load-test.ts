import autocannon, { type AutocannonClient } from 'autocannon';
import { summarize, type LatencySummary } from '@/scripts/bench/lib/stats';

/** Longest ramp-up tolerated before the run ends without a measured window. */
const MAX_RAMP_UP_S = 30;

export interface LoadTestOptions {
  connections: number;
  /** Seconds measured once the warm-up is over. */
  durationS: number;
  /** Seconds of unmeasured load first, on the same connections. */
  warmupS: number;
  /** Called when the measured window opens, e.g. to snapshot CPU counters. */
  onMeasureStart?: () => void;
}

export interface LoadTestResult {
  connections: number;
  /** Length of the measured window. */
  measuredS: number;
  /** Time from the start until every connection had its first answer. */
  rampUpMs: number;
  requestsPerSecond: number;
  completed: number;
  non2xx: number;
  /** Connection errors and timeouts over the whole run, warm-up included. */
  errors: number;
  timeouts: number;
  latency: LatencySummary;
  /**
   * Time inside the API handler for the same responses, from their `Server-Timing: app;dur=` header: the
   * server-side latency, without the time a request waited in line for the busy process.
   */
  serverTiming: LatencySummary;
  /** Latency of each path in the mix under the same load. */
  perPath: Record<string, LatencySummary>;
}

/**
 * Runs autocannon against `baseUrl` with every connection cycling through `paths`, for the warm-up and then
 * the measured window in one run, so the measured requests travel on connections that are already open.
 *
 * autocannon opens all its connections at once, and while the server is busy with the first ones the rest
 * get their first answers one by one, each an event-loop turn after the last: seconds late, which is the
 * load generator ramping up rather than the API answering. The window therefore opens when the warm-up is
 * over AND every connection has had an answer.
 *
 * Latencies are recorded per response (autocannon's histogram stops at p97.5 and has no p95) and only for
 * 2xx answers, so an error page can't make the figures look fast; non-2xx answers are counted instead.
 */
export function runLoadTest(
  baseUrl: string,
  paths: readonly string[],
  options: LoadTestOptions,
): Promise<LoadTestResult> {
  const started = performance.now();
  const answered = new Set<AutocannonClient>();
  let windowStart: number | null = null;
  let rampUpMs = Number.NaN;
  let non2xx = 0;
  const all: number[] = [];
  const serverSide: number[] = [];
  // With pipelining 1, a connection's last parsed headers belong to the response it reports next.
  const lastServerTiming = new Map<AutocannonClient, number>();
  const byPath = new Map<string, number[]>(paths.map((p) => [p, []]));

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: options.connections,
        // An upper bound only: the run is stopped `durationS` after the window opens, however long the
        // ramp-up took.
        duration: options.warmupS + options.durationS + MAX_RAMP_UP_S,
        timeout: 30,
        requests: paths.map((p) => ({ method: 'GET', path: p })),
        setupClient: (client) => {
          client.on('headers', ({ headers }) => {
            const at = headers.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'server-timing');
            const match = at >= 0 ? /dur=([\d.]+)/.exec(headers[at + 1] ?? '') : null;
            if (match?.[1]) lastServerTiming.set(client, Number(match[1]));
            else lastServerTiming.delete(client);
          });
        },
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        if (windowStart === null) {
          reject(new Error(`only ${answered.size} of ${options.connections} connections got an answer`));
          return;
        }
        const measuredS = (performance.now() - windowStart) / 1000;
        const perPath: Record<string, LatencySummary> = {};
        for (const [p, samples] of byPath) perPath[p] = summarize(samples);
        resolve({
          connections: options.connections,
          measuredS,
          rampUpMs,
          requestsPerSecond: all.length / measuredS,
          completed: all.length + non2xx,
          non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          latency: summarize(all),
          serverTiming: summarize(serverSide),
          perPath,
        });
      },
    );
    instance.on('response', (client, statusCode, _bytes, responseTime) => {
      if (windowStart === null) {
        answered.add(client);
        if (answered.size === options.connections && Number.isNaN(rampUpMs))
          rampUpMs = performance.now() - started;
        if (!Number.isNaN(rampUpMs) && performance.now() - started >= options.warmupS * 1000) {
          windowStart = performance.now();
          options.onMeasureStart?.();
          setTimeout(() => instance.stop(), options.durationS * 1000);
        }
        return;
      }
      if (statusCode < 200 || statusCode >= 300) {
        non2xx++;
        return;
      }
      all.push(responseTime);
      const serverMs = lastServerTiming.get(client);
      if (serverMs !== undefined) serverSide.push(serverMs);
      // With pipelining 1 the client's current request is the one this response answers.
      byPath.get(client.requestIterator.currentRequest.path)?.push(responseTime);
    });
  });
}
