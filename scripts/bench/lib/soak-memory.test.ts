import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  judgeSoak,
  leastSquaresSlope,
  roleOfCommand,
  sampleStackMemory,
  type MemorySample,
} from '@/scripts/bench/lib/soak-memory';

const MIB = 2 ** 20;

/** A sample with only a total, at a minute of the run. */
function sampleAt(minutes: number, totalMiB: number): MemorySample {
  const none = { bytes: 0, processes: 0 };
  return {
    minutes,
    at: new Date(0).toISOString(),
    totalBytes: totalMiB * MIB,
    byRole: {
      web: { bytes: totalMiB * MIB, processes: 1 },
      chain: none,
      fleet: none,
      postgres: none,
      other: none,
    },
    processes: [],
  };
}

describe('soak memory', () => {
  it("labels the stack's processes by their command lines", () => {
    expect(roleOfCommand('node /app/node_modules/.bin/tsx /app/scripts/serve.ts --port 3000')).toBe('web');
    expect(
      roleOfCommand(
        'node --require /a/preflight.cjs --import file:///a/loader.mjs /app/scripts/serve.ts --port 1',
      ),
    ).toBe('web');
    expect(
      roleOfCommand('node /app/node_modules/.bin/tsx scripts/fleet.ts --api http://127.0.0.1:3000'),
    ).toBe('fleet');
    expect(roleOfCommand('/app/node_modules/.bin/anvil --port 8545 --state /tmp/x')).toBe('chain');
    expect(roleOfCommand('/usr/lib/postgresql/bin/postgres -D /data')).toBe('postgres');
    // The supervisor and wrappers say nothing by themselves: they are "other", or take their parent's label.
    expect(roleOfCommand('node --import tsx scripts/start.ts')).toBeNull();
  });

  it('fits a least-squares line', () => {
    expect(leastSquaresSlope([{ x: 0, y: 1 }])).toBeNull();
    expect(
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 5 },
      ]),
    ).toBeNull();
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 10 + 2 * x })))).toBeCloseTo(2);
    expect(
      leastSquaresSlope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 2 },
      ]),
    ).toBeCloseTo(0.5);
  });

  it('judges the targets: the total at every sample, and the trend after the warm-up', () => {
    // An hour, flat at 800 MiB after a warm-up climb from 500 MiB.
    const flat = [0, 5, 10, 20, 30, 40, 50, 60].map((m) => sampleAt(m, m < 10 ? 500 + m * 30 : 800));
    const steady = judgeSoak(flat, 60);
    expect(steady.maxTotalMiB).toBe(800);
    expect([steady.firstTotalMiB, steady.lastTotalMiB]).toEqual([500, 800]);
    expect(steady.trendMiBPerHour).toBeGreaterThan(0);
    expect(steady.trendAfterWarmUpMiBPerHour).toBe(0);
    expect(steady.targets).toEqual({ totalWithinTarget: true, noGrowthTrend: true, conclusive: true });

    // Growing 100 MiB an hour, and over 1.2 GiB at the end.
    const leak = judgeSoak(
      [0, 15, 30, 45, 60].map((m) => sampleAt(m, 1_160 + (m * 100) / 60)),
      60,
    );
    expect(leak.trendAfterWarmUpMiBPerHour).toBeCloseTo(100);
    expect(leak.targets).toEqual({ totalWithinTarget: false, noGrowthTrend: false, conclusive: true });

    // Three minutes: the warm-up is the first half, and the trend is not conclusive.
    const short = judgeSoak(
      [0, 1, 2, 3].map((m) => sampleAt(m, 700)),
      3,
    );
    expect(short.warmUpMinutes).toBe(1.5);
    expect(short.trendAfterWarmUpMiBPerHour).toBe(0);
    expect(short.targets).toEqual({ totalWithinTarget: true, noGrowthTrend: null, conclusive: false });
  });

  it('samples the proportional set size of a process tree, children included', async () => {
    const child = spawn('sleep', ['30']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const sample = sampleStackMemory(process.pid, performance.now());
      expect(sample.processes.map((p) => p.pid)).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect(sample.processes.every((p) => p.role === 'other' && p.pssBytes > 0)).toBe(true);
      expect(sample.totalBytes).toBe(sample.processes.reduce((sum, p) => sum + p.pssBytes, 0));
      expect(sample.byRole.other.processes).toBe(sample.processes.length);
    } finally {
      child.kill();
    }
  });
});
