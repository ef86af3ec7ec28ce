import { describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '@/lib/clock';
import { payoutPlan, payoutsOnDay } from '@/simulator/history/payouts';

const START = Date.UTC(2026, 0, 1);
const suppliers = Array.from(
  { length: 200 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);
const plans = (seed: number, ids = suppliers) => new Map(ids.map((s) => [s, payoutPlan(seed, s)]));

/** The withdrawals of `days` whole days from the start. */
function schedule(seed: number, days: number, ids = suppliers) {
  const byPlan = plans(seed, ids);
  return Array.from({ length: days }, (_, d) =>
    payoutsOnDay(seed, byPlan, d, START + d * MS_PER_DAY, START + (d + 1) * MS_PER_DAY),
  ).flat();
}

describe('the demo suppliers’ withdrawal schedule', () => {
  it('has most suppliers withdraw weekly, some fortnightly or monthly', () => {
    const cadences = suppliers.map((s) => payoutPlan(42, s).cadence);
    const share = (days: number) => cadences.filter((c) => c === days).length / cadences.length;
    expect(share(7)).toBeGreaterThan(0.45);
    expect(share(14)).toBeGreaterThan(0.1);
    expect(share(30)).toBeGreaterThan(0.1);
    expect(share(7) + share(14) + share(30)).toBe(1);
  });

  it('asks each supplier at most once a day, on its cadence, inside the day, to the minute, in time order', () => {
    const all = schedule(42, 90);
    const byPlan = plans(42);
    const seen = new Set<string>();
    for (const p of all) {
      const plan = byPlan.get(p.supplier)!;
      expect((p.day + plan.phase) % plan.cadence).toBe(0);
      expect(p.at).toBeGreaterThanOrEqual(START + p.day * MS_PER_DAY);
      expect(p.at).toBeLessThan(START + (p.day + 1) * MS_PER_DAY);
      expect(p.at % 60_000).toBe(0);
      const key = `${p.supplier}:${p.day}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    // Now and then: about one withdrawal a week per supplier at most, some skipped.
    const perSupplierWeek = all.length / suppliers.length / (90 / 7);
    expect(perSupplierWeek).toBeGreaterThan(0.4);
    expect(perSupplierWeek).toBeLessThan(1);
    for (let d = 0; d < 90; d++) {
      const day = all.filter((p) => p.day === d).map((p) => p.at);
      expect(day).toEqual([...day].sort((a, b) => a - b));
    }
  });

  it('is a pure function of the seed and the supplier, whoever else supplies the network', () => {
    expect(schedule(42, 60)).toEqual(schedule(42, 60));
    expect(schedule(43, 60)).not.toEqual(schedule(42, 60));
    const few = suppliers.slice(0, 20);
    const alone = schedule(42, 60, few);
    expect(alone).toEqual(schedule(42, 60).filter((p) => few.includes(p.supplier)));
  });

  it('asks nothing after the end of a partial last day', () => {
    const byPlan = plans(42);
    const end = START + 6 * 60 * 60 * 1000;
    for (let d = 0; d < 60; d++)
      for (const p of payoutsOnDay(42, byPlan, d, START + d * MS_PER_DAY, end + d * MS_PER_DAY))
        expect(p.at).toBeLessThan(end + d * MS_PER_DAY);
  });
});
