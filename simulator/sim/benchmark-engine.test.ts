import { describe, expect, it } from 'vitest';
import type { BenchmarkChallenge } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import {
  ComputeQueue,
  createVirtualBenchmarkEngine,
  simulatedBenchmarkMs,
  timersSleep,
} from '@/simulator/sim/benchmark-engine';
import { ManualTimers } from '@/simulator/sim/timers';
import { computeCommitment } from '@/lib/verification/gpu-proof';

const challenge: BenchmarkChallenge = {
  challengeId: '7b1e0c1a-0000-4000-8000-000000000001',
  seed: 'feedface'.repeat(4),
  lanes: 1,
  m: 16,
  k: 16,
  rounds: 4,
  referenceMs: 5_000,
  reveal: null,
};

/** Lets the engine's computation (which yields through setImmediate) run to its sleep. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setup(performanceFactor: number) {
  const clock = new ManualClock(0);
  const timers = new ManualTimers();
  const engine = createVirtualBenchmarkEngine({
    clock,
    timers,
    performanceFactor,
    queue: new ComputeQueue(),
  });
  /** Moves the simulated clock and its timers together. */
  const advance = (ms: number) => {
    clock.advance(ms);
    timers.advance(ms);
  };
  return { engine, timers, advance };
}

describe('virtual benchmark engine', () => {
  it('computes the real proof and commits at referenceMs ÷ the node’s true speed', async () => {
    const { engine, timers, advance } = setup(0.95);
    let answer: string | null = null;
    void engine(challenge, new AbortController().signal).then((run) => (answer = run.root));
    await settle();
    expect(timers.dueTimes()).toEqual([simulatedBenchmarkMs(5_000, 0.95)]);
    advance(5_262);
    await settle();
    expect(answer).toBeNull();
    advance(1);
    await settle();
    const { seed, m, k, rounds } = challenge;
    expect(answer).toBe((await computeCommitment({ seed, m, k, rounds })).root);
  });

  it('makes a node claiming a faster GPU than it has answer late', () => {
    // An RTX 4090 (0.78× an A100) claiming an H100 (3.17×) runs at about a quarter of its claim.
    const late = simulatedBenchmarkMs(5_000, 0.78 / 3.17);
    expect(late).toBeGreaterThan(5_000 / (1 - 0.15));
    expect(simulatedBenchmarkMs(5_000, 0.92)).toBeLessThan(5_000 / (1 - 0.15));
  });

  it('clears its timer when the challenge is abandoned', async () => {
    const { engine, timers } = setup(1);
    const abort = new AbortController();
    const outcome = engine(challenge, abort.signal);
    await settle();
    expect(timers.size).toBe(1);
    abort.abort(new Error('host gone'));
    await expect(outcome).rejects.toThrow('host gone');
    expect(timers.size).toBe(0);
  });

  it('skips the computation of a challenge abandoned while it waited its turn', async () => {
    const queue = new ComputeQueue();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = queue.run(async () => {
      order.push('first');
      await new Promise<void>((resolve) => (release = resolve));
    });
    const clock = new ManualClock(0);
    const engine = createVirtualBenchmarkEngine({
      clock,
      timers: new ManualTimers(),
      performanceFactor: 1,
      queue,
    });
    const abort = new AbortController();
    const second = engine(challenge, abort.signal);
    const third = queue.run(async () => order.push('third'));
    await settle();
    expect(order).toEqual(['first']);
    abort.abort(new Error('withdrawn'));
    release();
    await first;
    await expect(second).rejects.toThrow('withdrawn');
    await third;
    expect(order).toEqual(['first', 'third']);
  });

  it('sleeps on the injected timers and rejects at once when already aborted', async () => {
    const timers = new ManualTimers();
    const sleep = timersSleep(timers);
    let woke = false;
    void sleep(1_000, new AbortController().signal).then(() => (woke = true));
    timers.advance(999);
    await settle();
    expect(woke).toBe(false);
    timers.advance(1);
    await settle();
    expect(woke).toBe(true);
    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    await expect(sleep(10, aborted.signal)).rejects.toThrow('gone');
    expect(timers.size).toBe(0);
  });
});
