import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Assignment } from '@/lib/agent/schemas';
import type { EnvVars, RunningWorkload, SyncRunner, WorkloadExit, WorkloadSink } from '@/lib/agent/runtime';
import { leaseDirs, type LeaseDirs } from '@/lib/agent/lease-data';
import { pipeWorkloadOutput } from '@/lib/agent/runners/workload-output';
import { expandCommand, workloadEnv } from '@/lib/agent/stdout-protocol';
import { findExecutable } from '@/lib/agent/which';

/**
 * Runs a job in its container: `docker run --rm --gpus "device=<indexes>"` with the job's variables and the
 * lease's input (read-only), output and checkpoint directories mounted under /backfill. Needs `docker` on PATH and,
 * for GPUs, the NVIDIA Container Toolkit. Stopping is `docker stop` (SIGTERM, then SIGKILL after the grace
 * period).
 */

export const CONTAINER_CHECKPOINT_DIR = '/backfill/checkpoints';
export const CONTAINER_INPUT_DIR = '/backfill/input';
export const CONTAINER_OUTPUT_DIR = '/backfill/output';

/**
 * Variables the docker CLI itself reads. They come from the host; a job variable of the same name goes to the
 * container on the command line instead, so a job can never point the CLI at another daemon.
 */
const CLI_VARS = [
  'PATH',
  'HOME',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
  'XDG_RUNTIME_DIR',
] as const;
const CLI_VAR_SET = new Set<string>(CLI_VARS);

export interface DockerRunnerOptions {
  stateDir: string;
  graceMs?: number;
  /** The docker executable; defaults to the one on PATH. */
  docker?: string;
  hostEnv?: EnvVars;
}

export interface DockerInvocation {
  args: string[];
  /** The docker CLI's environment: host CLI variables plus the job's, read by `--env NAME`. */
  env: Record<string, string>;
}

export function containerName(attemptId: string): string {
  return `backfill-${attemptId}`;
}

/**
 * The `docker run` command line for an assignment. Values travel in the CLI's environment (`--env NAME`), not
 * on the command line, so other users of the host cannot read them from the process list.
 */
export function dockerRunInvocation(
  assignment: Assignment,
  dirs: LeaseDirs,
  hostEnv: EnvVars = process.env,
): DockerInvocation {
  // Inside the container the GPUs it was given are numbered from 0.
  const visible = assignment.gpuIndexes.map((_, i) => i);
  const vars = workloadEnv(
    assignment,
    { input: CONTAINER_INPUT_DIR, output: CONTAINER_OUTPUT_DIR, checkpoints: CONTAINER_CHECKPOINT_DIR },
    visible,
  );
  const env: Record<string, string> = {};
  for (const name of CLI_VARS) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  const envArgs: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    if (CLI_VAR_SET.has(name)) {
      envArgs.push('--env', `${name}=${value}`);
    } else {
      env[name] = value;
      envArgs.push('--env', name);
    }
  }
  const args = [
    'run',
    '--rm',
    '--init',
    '--name',
    containerName(assignment.attemptId),
    '--label',
    `backfill.attempt=${assignment.attemptId}`,
    '--label',
    `backfill.job=${assignment.jobId}`,
    // Quoted: docker reads the value as CSV, and "device=0,1" would otherwise split at the comma.
    '--gpus',
    `"device=${assignment.gpuIndexes.join(',')}"`,
    // Inputs read-only; outputs and checkpoints written by the workload, uploaded by the agent.
    '--volume',
    `${dirs.input}:${CONTAINER_INPUT_DIR}:ro`,
    '--volume',
    `${dirs.output}:${CONTAINER_OUTPUT_DIR}`,
    '--volume',
    `${dirs.checkpoints}:${CONTAINER_CHECKPOINT_DIR}`,
    ...envArgs,
    assignment.image,
    ...expandCommand(assignment.command, vars),
  ];
  return { args, env };
}

/** docker run's own exit statuses, in words. */
function describeExit(code: number): string {
  if (code === 125) return 'docker could not run the container (exit 125: image, GPU or daemon problem)';
  if (code === 126) return 'the command in the image cannot be invoked (exit 126)';
  if (code === 127) return 'the command was not found in the image (exit 127)';
  return `exited with code ${code}`;
}

export function createDockerRunner(options: DockerRunnerOptions): SyncRunner {
  const docker = options.docker ?? findExecutable('docker');
  if (!docker) throw new Error('the docker runner needs `docker` on PATH');
  const graceMs = options.graceMs ?? 10_000;
  const hostEnv = options.hostEnv ?? process.env;
  return {
    name: 'docker',
    start(assignment: Assignment, sink: WorkloadSink): RunningWorkload {
      const dirs = leaseDirs(options.stateDir, assignment.attemptId);
      for (const dir of [dirs.input, dirs.output, dirs.checkpoints])
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      const { args, env } = dockerRunInvocation(assignment, dirs, hostEnv);
      const child = spawn(docker, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });

      let finished = false;
      const done = new Promise<void>((resolve) => {
        const finish = (result: WorkloadExit) => {
          if (finished) return;
          finished = true;
          sink.exit(result);
          resolve();
        };
        child.on('error', (error) => finish({ exitCode: null, error: error.message }));
        child.on('close', (code, signal) =>
          finish(
            signal !== null
              ? { exitCode: null, error: `docker terminated by ${signal}` }
              : code === 0
                ? { exitCode: 0 }
                : { exitCode: code ?? null, error: describeExit(code ?? -1) },
          ),
        );
      });

      pipeWorkloadOutput(child, sink);

      return {
        async stop() {
          if (finished) return done;
          const seconds = String(Math.max(1, Math.ceil(graceMs / 1000)));
          const stopper = spawn(docker, ['stop', '--time', seconds, containerName(assignment.attemptId)], {
            env: Object.fromEntries(
              CLI_VARS.flatMap((name) => (hostEnv[name] === undefined ? [] : [[name, hostEnv[name]]])),
            ) as NodeJS.ProcessEnv,
            stdio: 'ignore',
          });
          stopper.on('error', () => child.kill('SIGKILL'));
          // If the daemon does not answer, end the CLI after the grace period plus a margin.
          const force = setTimeout(() => child.kill('SIGKILL'), graceMs + 5_000);
          force.unref();
          await done;
          clearTimeout(force);
        },
      };
    },
  };
}
