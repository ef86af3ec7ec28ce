import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_PROFILES,
  historyCustomerWallet,
  monthIndex,
  monthStart,
  planCustomers,
  type HistoryCustomer,
} from '@/simulator/history/customers';

const TO = Date.UTC(2026, 10, 24);
const FROM = TO - 365 * 86_400_000;
const customers = planCustomers(42, 400, FROM, TO);
const MONTHS = monthIndex(FROM, TO - 1) + 1;

/** Months a customer was active in (activity > 0). */
const activeMonths = (c: HistoryCustomer) => c.activity.flatMap((a, m) => (a > 0 ? [m] : []));
const firstMonth = (c: HistoryCustomer) => monthIndex(FROM, c.joinAt);

describe('demo history customers', () => {
  it('is the same plan for a seed, another for another seed', () => {
    expect(planCustomers(42, 400, FROM, TO)).toEqual(customers);
    const other = planCustomers(43, 400, FROM, TO);
    expect(other.map((c) => c.id)).not.toEqual(customers.map((c) => c.id));
    expect(new Set(customers.map((c) => c.id)).size).toBe(400);
    expect(new Set(customers.map((c) => c.walletAddress)).size).toBe(400);
    expect(customers[0]?.walletAddress).toBe(historyCustomerWallet(42, customers[0]?.index ?? -1));
    expect(customers.every((c) => /^0x[0-9a-f]{40}$/.test(c.walletAddress))).toBe(true);
  });

  it('counts calendar months from the span start', () => {
    expect(monthIndex(FROM, FROM)).toBe(0);
    expect(MONTHS).toBe(13);
    expect(monthStart(FROM, 1)).toBe(Date.UTC(2025, 11, 1));
    expect(monthIndex(FROM, monthStart(FROM, 5))).toBe(5);
  });

  it('signs customers up every month, more as the network grows, none on the last day', () => {
    const perMonth = Array.from(
      { length: MONTHS },
      (_, m) => customers.filter((c) => firstMonth(c) === m).length,
    );
    expect(perMonth.every((n) => n > 0)).toBe(true);
    const firstHalf = perMonth.slice(1, 7).reduce((a, b) => a + b, 0);
    const secondHalf = perMonth.slice(7, 12).reduce((a, b) => a + b, 0);
    expect(secondHalf / 5).toBeGreaterThan(firstHalf / 6);
    expect(customers.every((c) => c.joinAt >= FROM && c.joinAt < TO - 86_400_000 + 1)).toBe(true);
    // Sorted by sign-up, and each is active in its first month.
    for (let i = 1; i < customers.length; i++)
      expect(customers[i]?.joinAt).toBeGreaterThanOrEqual(customers[i - 1]?.joinAt ?? 0);
    for (const c of customers) {
      expect(c.activity[firstMonth(c)]).toBe(1);
      expect(c.activity.slice(0, firstMonth(c)).every((a) => a === 0)).toBe(true);
    }
  });

  it('mixes hobbyists, startups, labs and enterprises in about their shares', () => {
    for (const profile of CUSTOMER_PROFILES) {
      const share = customers.filter((c) => c.kind === profile.kind).length / customers.length;
      expect(Math.abs(share - profile.share)).toBeLessThan(0.06);
    }
  });

  it('behaves like cohorts: many leave after trying, the rest churn slowly, some pause and return, stayers expand', () => {
    const early = customers.filter((c) => firstMonth(c) <= 3);
    const churned = early.filter((c) => c.churnedMonth !== null);
    const afterFirst = churned.filter((c) => c.churnedMonth === firstMonth(c) + 1).length;
    expect(churned.length).toBeGreaterThan(early.length * 0.3);
    expect(churned.length).toBeLessThan(early.length * 0.9);
    // Leaving right after the first month is the most common month to leave.
    const laterByMonth = new Map<number, number>();
    for (const c of churned)
      if (c.churnedMonth !== firstMonth(c) + 1) {
        const since = (c.churnedMonth ?? 0) - firstMonth(c);
        laterByMonth.set(since, (laterByMonth.get(since) ?? 0) + 1);
      }
    expect(afterFirst).toBeGreaterThan(Math.max(...laterByMonth.values()));
    for (const c of churned) expect(c.activity.slice(c.churnedMonth ?? 0).every((a) => a === 0)).toBe(true);

    const paused = early.filter((c) => {
      const months = activeMonths(c);
      return months.some((m, i) => i > 0 && m > (months[i - 1] ?? m) + 1);
    });
    expect(paused.length).toBeGreaterThan(3);

    const stayers = early.filter((c) => c.churnedMonth === null);
    const expanded = stayers.filter((c) => (c.activity[MONTHS - 1] ?? 0) > 1.5);
    const shrunk = stayers.filter(
      (c) => (c.activity[MONTHS - 1] ?? 0) > 0 && (c.activity[MONTHS - 1] ?? 0) < 1,
    );
    expect(expanded.length).toBeGreaterThan(stayers.length * 0.2);
    expect(shrunk.length).toBeGreaterThan(0);
    // Enterprises grow fastest, hobbyists not at all on average.
    const medianLevel = (kind: string) => {
      const levels = stayers
        .filter((c) => c.kind === kind && (c.activity[MONTHS - 1] ?? 0) > 0)
        .map((c) => (c.activity[MONTHS - 1] ?? 0) ** (1 / Math.max(1, MONTHS - 1 - firstMonth(c))))
        .sort((a, b) => a - b);
      return levels[Math.floor(levels.length / 2)] ?? 1;
    };
    expect(medianLevel('enterprise')).toBeGreaterThan(medianLevel('hobbyist'));
  });

  it('gives cohort retention the shape investors know: a drop after month 0, then a slow decline', () => {
    const cohort = customers.filter((c) => firstMonth(c) >= 1 && firstMonth(c) <= 4);
    const retention = (since: number) =>
      cohort.filter((c) => (c.activity[firstMonth(c) + since] ?? 0) > 0).length / cohort.length;
    expect(retention(0)).toBe(1);
    expect(retention(1)).toBeLessThan(0.8);
    expect(retention(1)).toBeGreaterThan(0.4);
    expect(retention(6)).toBeLessThan(retention(1));
    expect(retention(1) - retention(6)).toBeLessThan(1 - retention(1));
  });
});
