import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsupportedProofError } from '@/lib/agent/benchmark';
import {
  dockerCommand,
  hostPythonCommand,
  kernelBenchmarkEngine,
  selectBenchmarkEngine,
} from '@/lib/agent/benchmark-python';
import type { BenchmarkChallenge } from '@/lib/agent/schemas';
import { computeCommitment } from '@/lib/verification/gpu-proof';
import { checkReveals } from '@/lib/verification/gpu-proof-check';

const python = spawnSync('python3', ['-c', 'import numpy, sys; print(sys.executable)'], { encoding: 'utf8' });
const hasNumpy = python.status === 0;

const challenge: BenchmarkChallenge = {
  challengeId: '7b1e0c1a-0000-4000-8000-000000000001',
  seed: 'c0ffee00c0ffee00c0ffee00c0ffee00',
  lanes: 1,
  m: 32,
  k: 48,
  rounds: 5,
  referenceMs: 1_000,
  reveal: null,
};
const live = () => new AbortController().signal;

describe('engine selection', () => {
  it('answers unsupported when there is neither python3 with a GPU backend nor Docker', async () => {
    const chosen = await selectBenchmarkEngine({
      choice: 'auto',
      runner: 'process',
      path: path.dirname(process.execPath),
    });
    expect(chosen.description).toMatch(/no GPU proof engine .*declared, unverified/);
    await expect(chosen.engine(challenge, live())).rejects.toThrow(UnsupportedProofError);
    const none = await selectBenchmarkEngine({ choice: 'none', runner: 'docker', path: undefined });
    await expect(none.engine(challenge, live())).rejects.toThrow(UnsupportedProofError);
  });

  it('labels the CPU path as development', async () => {
    const chosen = await selectBenchmarkEngine({ choice: 'cpu', runner: 'process', path: undefined });
    expect(chosen.description).toMatch(/^DEVELOPMENT CPU path/);
  });

  it('runs the kernel in the pinned image with the GPUs and no network', () => {
    const kernel = dockerCommand('/usr/bin/docker');
    expect(kernel.args.slice(0, 7)).toEqual(['run', '--rm', '-i', '--gpus', 'all', '--network', 'none']);
    expect(kernel.args).toContain('pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime');
  });
});

describe.skipIf(!hasNumpy)('the kernel engine (numpy standing in for the GPU backend)', () => {
  it('commits to the root the server expects and reveals rounds that pass its check', async () => {
    const engine = kernelBenchmarkEngine(hostPythonCommand(python.stdout.trim()), 'numpy');
    const run = await engine(challenge, live());
    const params = { seed: challenge.seed, m: challenge.m, k: challenge.k, rounds: challenge.rounds };
    expect(run.root).toBe((await computeCommitment(params)).root);
    const reveals = await run.reveal([0, 3, 4], live());
    expect(checkReveals(params, run.root, [0, 3, 4], reveals, { rowsPerRound: 8 })).toMatchObject({
      ok: true,
    });
  });
});
