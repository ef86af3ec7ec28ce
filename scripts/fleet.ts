/**
 * `npm run fleet` — the simulated supply: every demo node as a virtual agent heartbeating the marketplace
 * over HTTP with the real agent client, silent host losses drawn from the seed, a control endpoint on
 * 127.0.0.1, and (with DEMO_DEMAND) demo customers launching jobs through the public API. Needs the
 * credentials file written by provisioning (`npm start` provisions before it starts the web process).
 * See docs/fleet.md.
 *
 *   npm run fleet -- [--api <url>] [--credentials <file>] [--seed <n>] [--control-port <port>]
 *                    [--no-demand] [--loss-acceleration <x>]
 */
import { parseArgs } from 'node:util';
import { systemClock } from '@/lib/clock';
import { serverEnv } from '@/lib/env';
import { credentialsPath, readCredentials } from '@/simulator/sim/credentials';
import { startControlServer } from '@/simulator/sim/control-server';
import { DemandSimulator } from '@/simulator/sim/demand';
import { Fleet } from '@/simulator/sim/fleet';
import { DEFAULT_LOSS_OPTIONS } from '@/simulator/sim/profile';
import { createRng } from '@/lib/random';

const USAGE = `Usage: npm run fleet -- [options]

  --api <url>                 marketplace URL (default http://127.0.0.1:$PORT)
  --credentials <file>        written by provisioning (default $DATA_DIR/fleet/credentials.json)
  --seed <n>                  seed of the simulated host losses and demand (default $DEMO_SEED)
  --control-port <port>       control endpoint on 127.0.0.1 (default $FLEET_CONTROL_PORT)
  --no-demand                 no simulated customers (default: $DEMO_DEMAND)
  --loss-acceleration <x>     how much faster than real life hosts vanish (default ${DEFAULT_LOSS_OPTIONS.acceleration}; 0 = never)
  --help                      show this help`;

function fail(message: string): never {
  console.error(`fleet: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integerFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** Waits until the web process answers, so no node heartbeats into a server that is still starting. */
async function waitForApi(apiUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/api/v1/offers/summary`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${apiUrl} did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        api: { type: 'string' },
        credentials: { type: 'string' },
        seed: { type: 'string' },
        'control-port': { type: 'string' },
        'no-demand': { type: 'boolean' },
        'loss-acceleration': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = serverEnv();
  const apiUrl = (values.api ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, '');
  try {
    const url = new URL(apiUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    fail(`--api must be an http(s) URL, not "${apiUrl}"`);
  }
  const seed = integerFlag(values.seed, 'seed', 0, 2 ** 31 - 1) ?? env.DEMO_SEED;
  const controlPort =
    integerFlag(values['control-port'], 'control-port', 1, 65_535) ?? env.FLEET_CONTROL_PORT;
  const acceleration =
    values['loss-acceleration'] === undefined
      ? DEFAULT_LOSS_OPTIONS.acceleration
      : Number(values['loss-acceleration']);
  if (!(acceleration >= 0 && acceleration <= 10_000))
    fail('--loss-acceleration must be a number from 0 to 10000');
  const demand = env.DEMO_DEMAND && !values['no-demand'];

  const file = values.credentials ?? credentialsPath(env.DATA_DIR);
  const credentials = readCredentials(file);
  if (!credentials)
    throw new Error(
      `${file} does not exist: provision the fleet first (npm start does it before the web starts)`,
    );

  await waitForApi(apiUrl, 180_000);
  const fleet = new Fleet({
    credentials,
    apiUrl,
    clock: systemClock,
    seed,
    loss: acceleration > 0 ? { ...DEFAULT_LOSS_OPTIONS, acceleration } : null,
  });
  const demandSimulator = demand
    ? new DemandSimulator({
        apiUrl,
        customers: credentials.customers,
        rng: createRng(seed ^ 0x5eed),
        clock: systemClock,
        // After a generated history, the live demand continues its load: as busy as the record says.
        ...(env.DEMO_HISTORY_DAYS > 0 ? { followLoad: {} } : {}),
      })
    : null;
  const control = await startControlServer(fleet, controlPort, {
    seed,
    health: () => ({ demand: demandSimulator ? demandSimulator.stats : null }),
  });
  fleet.start();
  await demandSimulator?.start();

  const counts = fleet.counts();
  const quarantined = credentials.nodes.filter((n) => n.quarantined).length;
  const skipping = credentials.nodes.filter(
    (n) => !n.quarantined && n.profile.cheat?.kind === 'skip_work',
  ).length;
  console.log(
    `• fleet: ${counts.alive} of ${counts.total} demo nodes heartbeating to ${apiUrl} ` +
      `(${counts.killed - quarantined} offline, ${quarantined} quarantined, ${skipping} secretly skipping work), ` +
      `seed ${seed}; control at ${control.url}` +
      (demandSimulator
        ? `; demand from ${credentials.customers.length} demo customers`
        : '; no simulated demand'),
  );

  // The process stays up on its own timers and servers; these keep it alive and stop it cleanly.
  const keepAlive = setInterval(() => undefined, 60_000);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    demandSimulator?.stop();
    void Promise.all([fleet.stop(), control.close()]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`fleet: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
