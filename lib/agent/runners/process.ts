import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import type { Assignment } from '@/lib/agent/schemas';
import type { EnvVars, RunningWorkload, SyncRunner, WorkloadExit, WorkloadSink } from '@/lib/agent/runtime';
import { pipeWorkloadOutput } from '@/lib/agent/runners/workload-output';
import { leaseDirs } from '@/lib/agent/lease-data';
import { expandCommand, workloadEnv } from '@/lib/agent/stdout-protocol';

/**
 * Runs a job's command as a local process of the agent's user: no container, no isolation — for your own
 * jobs, development and tests (docs/agent.md). The image is ignored. Standard output goes through the
 * protocol parser; standard error is logged. Stopping sends SIGTERM to the whole process group, then SIGKILL
 * after the grace period.
 */

/** Host variables a workload inherits; nothing else of the agent's environment (the node token!) leaks. */
export const INHERITED_HOST_VARS = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER'] as const;

export interface ProcessRunnerOptions {
  /** Each lease's directories are under <stateDir>/leases/<attempt id> (lib/agent/lease-data.ts). */
  stateDir: string;
  /** Between SIGTERM and SIGKILL. */
  graceMs?: number;
  /** The host environment to take INHERITED_HOST_VARS from. */
  hostEnv?: EnvVars;
}

function hostVars(env: EnvVars): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of INHERITED_HOST_VARS) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function createProcessRunner(options: ProcessRunnerOptions): SyncRunner {
  const graceMs = options.graceMs ?? 10_000;
  return {
    name: 'process',
    start(assignment: Assignment, sink: WorkloadSink): RunningWorkload {
      const dirs = leaseDirs(options.stateDir, assignment.attemptId);
      for (const dir of [dirs.input, dirs.output, dirs.checkpoints, dirs.work])
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      const vars = workloadEnv(assignment, {
        input: dirs.input,
        output: dirs.output,
        checkpoints: dirs.checkpoints,
      });
      const [command, ...args] = expandCommand(assignment.command, vars);
      if (!command) throw new Error('the job has an empty command');
      const workDir = dirs.work;

      const child = spawn(command, args, {
        cwd: workDir,
        // Exactly these variables (the type insists on NODE_ENV, which a workload does not get).
        env: { ...hostVars(options.hostEnv ?? process.env), ...vars } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so stopping reaches everything it started.
        detached: true,
      });

      let finished = false;
      const done = new Promise<void>((resolve) => {
        const finish = (result: WorkloadExit) => {
          if (finished) return;
          finished = true;
          rmSync(workDir, { recursive: true, force: true });
          sink.exit(result);
          resolve();
        };
        child.on('error', (error) => finish({ exitCode: null, error: error.message }));
        child.on('close', (code, signal) =>
          finish(
            signal !== null
              ? { exitCode: null, error: `terminated by ${signal}` }
              : code === 0
                ? { exitCode: 0 }
                : { exitCode: code ?? null, error: `exited with code ${code}` },
          ),
        );
      });

      pipeWorkloadOutput(child, sink);

      return {
        async stop() {
          if (finished || child.pid === undefined) return done;
          signalGroup(child.pid, 'SIGTERM');
          const pid = child.pid;
          const force = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
          force.unref();
          await done;
          clearTimeout(force);
          // Anything the workload left running in its group goes too.
          signalGroup(pid, 'SIGKILL');
        },
      };
    },
  };
}
