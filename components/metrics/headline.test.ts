import { describe, expect, it } from 'vitest';
import { headlineGroups, HOME_HEADLINES, homeHeadlines } from '@/components/metrics/headline';
import type { MetricsHeadline } from '@/lib/metrics/schemas';

function headline(patch: Partial<MetricsHeadline> = {}): MetricsHeadline {
  return {
    windowFrom: '2026-10-26',
    windowTo: '2026-11-24',
    paidGpuHours: 12345.678,
    paidDemandMicros: '25000000000',
    incentiveUsdMicros: '5000000000',
    subsidyRatio: 0.2,
    feeMicros: '2500000000',
    incentivesToFees: 2,
    marginMicros: '-2500000000',
    takeRate: 0.1,
    jobsEnded: 2000,
    jobSuccessRate: 0.9731,
    timeToScheduleP50Seconds: 42,
    selfDealtGpuHours: 12.5,
    selfDealtChargedMicros: '30000000',
    selfDealtJobs: 3,
    month: '2026-10-01',
    recordsFrom: '2025-11-20',
    payingCustomers: 321,
    netRevenueRetention12m: null,
    nrr12BaseMicros: null,
    nrr12RetainedMicros: null,
    netRevenueRetentionYearAgo: 1.2,
    yearAgoBaseMicros: '1000000',
    yearAgoRetainedMicros: '1200000',
    netRevenueRetention: 1.084,
    verifiedGpusOnline: 1100,
    ...patch,
  };
}

describe('headlineGroups', () => {
  it('writes the headline figures in their windows', () => {
    const groups = headlineGroups(headline());
    expect(groups.map((g) => g.title)).toEqual([
      'Last 30 days (Oct 26, 2026 – Nov 24, 2026, UTC)',
      'October 2026 (latest complete month)',
      'Right now',
    ]);
    expect(groups.flatMap((g) => g.figures.map((f) => [f.label, f.value]))).toEqual([
      ['Paid GPU-hours', '12,345.7'],
      ['Paid demand', '$25,000.00'],
      ['Incentives', '$5,000.00'],
      ['Subsidy ratio', '0.20'],
      ['Platform fees', '$2,500.00'],
      ['Incentives ÷ fees', '2.00'],
      ['Network margin', '−$2,500.00'],
      ['Take rate', '10.0%'],
      ['Job success rate', '97.3%'],
      ['Time to schedule, p50', '42 s'],
      ['Self-dealing, excluded', '$30.00'],
      ['Paying customers', '321'],
      ['12-month net revenue retention', '—'],
      ['NRR, same month a year later', '120.0%'],
      ['NRR, month over month', '108.4%'],
      ['Verified GPUs online', '1,100'],
    ]);
    const month = groups[1]?.figures ?? [];
    expect(month[1]?.hint).toBe(
      'Needs 24 months of records (the 12 months to October 2025 against the 12 months to October 2026). The network’s records begin on Nov 20, 2025.',
    );
    expect(month[2]?.hint).toBe(
      'What October 2025’s payers spent in October 2026 ÷ what they spent in October 2025.',
    );
    expect(month[3]?.hint).toBe(
      'What September 2026’s payers spent in October 2026 ÷ what they spent in September 2026.',
    );
    expect(groups[0]?.figures.find((f) => f.id === 'margin')?.hint).toContain(
      'the network spends more on incentives than it earns in fees',
    );
  });

  it('writes a dash where a ratio is undefined (nothing charged yet)', () => {
    const figures = headlineGroups(
      headline({
        subsidyRatio: null,
        takeRate: null,
        jobSuccessRate: null,
        netRevenueRetention: null,
        timeToScheduleP50Seconds: null,
      }),
    ).flatMap((g) => g.figures);
    const value = (id: string) => figures.find((f) => f.id === id)?.value;
    for (const id of [
      'subsidyRatio',
      'takeRate',
      'jobSuccessRate',
      'netRevenueRetention',
      'timeToScheduleP50',
    ])
      expect(value(id)).toBe('—');
  });
});

describe('homeHeadlines', () => {
  it('picks the home page figures in order, each labelled with its window', () => {
    const figures = homeHeadlines(headline());
    expect(figures.map((f) => f.id)).toEqual(HOME_HEADLINES);
    expect(figures.map((f) => f.window)).toEqual([
      'last 30 days',
      'last 30 days',
      'last 30 days',
      'last 30 days',
      'October 2026',
      'October 2026',
      'October 2026',
    ]);
  });
});
