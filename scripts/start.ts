/**
 * `npm start` — the embedded stack, no configuration: build if needed, migrate, seed an empty database,
 * then run the services and stop them all together. Later capabilities add services (local chain,
 * simulated fleet) to the list below.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { serverEnv } from '@/lib/env';
import { buildIsStale } from '@/scripts/lib/build-freshness';
import { prepareDatabase } from '@/scripts/lib/prepare-database';

const root = process.cwd();
const nextBin = path.join(root, 'node_modules', '.bin', 'next');
const childEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

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
    await run(nextBin, ['build'], { ...childEnv, NODE_ENV: 'production' });
  } else {
    console.log('• production build is up to date');
  }
  await prepareDatabase({ seed: true });

  const services: Service[] = [
    {
      name: 'web',
      start: () =>
        spawn(nextBin, ['start', '-p', String(env.PORT)], {
          stdio: 'inherit',
          env: { ...childEnv, NODE_ENV: 'production' },
        }),
    },
  ];
  const children = services.map((service) => ({ service, child: service.start() }));
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5_000).unref();
    Promise.all(
      children.map(({ child }) => (child.exitCode !== null ? null : new Promise((r) => child.on('exit', r)))),
    ).then(() => process.exit(code));
  };
  for (const { service, child } of children) {
    child.on('exit', (code, signal) => {
      if (!stopping)
        console.error(`• ${service.name} stopped (${signal ?? `exit ${code}`}); stopping the stack`);
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
