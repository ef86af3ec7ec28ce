import { parseArgs } from 'node:util';
import { positiveInt } from '@/scripts/bench/lib/args';

export interface SoakOptions {
  /** How long the stack runs under demo traffic once it answers. */
  minutes: number;
  /** Seconds between memory samples. */
  sampleSeconds: number;
  /** Seconds between rounds of the client loop (each round fetches every page and public API once). */
  trafficSeconds: number;
  /** The results as JSON, when given. */
  out: string | null;
  /** Ports of the web, the local chain and the fleet's control endpoint; null: a free one. */
  port: number | null;
  chainPort: number | null;
  fleetPort: number | null;
}

export const SOAK_USAGE = `npm run bench:soak [-- options]
  --minutes N          minutes of demo traffic once the stack answers (default 60)
  --sample-seconds S   seconds between memory samples (default 60)
  --traffic-seconds S  seconds between rounds of the client loop over the pages and public APIs (default 5)
  --out FILE           also write the samples and the summary as JSON to FILE
  --port N             the web's port (default: a free one)
  --chain-port N       the local chain's port (default: a free one)
  --fleet-port N       the fleet's control port (default: a free one)`;

export function parseSoakArgs(argv: readonly string[]): SoakOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      minutes: { type: 'string' },
      'sample-seconds': { type: 'string' },
      'traffic-seconds': { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
      'chain-port': { type: 'string' },
      'fleet-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = (name: 'port' | 'chain-port' | 'fleet-port') => {
    const value = values[name];
    if (value === undefined) return null;
    const parsed = positiveInt(name, value, 0);
    if (parsed > 65_535) throw new Error(`--${name} must be a TCP port, got "${value}"`);
    return parsed;
  };
  return {
    minutes: positiveInt('minutes', values.minutes, 60),
    sampleSeconds: positiveInt('sample-seconds', values['sample-seconds'], 60),
    trafficSeconds: positiveInt('traffic-seconds', values['traffic-seconds'], 5),
    out: values.out ?? null,
    port: port('port'),
    chainPort: port('chain-port'),
    fleetPort: port('fleet-port'),
  };
}
