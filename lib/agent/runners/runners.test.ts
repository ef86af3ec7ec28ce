import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkloadExit, WorkloadSink } from '@/lib/agent/runtime';
import type { Assignment } from '@/lib/agent/schemas';
import { leaseDirs } from '@/lib/agent/lease-data';
import {
  CONTAINER_CHECKPOINT_DIR,
  CONTAINER_INPUT_DIR,
  CONTAINER_OUTPUT_DIR,
  dockerRunInvocation,
} from '@/lib/agent/runners/docker';
import { createProcessRunner } from '@/lib/agent/runners/process';
import { KNOWN_ANSWER_PROGRAM, laneAnswer } from '@/lib/verification/known-answer';

function assignment(overrides: Partial<Assignment> = {}): Assignment {
  return {
    attemptId: '6a4c1d2e-0000-4000-8000-000000000002',
    jobId: '6a4c1d2e-0000-4000-8000-000000000001',
    fencingToken: 3,
    template: 'lora_finetune',
    image: 'huggingface/transformers-pytorch-gpu:4.41.3',
    command: ['python', 'train_lora.py', '--base', 'mistralai/Mistral-7B-v0.3'],
    env: { HF_TOKEN: 'hf_secret', DOCKER_HOST: 'tcp://attacker.example:2375' },
    gpuIndexes: [2, 3],
    workUnits: 3_000,
    inputs: [],
    resumeFrom: { units: 1_200, ref: 'ckpt-1200', checkpoint: null },
    ...overrides,
  };
}

function recorder() {
  const seen = {
    progress: [] as number[],
    results: [] as string[],
    logs: [] as string[],
    exit: null as WorkloadExit | null,
  };
  let resolveExit: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (resolveExit = resolve));
  const sink: WorkloadSink = {
    progress: (units) => seen.progress.push(units),
    checkpoint: () => undefined,
    result: (digest) => seen.results.push(digest),
    log: (stream, text) => seen.logs.push(`${stream}: ${text}`),
    exit: (result) => {
      seen.exit = result;
      resolveExit();
    },
  };
  return { seen, sink, exited };
}

describe('docker runner command line', () => {
  it('runs the image on the leased GPUs with the lease directories mounted, values kept off the command line', () => {
    const dirs = leaseDirs('/srv/backfill', assignment().attemptId);
    const { args, env } = dockerRunInvocation(assignment(), dirs, {
      PATH: '/usr/bin',
      HOME: '/home/supplier',
      DOCKER_HOST: 'unix:///run/docker.sock',
      SECRET_OF_THE_AGENT: 'never passed',
    });
    expect(args.slice(0, 3)).toEqual(['run', '--rm', '--init']);
    expect(args).toContain('--gpus');
    expect(args[args.indexOf('--gpus') + 1]).toBe('"device=2,3"');
    // Inputs read-only; outputs and checkpoints writable; nothing else of the host.
    const volumes = args.flatMap((arg, i) => (args[i - 1] === '--volume' ? [arg] : []));
    const leaseRoot = `/srv/backfill/leases/${assignment().attemptId}`;
    expect(volumes).toEqual([
      `${leaseRoot}/input:${CONTAINER_INPUT_DIR}:ro`,
      `${leaseRoot}/output:${CONTAINER_OUTPUT_DIR}`,
      `${leaseRoot}/checkpoints:${CONTAINER_CHECKPOINT_DIR}`,
    ]);
    expect(args.slice(-5)).toEqual([
      'huggingface/transformers-pytorch-gpu:4.41.3',
      'python',
      'train_lora.py',
      '--base',
      'mistralai/Mistral-7B-v0.3',
    ]);
    // Values travel in the CLI's environment, not in argv…
    expect(args.join(' ')).not.toContain('hf_secret');
    expect(args).toContain('HF_TOKEN');
    expect(env.HF_TOKEN).toBe('hf_secret');
    expect(env.BACKFILL_CHECKPOINT_DIR).toBe(CONTAINER_CHECKPOINT_DIR);
    expect(env.BACKFILL_INPUT_DIR).toBe(CONTAINER_INPUT_DIR);
    expect(env.BACKFILL_OUTPUT_DIR).toBe(CONTAINER_OUTPUT_DIR);
    expect(env.CUDA_VISIBLE_DEVICES).toBe('0,1');
    expect(env.BACKFILL_RESUME_UNITS).toBe('1200');
    // …except a job variable the docker CLI would read itself: it never reaches the CLI's environment.
    expect(env.DOCKER_HOST).toBe('unix:///run/docker.sock');
    expect(args).toContain('DOCKER_HOST=tcp://attacker.example:2375');
    expect(env.SECRET_OF_THE_AGENT).toBeUndefined();
  });

  it('expands $(NAME) in the command to the paths inside the container', () => {
    const { args } = dockerRunInvocation(
      assignment({ command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs', '$(BACKFILL_OUTPUT_DIR)'] }),
      leaseDirs('/srv/backfill', assignment().attemptId),
      { PATH: '/usr/bin' },
    );
    expect(args.slice(-3)).toEqual(['node', `${CONTAINER_INPUT_DIR}/render.mjs`, CONTAINER_OUTPUT_DIR]);
  });
});

describe('process runner', () => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'backfill-runner-'));

  it('passes the protocol variables and nothing else of the agent’s environment', async () => {
    const runner = createProcessRunner({
      stateDir,
      hostEnv: { PATH: process.env.PATH, NODE_TOKEN_LIKE: 'bfn_x' },
    });
    const { seen, sink, exited } = recorder();
    runner.start(
      assignment({
        env: { GREETING: 'hello' },
        command: [
          process.execPath,
          '-e',
          'console.log(`BACKFILL_PROGRESS ${Number(process.env.BACKFILL_RESUME_UNITS) + 1}`);' +
            'console.log(process.env.GREETING, process.env.CUDA_VISIBLE_DEVICES, process.env.NODE_TOKEN_LIKE ?? "none");' +
            'console.error("to stderr"); process.exit(3)',
        ],
      }),
      sink,
    );
    await exited;
    expect(seen.progress).toEqual([1_201]);
    expect(seen.logs).toEqual(expect.arrayContaining(['stdout: hello 2,3 none', 'stderr: to stderr']));
    expect(seen.exit).toEqual({ exitCode: 3, error: 'exited with code 3' });
  });

  it('runs in the lease’s work directory with its input, output and checkpoint directories, $(NAME) expanded', async () => {
    const runner = createProcessRunner({ stateDir, hostEnv: { PATH: process.env.PATH } });
    const { seen, sink, exited } = recorder();
    const dirs = leaseDirs(stateDir, assignment().attemptId);
    runner.start(
      assignment({
        command: [
          process.execPath,
          '-e',
          'const fs = require("node:fs"); const e = process.env;' +
            'for (const d of [e.BACKFILL_INPUT_DIR, e.BACKFILL_OUTPUT_DIR, e.BACKFILL_CHECKPOINT_DIR])' +
            '  console.log(d, fs.statSync(d).isDirectory());' +
            'console.log("cwd", process.cwd()); console.log("arg", process.argv[1]);',
          '$(BACKFILL_OUTPUT_DIR)/result.txt',
        ],
      }),
      sink,
    );
    await exited;
    expect(seen.exit).toEqual({ exitCode: 0 });
    expect(seen.logs).toEqual(
      expect.arrayContaining([
        `stdout: ${dirs.input} true`,
        `stdout: ${dirs.output} true`,
        `stdout: ${dirs.checkpoints} true`,
        `stdout: cwd ${dirs.work}`,
        `stdout: arg ${dirs.output}/result.txt`,
      ]),
    );
  });

  it('runs a canary: progress in the job’s units and the known answer as the result', async () => {
    const runner = createProcessRunner({ stateDir, hostEnv: { PATH: process.env.PATH } });
    const { seen, sink, exited } = recorder();
    const seed = 'c0ffee00c0ffee00';
    runner.start(
      assignment({
        template: 'custom',
        command: [process.execPath, '-e', KNOWN_ANSWER_PROGRAM],
        env: { BACKFILL_KA_SEED: seed, BACKFILL_KA_STEPS: '500' },
        workUnits: 30,
        resumeFrom: { units: 0, ref: null, checkpoint: null },
      }),
      sink,
    );
    await exited;
    expect(seen.exit).toEqual({ exitCode: 0 });
    expect(seen.progress.at(-1)).toBe(30);
    expect(seen.results).toEqual([laneAnswer(seed, 0, 500)]);
    expect(seen.logs.filter((line) => line.includes('BACKFILL'))).toEqual([]);
  });

  it('keeps a malformed result line as a log line', async () => {
    const runner = createProcessRunner({ stateDir, hostEnv: { PATH: process.env.PATH } });
    const { seen, sink, exited } = recorder();
    runner.start(
      assignment({ command: [process.execPath, '-e', 'console.log("BACKFILL_RESULT ABC")'] }),
      sink,
    );
    await exited;
    expect(seen.results).toEqual([]);
    expect(seen.logs).toContain('stdout: BACKFILL_RESULT ABC');
  });

  it('stops a workload that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const runner = createProcessRunner({ stateDir, graceMs: 300, hostEnv: {} });
    const { seen, sink, exited } = recorder();
    const workload = runner.start(
      assignment({
        command: [
          process.execPath,
          '-e',
          'process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("up"); setInterval(() => {}, 1000)',
        ],
      }),
      sink,
    );
    while (!seen.logs.includes('stdout: up')) await new Promise((resolve) => setTimeout(resolve, 20));
    await workload.stop();
    await exited;
    expect(seen.logs).toContain('stdout: ignoring SIGTERM');
    expect(seen.exit).toEqual({ exitCode: null, error: 'terminated by SIGKILL' });
  });

  it('reports a command that cannot start', async () => {
    const runner = createProcessRunner({ stateDir, hostEnv: { PATH: '/nonexistent' } });
    const { seen, sink, exited } = recorder();
    runner.start(assignment({ command: ['no-such-command-anywhere'] }), sink);
    await exited;
    expect(seen.exit?.exitCode).toBeNull();
    expect(seen.exit?.error).toMatch(/ENOENT/);
  });
});
