import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';

/** Where `npm start`'s embedded stack listens: the web, its local chain and the fleet's control endpoint. */
export interface StackPorts {
  port: number;
  chainPort: number;
  fleetPort: number;
}

export interface EmbeddedStackOptions extends StackPorts {
  /** Prefix of the temporary DATA_DIR. */
  label: string;
  /** More environment for the stack (DEMO_HISTORY_DAYS, …). */
  env?: Record<string, string>;
  /** The stack's output goes to this file (appended); without it, stdout is dropped and stderr shown. */
  logFile?: string;
  /** How long to wait for the web to answer: a first start builds the app (minutes on two cores). */
  readyTimeoutMs: number;
}

export interface EmbeddedStack {
  /** The supervisor (scripts/start.ts); the web, chain and fleet are its children. */
  child: ChildProcess;
  url: string;
  dataDir: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `npm start` on its own ports and a fresh temporary data directory (embedded PGlite, the local anvil chain,
 * the simulated fleet and its demo demand), answering once the web serves `/api/v1/offers/summary`. The
 * cleanup stops it (SIGTERM: the supervisor stops its services) and removes the directory.
 */
export async function startEmbeddedStack(
  options: EmbeddedStackOptions,
  cleanup: Cleanup,
): Promise<EmbeddedStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `backfill-${options.label}-`));
  cleanup.add('temporary data directory', async () => rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    DATA_DIR: dataDir,
    LOCAL_CHAIN_PORT: String(options.chainPort),
    FLEET_CONTROL_PORT: String(options.fleetPort),
    NEXT_TELEMETRY_DISABLED: '1',
    ...options.env,
  };
  // The embedded database and chain, whatever the shell has configured.
  delete env.DATABASE_URL;
  delete env.CHAIN_RPC_URL;
  const log = options.logFile ? openSync(options.logFile, 'a') : null;
  // The supervisor itself (tsx as a loader, no wrapper process), so SIGTERM reaches it and it stops its services.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env,
    stdio: log === null ? ['ignore', 'ignore', 'inherit'] : ['ignore', log, log],
  });
  if (log !== null) closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup.add('the embedded stack', async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + options.readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/api/v1/offers/summary`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { child, url, dataDir };
    if (Date.now() > deadline)
      throw new Error(`the stack did not answer within ${Math.round(options.readyTimeoutMs / 1000)} s`);
    await sleep(2_000);
  }
}
