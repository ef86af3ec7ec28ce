import { describe, expect, it } from 'vitest';
import { simComputeLanes, simLaneAnswer } from '@/simulator/sim/sha256-chain';
import { computeLanes, laneAnswer } from '@/lib/verification/known-answer';

describe('the simulator’s hash chains', () => {
  it('give exactly the known answers', async () => {
    for (const [seed, lane, steps] of [
      ['00', 0, 0],
      ['00', 0, 1],
      ['deadbeef', 3, 257],
      ['0123456789abcdef0123456789abcdef', 15, 5_000],
    ] as const)
      expect(simLaneAnswer(seed, lane, steps)).toBe(laneAnswer(seed, lane, steps));
    expect(await simComputeLanes('c0ffee', 4, 9_001, { sliceSteps: 1_000 })).toEqual(
      await computeLanes('c0ffee', 4, 9_001),
    );
  });

  it('yield between slices', async () => {
    let yields = 0;
    await simComputeLanes('c0ffee', 2, 10_000, {
      sliceSteps: 3_000,
      yieldNow: async () => {
        yields += 1;
      },
    });
    expect(yields).toBe(3);
  });

  it('cost well under the crypto module’s per-step price', () => {
    const steps = 40_000;
    const time = (run: () => void) => {
      const started = performance.now();
      run();
      return performance.now() - started;
    };
    // Warm both up, then compare: the point of this module is to be cheaper.
    simLaneAnswer('aa', 0, 2_000);
    laneAnswer('aa', 0, 2_000);
    const fast = time(() => simLaneAnswer('ab', 0, steps));
    const reference = time(() => laneAnswer('ab', 0, steps));
    expect(fast).toBeLessThan(reference);
  });
});
