import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Collects a child's stdout and stderr lines, and how it exited (`[<label> exited: <status>]`), in order. */
export function captureOutput(child: ChildProcess, label: string): string[] {
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', (code, signal) => output.push(`[${label} exited: ${code ?? signal}]`));
  return output;
}

/**
 * A real node agent started the way a supplier starts it (`npm run agent -- …` from the repository root), with
 * a temporary HOME, in its own process group so the whole tree (npm, tsx, the agent) can be stopped at once.
 */
export class AgentRun {
  readonly output: string[];
  private constructor(
    readonly child: ChildProcess,
    readonly home: string,
  ) {
    this.output = captureOutput(child, 'agent');
  }

  static async start(args: string[]): Promise<AgentRun> {
    const home = await mkdtemp(path.join(os.tmpdir(), 'backfill-agent-e2e-'));
    const child = spawn('npm', ['run', 'agent', '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, HOME: home },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AgentRun(child, home);
  }

  /**
   * A supplier's machine as the specs run one: the process runner with one L4, registered in `region` at
   * `price` USDC per GPU-hour, its state in `stateDir`. No GPU here: the development CPU path answers the
   * stack's development-size GPU proof.
   */
  static startProcessSupplier(options: {
    api: string;
    registrationToken: string;
    region: string;
    price: string;
    stateDir: string;
  }): Promise<AgentRun> {
    return AgentRun.start([
      '--api',
      options.api,
      '--token',
      options.registrationToken,
      '--region',
      options.region,
      '--price',
      options.price,
      '--runner',
      'process',
      '--gpus',
      'l4-24gb:1',
      '--cuda',
      '12.4',
      '--state-dir',
      options.stateDir,
      '--benchmark',
      'cpu',
    ]);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit status or signal once the agent exits. */
  exited(): Promise<string> {
    if (!this.running) return Promise.resolve(String(this.child.exitCode ?? this.child.signalCode));
    return new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve(String(code ?? signal))),
    );
  }

  private signal(name: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, name);
    } catch {
      // Already gone.
    }
  }

  /** The host vanishes: the agent and every process under `stateDir` (its workloads) are killed at once. */
  kill(stateDir: string): void {
    this.signal('SIGKILL');
    spawnSync('pkill', ['-KILL', '-f', stateDir]);
  }

  /** SIGTERM to the process group, SIGKILL after five seconds; then its HOME is removed. */
  async stop(): Promise<void> {
    if (this.running) {
      const exited = this.exited();
      this.signal('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
      ]);
      if (!stopped) this.signal('SIGKILL');
    }
    await rm(this.home, { recursive: true, force: true });
  }
}
