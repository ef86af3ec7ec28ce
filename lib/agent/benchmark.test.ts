import { describe, expect, it } from 'vitest';
import {
  InvalidChallengeError,
  checkChallenge,
  computeChallengeLanes,
  cpuBenchmarkEngine,
  createPacedBenchmarkEngine,
  type Sleep,
} from '@/lib/agent/benchmark';
import type { BenchmarkChallenge } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import { laneAnswer } from '@/lib/verification/known-answer';

const challenge: BenchmarkChallenge = {
  challengeId: '7b1e0c1a-0000-4000-8000-000000000001',
  seed: '5eed5eed5eed5eed',
  lanes: 3,
  steps: 4_500,
  referenceMs: 5_000,
};

const live = () => new AbortController().signal;

describe('computeChallengeLanes', () => {
  it('computes every lane’s known answer, yielding between slices', async () => {
    let yields = 0;
    const lanes = await computeChallengeLanes(challenge, live(), async () => {
      yields += 1;
    });
    expect(lanes).toEqual([0, 1, 2].map((lane) => laneAnswer(challenge.seed, lane, challenge.steps)));
    // 4,500 steps in slices of 2,000: two yields between three slices.
    expect(yields).toBe(2);
  });

  it('stops at the next slice once aborted', async () => {
    const abort = new AbortController();
    const outcome = computeChallengeLanes(challenge, abort.signal, async () => {
      abort.abort(new Error('withdrawn'));
    });
    await expect(outcome).rejects.toThrow('withdrawn');
  });

  it('refuses challenges no answer could be right for', () => {
    for (const bad of [
      { lanes: 0 },
      { lanes: 17 },
      { steps: -1 },
      { steps: 10_000_001 },
      { seed: '' },
      { seed: 'abc' },
      { seed: 'zz' },
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
        return ['a'.repeat(64)];
      },
    });
    expect(await engine(challenge, live())).toEqual(['a'.repeat(64)]);
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
        return ['b'.repeat(64)];
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
      compute: async () => ['c'.repeat(64)],
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
        return ['d'.repeat(64)];
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
    const small = { ...challenge, lanes: 2, steps: 300, referenceMs: 120 };
    const started = Date.now();
    const lanes = await cpuBenchmarkEngine()(small, live());
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(lanes).toEqual([laneAnswer(small.seed, 0, 300), laneAnswer(small.seed, 1, 300)]);
  });
});
