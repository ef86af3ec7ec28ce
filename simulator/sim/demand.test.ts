import { describe, expect, it } from 'vitest';
import { budgetFor, planJob } from '@/simulator/sim/demand';
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
