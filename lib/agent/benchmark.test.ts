import { describe, expect, it } from 'vitest';
import {
  InvalidChallengeError,
  UnsupportedProofError,
  checkChallenge,
  computeOnCpu,
  cpuBenchmarkEngine,
  createPacedBenchmarkEngine,
  type ProofRun,
  type Sleep,
} from '@/lib/agent/benchmark';
import type { BenchmarkChallenge } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import { computeCommitment } from '@/lib/verification/gpu-proof';
import { checkReveals } from '@/lib/verification/gpu-proof-check';

const challenge: BenchmarkChallenge = {
  challengeId: '7b1e0c1a-0000-4000-8000-000000000001',
  seed: '5eed5eed5eed5eed5eed5eed5eed5eed',
  lanes: 1,
  m: 32,
  k: 32,
  rounds: 3,
  referenceMs: 5_000,
  reveal: null,
};
const params = { seed: challenge.seed, m: challenge.m, k: challenge.k, rounds: challenge.rounds };

const live = () => new AbortController().signal;
const fakeRun = (root: string): ProofRun => ({ root, reveal: async () => [] });

describe('the development CPU path', () => {
  it('computes the proof’s root, yielding between rounds, and reveals rounds the server accepts', async () => {
    let yields = 0;
    const run = await computeOnCpu(challenge, live(), async () => {
      yields += 1;
    });
    expect(run.root).toBe((await computeCommitment(params)).root);
    expect(yields).toBe(3);
    const reveals = await run.reveal([0, 2], live());
    expect(checkReveals(params, run.root, [0, 2], reveals, { rowsPerRound: 4 }).ok).toBe(true);
  });

  it('stops at the next round once aborted', async () => {
    const abort = new AbortController();
    const outcome = computeOnCpu(challenge, abort.signal, async () => {
      abort.abort(new Error('withdrawn'));
    });
    await expect(outcome).rejects.toThrow('withdrawn');
  });

  it('refuses production-size challenges: a CPU cannot prove a GPU', async () => {
    const production = { ...challenge, m: 8192, k: 2048, rounds: 3_000 };
    await expect(computeOnCpu(production, live())).rejects.toThrow(UnsupportedProofError);
  });

  it('refuses challenges no answer could be right for', () => {
    for (const bad of [
      { lanes: 0 },
      { lanes: 17 },
      { m: 40 },
      { k: 4096 },
      { rounds: 0 },
      { seed: '' },
      { seed: 'abc' },
      { seed: 'zz'.repeat(16) },
      { referenceMs: -5 },
    ])
      expect(() => checkChallenge({ ...challenge, ...bad })).toThrow(InvalidChallengeError);
    expect(() => checkChallenge(challenge)).not.toThrow();
  });
});

describe('paced benchmark engine', () => {
  function manualSleep(clock: ManualClock) {
    const sleeps: number[] = [];
    const sleep: Sleep = async (ms, signal) => {
      sleeps.push(ms);
      signal.throwIfAborted();
      clock.advance(ms);
    };
    return { sleeps, sleep };
  }

  it('answers no earlier than the reference time after it started', async () => {
    const clock = new ManualClock(0);
    const { sleeps, sleep } = manualSleep(clock);
    const engine = createPacedBenchmarkEngine({
      clock,
      sleep,
      compute: async () => {
        clock.advance(700);
        return fakeRun('a'.repeat(64));
      },
    });
    expect((await engine(challenge, live())).root).toBe('a'.repeat(64));
    expect(sleeps).toEqual([4_300]);
    expect(clock.now().getTime()).toBe(5_000);
  });

  it('answers as soon as it is done when the computation takes longer than the pace', async () => {
    const clock = new ManualClock(0);
    const { sleeps, sleep } = manualSleep(clock);
    const engine = createPacedBenchmarkEngine({
      clock,
      sleep,
      paceMs: (c) => c.referenceMs / 2,
      compute: async () => {
        clock.advance(3_000);
        return fakeRun('b'.repeat(64));
      },
    });
    await engine(challenge, live());
    expect(sleeps).toEqual([]);
  });

  it('paces to the given model time (the simulator’s true speed)', async () => {
    const clock = new ManualClock(0);
    const { sleeps, sleep } = manualSleep(clock);
    const engine = createPacedBenchmarkEngine({
      clock,
      sleep,
      paceMs: (c) => c.referenceMs / 0.8,
      compute: async () => fakeRun('c'.repeat(64)),
    });
    await engine(challenge, live());
    expect(sleeps).toEqual([6_250]);
  });

  it('rejects a malformed challenge before computing, and an aborted one while waiting', async () => {
    const clock = new ManualClock(0);
    let computed = 0;
    const engine = createPacedBenchmarkEngine({
      clock,
      sleep: (_ms, signal) =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
      compute: async () => {
        computed += 1;
        return fakeRun('d'.repeat(64));
      },
    });
    await expect(engine({ ...challenge, lanes: 40 }, live())).rejects.toThrow(InvalidChallengeError);
    expect(computed).toBe(0);
    const abort = new AbortController();
    const outcome = engine(challenge, abort.signal);
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort(new Error('host gone'));
    await expect(outcome).rejects.toThrow('host gone');
  });

  it('runs on real time with the CPU engine', async () => {
    const small = { ...challenge, referenceMs: 120 };
    const started = Date.now();
    const run = await cpuBenchmarkEngine()(small, live());
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(run.root).toBe((await computeCommitment(params)).root);
  });
});
