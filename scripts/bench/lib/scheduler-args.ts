import { parseArgs } from 'node:util';
import type { Engine } from '@/lib/db/client';
import { positiveInt } from '@/scripts/bench/lib/args';

export interface SchedulerBenchOptions {
  jobs: number;
  nodes: number;
  engines: Engine[];
  /** Scheduler loops racing on PostgreSQL, each on its own connection pool (PGlite always runs one). */
  schedulers: 1 | 2;
  seed: number;
  /**
   * How the queued jobs are made: all through launchJob (`launch`), or a hundred so and the rest bulk-loaded
   * with the same rows (`bulk`); `auto` launches on PostgreSQL and bulk-loads on PGlite, whose one connection
   * makes 10,000 launches take minutes.
   */
  setup: 'launch' | 'bulk' | 'auto';
  /** Connections per pool (the app's DATABASE_POOL_SIZE default). */
  poolSize: number;
}

export const SCHEDULER_USAGE = `npm run bench:scheduler [-- options]
  --jobs N           queued jobs to place (default 10000)
  --nodes N          online nodes (default 5000)
  --engine E         postgres | pglite | both (default both)
  --schedulers S     1 | 2: scheduler loops racing on PostgreSQL, each with its own pool (default 1)
  --setup M          launch | bulk | auto: queue the jobs through launchJob, or 100 so and the rest
                     bulk-loaded with the same rows (default auto: launch on PostgreSQL, bulk on PGlite)
  --seed N           seed of the generated nodes and jobs (default 42)
  --pool-size N      connections per pool on PostgreSQL (default 10, the app's default)`;

export function parseSchedulerArgs(argv: readonly string[]): SchedulerBenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      jobs: { type: 'string' },
      nodes: { type: 'string' },
      engine: { type: 'string' },
      schedulers: { type: 'string' },
      seed: { type: 'string' },
      setup: { type: 'string' },
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
  const schedulers = positiveInt('schedulers', values.schedulers, 1);
  if (schedulers !== 1 && schedulers !== 2) throw new Error(`--schedulers must be 1 or 2, got ${schedulers}`);
  const setup = values.setup ?? 'auto';
  if (setup !== 'launch' && setup !== 'bulk' && setup !== 'auto')
    throw new Error(`--setup must be launch, bulk or auto, got "${setup}"`);
  return {
    jobs: positiveInt('jobs', values.jobs, 10_000),
    nodes: positiveInt('nodes', values.nodes, 5_000),
    // PostgreSQL first: the target is stated for it, so a quick run reports it early.
    engines: engine === 'both' ? ['postgres', 'pglite'] : [engine],
    schedulers,
    seed: positiveInt('seed', values.seed, 42),
    setup,
    poolSize: positiveInt('pool-size', values['pool-size'], 10),
  };
}
