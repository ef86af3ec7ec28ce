import { describe, expect, it } from 'vitest';
import { countBefore, nextPart } from '@/simulator/history/batches';
import type { HistoryCustomer } from '@/simulator/history/customers';
import type { HistoryDay, JobLife } from '@/simulator/history/history-types';

const START = Date.UTC(2026, 2, 1);
const customer = (joinAt: number) => ({ id: `c${joinAt}`, joinAt }) as HistoryCustomer;
const job = (launchAt: number) => ({ launchAt }) as JobLife;

/** A day with a sign-up (and its funding) at 10, jobs at 20, 30, 30, 40, 50, a withdrawal at 42 and a top-up at 45. */
const day: HistoryDay = {
  index: 0,
  start: START,
  end: START + 1_000,
  joined: [customer(START + 10)],
  deposits: [
    { customer: customer(START + 10), at: START + 10, amountMicros: 1n, number: 1 },
    { customer: customer(START + 10), at: START + 45, amountMicros: 1n, number: 2 },
  ],
  payouts: [{ supplier: 's', at: START + 42, day: 0 }],
  jobs: [20, 30, 30, 40, 50].map((t) => job(START + t)),
};

describe('parts of a history day', () => {
  it('takes at most a few jobs, ending at the next instant anything happens', () => {
    const first = nextPart(day, START, 2);
    expect(first.part.jobs.map((j) => j.launchAt - START)).toEqual([20, 30, 30]);
    // Two jobs launched at the same instant go together: the part ends after both.
    expect(first.part.end - START).toBe(40);
    expect(first.part.joined).toHaveLength(1);
    expect(first.part.deposits).toHaveLength(1);
    expect(first.part.payouts).toEqual([]);
    expect(first.lastOfDay).toBe(false);
    const second = nextPart(day, first.part.end, 2);
    expect(second.part.jobs.map((j) => j.launchAt - START)).toEqual([40, 50]);
    expect(second.part.deposits.map((d) => d.at - START)).toEqual([45]);
    expect(second.part.payouts.map((p) => p.at - START)).toEqual([42]);
    expect(second.part.end).toBe(day.end);
    expect(second.lastOfDay).toBe(true);
  });

  it('covers the whole day once, and counts what lies before a point', () => {
    const parts = [];
    for (let from = day.start; from < day.end;) {
      const { part } = nextPart(day, from, 1);
      parts.push(part);
      from = part.end;
    }
    expect(parts.flatMap((p) => p.jobs)).toEqual(day.jobs);
    expect(parts.flatMap((p) => p.deposits)).toEqual(day.deposits);
    expect(parts.flatMap((p) => p.payouts)).toEqual(day.payouts);
    expect(countBefore(day, START + 31)).toEqual({ jobs: 3, customers: 1 });
    expect(countBefore(day, START)).toEqual({ jobs: 0, customers: 0 });
    expect(nextPart({ ...day, jobs: [], deposits: [], payouts: [], joined: [] }, START)).toMatchObject({
      part: { start: START, end: day.end, jobs: [] },
      lastOfDay: true,
    });
  });
});
