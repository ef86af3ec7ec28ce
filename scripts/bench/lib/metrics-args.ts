import { parseArgs } from 'node:util';
import { positiveInt } from '@/scripts/bench/lib/args';

export interface MetricsBenchOptions {
  /** Customer jobs in the 365-day history (canaries come on top: 1 %). */
  jobs: number;
  /** Customer accounts. */
  customers: number;
  /** Supply nodes (a quarter as many supplier accounts own them). */
  nodes: number;
  seed: number;
  /** Sequential requests per endpoint, after the warm-up rounds. */
  requests: number;
  /** Concurrent connections and seconds of the short load run over every endpoint. */
  connections: number;
  duration: number;
  /** Load the data, time the rollups and stop: no server, no HTTP measurements. */
  skipApi: boolean;
  /** Run a second full rebuild with every statement under EXPLAIN ANALYZE (as long again as the first). */
  explainRebuild: boolean;
  /** DATABASE_POOL_SIZE of the server. */
  poolSize: number;
}

export const METRICS_USAGE = `npm run bench:metrics [-- options]
  --jobs N         customer jobs in the 365-day history (default 1000000)
  --customers N    customer accounts (default 20000)
  --nodes N        supply nodes, owned by N/4 suppliers (default 2000)
  --seed N         seed of the generated history (default 42)
  --requests N     sequential requests per endpoint after the warm-up (default 50)
  --connections C  connections of the short concurrent run over all endpoints (default 10)
  --duration S     seconds of that run (default 10)
  --pool-size N    DATABASE_POOL_SIZE of the server (default 10, the app's default)
  --skip-api       load and time the rollups only (no build, no server)
  --explain-rebuild  a second full rebuild with every statement under EXPLAIN ANALYZE`;

export function parseMetricsArgs(argv: readonly string[]): MetricsBenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      jobs: { type: 'string' },
      customers: { type: 'string' },
      nodes: { type: 'string' },
      seed: { type: 'string' },
      requests: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      'pool-size': { type: 'string' },
      'skip-api': { type: 'boolean' },
      'explain-rebuild': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const options: MetricsBenchOptions = {
    jobs: positiveInt('jobs', values.jobs, 1_000_000),
    customers: positiveInt('customers', values.customers, 20_000),
    nodes: positiveInt('nodes', values.nodes, 2_000),
    seed: positiveInt('seed', values.seed, 42),
    requests: positiveInt('requests', values.requests, 50),
    connections: positiveInt('connections', values.connections, 10),
    duration: positiveInt('duration', values.duration, 10),
    poolSize: positiveInt('pool-size', values['pool-size'], 10),
    skipApi: values['skip-api'] ?? false,
    explainRebuild: values['explain-rebuild'] ?? false,
  };
  // Every job size (1, 2, 4 and 8 GPUs) needs verified nodes from the first day on.
  if (options.nodes < 40) throw new Error('--nodes must be at least 40');
  if (options.customers > options.jobs) throw new Error('--customers must not exceed --jobs');
  return options;
}
