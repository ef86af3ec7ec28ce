import { describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import {
  budgetFor,
  DemandSimulator,
  gpusShort,
  LOAD_JOB_MINUTES,
  planJob,
  recordedLoadShare,
} from '@/simulator/sim/demand';
import { ManualTimers } from '@/simulator/sim/timers';
import { jobSpecSchema } from '@/lib/jobs/schemas';
import { expectedUnitsPerHour } from '@/lib/jobs/templates';
import { createRng } from '@/lib/random';

describe('simulated demand', () => {
  it('plans valid, varied jobs of one to six minutes, the same for the same seed', () => {
    const plan = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 200 }, () => planJob(rng));
    };
    const jobs = plan(42);
    expect(plan(42)).toEqual(jobs);
    expect(plan(43)).not.toEqual(jobs);
    expect(new Set(jobs.map((j) => j.spec.template)).size).toBe(5);
    for (const job of jobs) {
      const spec = jobSpecSchema.parse({ ...job.spec, budgetMicros: '1000000' });
      const model = spec.requirements.gpuModels[0] ?? '';
      const hours = spec.workUnits / expectedUnitsPerHour(spec.template, model, spec.requirements.gpuCount);
      expect(hours * 60).toBeGreaterThanOrEqual(0.95);
      expect(hours * 60).toBeLessThanOrEqual(6.05);
      expect(job.minutes).toBeGreaterThanOrEqual(1);
      expect(job.minutes).toBeLessThanOrEqual(6);
    }
  });

  it('budgets a few dollars in whole cents', () => {
    expect(budgetFor(10_000)).toBe(1_000_000);
    expect(budgetFor(1_234_567)).toBe(2_470_000);
    expect(budgetFor(50_000_000)).toBe(8_000_000);
  });
});

describe('demand that follows the network’s record', () => {
  it('plans jobs of a quarter of an hour to two hours, most of them short', () => {
    const rng = createRng(7);
    const minutes = Array.from({ length: 400 }, () => planJob(rng, LOAD_JOB_MINUTES, 'log').minutes);
    expect(Math.min(...minutes)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...minutes)).toBeLessThanOrEqual(120);
    const sorted = [...minutes].sort((a, b) => a - b);
    // Log-uniform: the median is near the geometric mean (about 42 minutes), well under the midpoint.
    expect(sorted[200]).toBeGreaterThan(30);
    expect(sorted[200]).toBeLessThan(60);
  });

  it('reads the recorded share from the public headline and sizes the gap in GPUs', () => {
    // 30 days × 24 h × 1,000 GPUs = 720,000 GPU-hours; 288,000 paid is 40 %.
    const headline = {
      windowFrom: '2026-11-08',
      windowTo: '2026-12-07',
      paidGpuHours: 288_000,
      verifiedGpusOnline: 1_000,
    };
    expect(recordedLoadShare(headline)).toBeCloseTo(0.4, 6);
    expect(recordedLoadShare({ ...headline, verifiedGpusOnline: 0 })).toBeNull();
    expect(recordedLoadShare({ ...headline, paidGpuHours: 10_000_000 })).toBe(0.85);
    expect(gpusShort(0.4, 1_000, 900)).toBe(300);
    expect(gpusShort(0.4, 1_000, 500)).toBe(0);
  });

  it('caps long jobs’ budgets higher than short ones’', () => {
    expect(budgetFor(50_000_000, 400_000_000)).toBe(100_000_000);
    expect(budgetFor(500_000_000, 400_000_000)).toBe(400_000_000);
  });
});

describe('reading the record', () => {
  it('asks again while the history is still being written, then keeps the share for ten minutes', async () => {
    const clock = new ManualClock('2026-12-07T09:00:00Z');
    let state = 'generating';
    let metricsReads = 0;
    // The public answers the demand reads, served in-process: the recorded share is 40 % once written.
    const answers: Record<string, () => unknown> = {
      '/api/v1/metrics': () => {
        metricsReads++;
        return {
          history: { state },
          headline: {
            windowFrom: '2026-11-08',
            windowTo: '2026-12-07',
            paidGpuHours: state === 'generating' ? 0 : 288_000,
            verifiedGpusOnline: 1_000,
          },
        };
      },
      '/api/v1/offers/summary': () => ({ gpusOnline: 1_000, gpusAvailable: 500 }),
      '/api/v1/jobs?state=active&limit=100': () => ({ items: [], nextCursor: null }),
    };
    const fetchImpl = (async (url: string) => {
      const answer = answers[new URL(url).pathname + new URL(url).search];
      return new Response(JSON.stringify(answer ? answer() : {}), { status: answer ? 200 : 404 });
    }) as typeof fetch;
    const demand = new DemandSimulator({
      apiUrl: 'http://marketplace.test',
      customers: [
        { accountId: '00000000-0000-4000-8000-000000000001', name: 'Demo customer 1', apiKey: 'k' },
      ],
      rng: createRng(1),
      clock,
      timers: new ManualTimers(),
      log: () => undefined,
      fetch: fetchImpl,
      followLoad: {},
    });
    await demand.step();
    await demand.step();
    expect(demand.stats.targetShare).toBeNull();
    expect(metricsReads).toBe(2);
    state = 'complete';
    await demand.step();
    expect(demand.stats.targetShare).toBeCloseTo(0.4, 6);
    // Half the GPUs are in use, above the record: nothing to launch, and the share is not read again.
    await demand.step();
    expect(metricsReads).toBe(3);
    expect(demand.stats.launched).toBe(0);
    clock.advance(10 * 60_000);
    await demand.step();
    expect(metricsReads).toBe(4);
  });
});
