import { parseArgs } from 'node:util';
import type { Engine } from '@/lib/db/client';

export interface BenchOptions {
  /** Minimum number of offers to generate. */
  offers: number;
  engines: Engine[];
  /** Seconds of measured load per engine. */
  duration: number;
  /** Seconds of unmeasured load first, so the JIT, caches and pool are warm. */
  warmup: number;
  connections: number;
  /** Sequential in-process runs of each query for the raw SQL timing. */
  sqlIterations: number;
  /** Sequential API requests for page 1 and for page 1,000 each. */
  pageIterations: number;
  seed: number;
  /** DATABASE_POOL_SIZE of the API server on PostgreSQL (and of the in-process timing). */
  poolSize: number;
}

export const USAGE = `npm run bench:offers [-- options]
  --offers N         offers to generate (default 100000)
  --engine E         pglite | postgres | both (default both)
  --duration S       seconds of measured load per engine (default 10)
  --warmup S         seconds of unmeasured load first (default 2)
  --connections C    concurrent connections (default 50)
  --sql-iterations N in-process runs of each query for the raw SQL time (default 200)
  --page-iterations N API requests for page 1 and for page 1,000 each (default 200)
  --seed N           demo network seed (default 42)
  --pool-size N      DATABASE_POOL_SIZE of the server on PostgreSQL (default 20)`;

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return parsed;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      offers: { type: 'string' },
      engine: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'sql-iterations': { type: 'string' },
      'page-iterations': { type: 'string' },
      seed: { type: 'string' },
      'pool-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const engine = values.engine ?? 'both';
  if (engine !== 'pglite' && engine !== 'postgres' && engine !== 'both') {
    throw new Error(`--engine must be pglite, postgres or both, got "${engine}"`);
  }
  const offers = positiveInt('offers', values.offers, 100_000);
  // Page 1,000 must exist for the deep-page comparison.
  if (offers < 50_050) throw new Error('--offers must be at least 50050 so that page 1,000 exists');
  return {
    offers,
    // PostgreSQL first: it is the engine the target is stated for, so a quick run reports it early.
    engines: engine === 'both' ? ['postgres', 'pglite'] : [engine],
    duration: positiveInt('duration', values.duration, 10),
    warmup: positiveInt('warmup', values.warmup, 2),
    connections: positiveInt('connections', values.connections, 50),
    sqlIterations: positiveInt('sql-iterations', values['sql-iterations'], 200),
    pageIterations: positiveInt('page-iterations', values['page-iterations'], 200),
    seed: positiveInt('seed', values.seed, 42),
    poolSize: positiveInt('pool-size', values['pool-size'], 20),
  };
}
