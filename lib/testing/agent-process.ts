import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueRegistrationToken } from '@/lib/agent/register';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { orchestrationConfig } from '@/lib/jobs/config';
import { orchestrationTick } from '@/lib/worker/background-loops';

/**
 * The real node agent as its own process (scripts/agent.ts under tsx), for end-to-end tests: its output is
 * kept line by line and can be waited on.
 */
const root = process.cwd();
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** No nvidia-smi and no docker on this PATH, whatever the machine has: only node itself. */
export const bareAgentEnv: NodeJS.ProcessEnv = {
  PATH: path.dirname(process.execPath),
  HOME: os.tmpdir(),
  NODE_ENV: 'test',
};

export interface AgentProcess {
  child: ChildProcess;
  output: string[];
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

export function startAgentProcess(
  args: string[],
  started: ChildProcess[] = [],
  env: NodeJS.ProcessEnv = bareAgentEnv,
): AgentProcess {
  const child = spawn(process.execPath, [tsxCli, 'scripts/agent.ts', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const output: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      output.push(line);
      for (const waiter of [...waiters])
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) => {
      const seen = output.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`agent never printed ${pattern}; output:\n${output.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}

/**
 * The host vanishes: the agent and every process started under its state directory (its workloads run in
 * process groups of their own) are killed at once, with no chance to report.
 */
export function killHost(agent: AgentProcess, stateDir: string): void {
  agent.child.kill('SIGKILL');
  spawnSync('pkill', ['-KILL', '-f', stateDir]);
}

/** Polls `probe` every 100 ms until it returns something truthy. */
export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The scheduler and liveness loop, as the worker runs it, every 200 ms of real time; returns its stop. */
export function startOrchestrationLoop(db: Db, clock: Clock): () => void {
  const config = orchestrationConfig();
  let busy = false;
  const loop = setInterval(() => {
    if (busy) return;
    busy = true;
    orchestrationTick(db, clock, config)
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 200);
  return () => clearInterval(loop);
}

/** A node description for `--spec` (process runner, one declared GPU — an RTX 4090 unless named). */
export function writeNodeSpec(file: string, name: string, model = 'rtx-4090-24gb'): void {
  writeFileSync(
    file,
    JSON.stringify({
      name,
      region: 'eu-west',
      pricePerGpuHourUsd: 0.5,
      gpus: { model, count: 1 },
      cudaVersion: '12.4',
    }),
  );
}

/** The real agent, registered with a fresh one-time token of `supplier` (process runner, the spec's GPUs). */
export async function registerAgentProcess(
  input: {
    db: Db;
    clock: Clock;
    supplier: string;
    apiUrl: string;
    specFile: string;
    stateDir: string;
    /** More flags, e.g. `--benchmark cpu`. */
    args?: string[];
    env?: NodeJS.ProcessEnv;
  },
  started: ChildProcess[] = [],
): Promise<{ agent: AgentProcess; nodeId: string }> {
  const { registrationToken } = await issueRegistrationToken(input.db, input.clock, input.supplier);
  const agent = startAgentProcess(
    [
      '--api',
      input.apiUrl,
      '--token',
      registrationToken,
      '--spec',
      input.specFile,
      '--runner',
      'process',
      '--state-dir',
      input.stateDir,
      ...(input.args ?? []),
    ],
    started,
    input.env,
  );
  const registered = await agent.waitFor(/registered as node ([0-9a-f-]{36})/);
  return { agent, nodeId: /node ([0-9a-f-]{36})/.exec(registered)?.[1] ?? '' };
}
