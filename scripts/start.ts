/**
 * `npm start` — the embedded stack, no configuration: build if needed, migrate, seed an empty database,
 * then run the services and stop them all together. Later capabilities add services (local chain,
 * simulated fleet) to the list below.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureLocalUsdc, startActivityMining, startAnvil } from '@/lib/chain/local-chain';
import { serverEnv } from '@/lib/env';
import { credentialsPath, readCredentials } from '@/simulator/sim/credentials';
import { agentBundleIsStale } from '@/scripts/lib/agent-bundle';
import { buildIsStale } from '@/scripts/lib/build-freshness';

const root = process.cwd();
const nextBin = path.join(root, 'node_modules', '.bin', 'next');
const tsxBin = path.join(root, 'node_modules', '.bin', 'tsx');
const childEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/**
 * The web process's V8 old generation, at most (MiB). Left alone, V8 lets a heap grow to several times what is
 * live before collecting it: on the embedded stack, 520 MiB of heap held 180 MiB of live objects, and the whole
 * stack went past its 1.2 GiB budget (docs/benchmarks.md, soak). The demo history, the heaviest thing the web
 * process does, completes within 320 MiB. 512 rather than the 384 the hour's soak ran with, for headroom: in a
 * browser-suite run at 384 (three transacting specs beside the fleet) the web process took up to 9 s to serve
 * its scripts — whether collection near the limit was the cause was not measured. A NODE_OPTIONS that sets its
 * own limit wins.
 */
const WEB_MAX_OLD_SPACE_MIB = 512;
/** The same for the simulated fleet: 27 MiB of its 72 MiB heap were live after ten minutes of the default network. */
const FLEET_MAX_OLD_SPACE_MIB = 128;

/** NODE_OPTIONS with a heap limit added, unless it already sets one. */
function withHeapLimit(nodeOptions: string | undefined, mib: number): string {
  const current = nodeOptions?.trim() ?? '';
  if (/--max-old-space-size\b/.test(current)) return current;
  return `${current} --max-old-space-size=${mib}`.trim();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = childEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

interface Service {
  name: string;
  start(): ChildProcess;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const env = serverEnv();
  const started = performance.now();
  if (buildIsStale(root)) {
    console.log('• building the app (first start or changed sources)…');
    // Without repeating the type check (npm run check and CI do it): on two cores it is half a minute of a
    // first start that should serve pages within a minute of the install.
    await run(nextBin, ['build'], { ...childEnv, NODE_ENV: 'production', BACKFILL_TYPES_CHECKED: '1' });
  } else {
    console.log('• production build is up to date');
  }
  // The node agent as one file, served at /agent/backfill-agent.mjs for the supplier page's install commands.
  if (agentBundleIsStale(root)) await run(tsxBin, [path.join(root, 'scripts', 'build-agent.ts')]);
  // Migrate, seed and provision the fleet in a child process: PGlite's memory is returned when it exits,
  // and its single connection is free for the web process that follows.
  await run(tsxBin, [path.join(root, 'scripts', 'prepare.ts')]);
  const fleetNodes = env.DEMO_NETWORK
    ? (readCredentials(credentialsPath(env.DATA_DIR))?.nodes.length ?? 0)
    : 0;

  // The chain: a configured one, or the embedded local anvil with a mock USDC (state kept in DATA_DIR).
  const chainEnv: Record<string, string> = {};
  const running: { name: string; child: ChildProcess }[] = [];
  if (env.CHAIN_RPC_URL) {
    console.log(`• chain: ${env.CHAIN_RPC_URL} (configured)`);
  } else {
    const chain = await startAnvil({
      port: env.LOCAL_CHAIN_PORT,
      statePath: path.resolve(env.DATA_DIR, 'anvil-state.json'),
    });
    running.push({ name: 'chain', child: chain.process });
    const usdc = await ensureLocalUsdc(chain.rpcUrl);
    // Then transactions are mined at once and followed by a block a second for a while, so deposits visibly
    // gather their confirmations; an idle chain mines nothing (its memory stays flat).
    startActivityMining(chain.rpcUrl, { intervalMs: 1_000 });
    Object.assign(chainEnv, {
      CHAIN_RPC_URL: chain.rpcUrl,
      CHAIN_ID: String(chain.chain.id),
      USDC_ADDRESS: usdc,
    });
    console.log(`• local chain: anvil at ${chain.rpcUrl} (chain ${chain.chain.id}), mock USDC at ${usdc}`);
  }

  const services: Service[] = [
    {
      name: 'web',
      start: () =>
        // Idle keep-alive connections stay open 65 s rather than Node's 5 s: a client polling every 5 s (a
        // dashboard, a load balancer's pool, the e2e suite) otherwise reuses a socket just as the server
        // closes it, and the request fails with ECONNRESET.
        // Our own server around Next.js's handler (scripts/serve.ts): it stamps each request with the
        // address it came from, for per-client rate limits without a proxy.
        spawn(
          tsxBin,
          [
            path.join(root, 'scripts', 'serve.ts'),
            '--port',
            String(env.PORT),
            '--keep-alive-timeout',
            String(KEEP_ALIVE_TIMEOUT_MS),
            // One embedded instance: its generated receipt key and default origin are its own to keep.
            '--single-instance',
          ],
          {
            stdio: 'inherit',
            env: {
              ...childEnv,
              ...chainEnv,
              NODE_ENV: 'production',
              NODE_OPTIONS: withHeapLimit(process.env.NODE_OPTIONS, WEB_MAX_OLD_SPACE_MIB),
            },
          },
        ),
    },
  ];
  // The fleet only speaks HTTP, like real suppliers: it waits for the web to answer before heartbeating.
  if (fleetNodes > 0)
    services.push({
      name: 'fleet',
      start: () =>
        spawn(tsxBin, ['scripts/fleet.ts', '--api', `http://127.0.0.1:${env.PORT}`], {
          stdio: 'inherit',
          env: {
            ...childEnv,
            PORT: String(env.PORT),
            NODE_OPTIONS: withHeapLimit(process.env.NODE_OPTIONS, FLEET_MAX_OLD_SPACE_MIB),
          },
        }),
    });
  running.push(...services.map((service) => ({ name: service.name, child: service.start() })));
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const { child } of running) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5_000).unref();
    Promise.all(
      running.map(({ child }) => (child.exitCode !== null ? null : new Promise((r) => child.on('exit', r)))),
    ).then(() => process.exit(code));
  };
  for (const { name, child } of running) {
    child.on('exit', (code, signal) => {
      if (!stopping) console.error(`• ${name} stopped (${signal ?? `exit ${code}`}); stopping the stack`);
      stopAll(code ?? 1);
    });
  }
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  const url = `http://localhost:${env.PORT}`;
  await waitForHttp(`${url}/api/v1/offers/summary`, 60_000);
  console.log(
    `• Backfill is ready at ${url} (started in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

main().catch((error: unknown) => {
  console.error(`• start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
