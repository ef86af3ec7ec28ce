import { summarize, type LatencySummary } from '@/scripts/bench/lib/stats';

/** What a visitor loads: the public pages and the public APIs they and the API's users read. */
export const SOAK_PATHS = [
  '/',
  '/market',
  '/metrics',
  '/api/v1/offers',
  '/api/v1/offers/summary',
  '/api/v1/metrics',
  '/api/v1/metrics/paid-gpu-hours',
  '/api/v1/metrics/history',
] as const;

/** A request that takes longer is counted as an error. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface PathTraffic {
  requests: number;
  /** Failed requests and answers other than 200. */
  errors: number;
  latencyMs: LatencySummary;
}

export interface TrafficLoop {
  /** Stops after the round in flight. */
  stop(): Promise<void>;
  report(): Record<string, PathTraffic>;
}

/**
 * A light client: every `everyMs`, one request to each path in turn, each read to its end — a visitor or two,
 * not a load test (the demo demand is the stack's own).
 */
export function startTrafficLoop(url: string, everyMs: number): TrafficLoop {
  const samples = new Map<string, { latencies: number[]; errors: number }>(
    SOAK_PATHS.map((p) => [p, { latencies: [], errors: 0 }]),
  );
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      const round = performance.now();
      for (const path of SOAK_PATHS) {
        const record = samples.get(path);
        if (!record || stopped) break;
        const started = performance.now();
        try {
          const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          await response.arrayBuffer();
          if (response.status !== 200) record.errors += 1;
        } catch {
          record.errors += 1;
        }
        record.latencies.push(performance.now() - started);
      }
      const rest = everyMs - (performance.now() - round);
      if (rest > 0 && !stopped)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, rest);
        });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
    report() {
      return Object.fromEntries(
        [...samples].map(([path, s]) => [
          path,
          { requests: s.latencies.length, errors: s.errors, latencyMs: summarize(s.latencies) },
        ]),
      );
    },
  };
}
