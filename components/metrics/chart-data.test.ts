import { describe, expect, it } from 'vitest';
import {
  chartModel,
  cohortMatrix,
  hasFigures,
  microsToUnits,
  sumMicros,
} from '@/components/metrics/chart-data';
import { buildSeries } from '@/components/metrics/test-series';
import type { MetricId } from '@/lib/metrics/definitions';

describe('chartModel', () => {
  it('draws demand, incentives and fees in dollars on the left and the subsidy ratio on the right', () => {
    const model = chartModel(
      buildSeries('demand-vs-incentives', [
        {
          period: '2026-10-01',
          paidDemandMicros: '2500000000',
          incentiveUsdMicros: '500000000',
          incentiveTokenMicros: '10000000000',
          subsidyRatio: 0.2,
          feeMicros: '250000000',
        },
        {
          period: '2026-11-01',
          paidDemandMicros: '0',
          incentiveUsdMicros: '0',
          incentiveTokenMicros: '0',
          subsidyRatio: null,
          feeMicros: null,
        },
      ]),
    );
    expect(model?.left).toBe('usd');
    expect(model?.right).toBe('ratio');
    expect(model?.series.map((s) => [s.key, s.kind, s.axis])).toEqual([
      ['paidDemand', 'bar', 'left'],
      ['incentivesUsd', 'bar', 'left'],
      ['fees', 'bar', 'left'],
      ['subsidyRatio', 'line', 'right'],
    ]);
    expect(model?.points).toEqual([
      { label: 'Oct 2026', paidDemand: 2500, incentivesUsd: 500, fees: 250, subsidyRatio: 0.2 },
      { label: 'Nov 2026', paidDemand: 0, incentivesUsd: 0, fees: null, subsidyRatio: null },
    ]);
    // Nothing that cannot cross from the server to the browser (functions) is left in the model.
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('stacks new and returning customers, and job outcomes', () => {
    const customers = chartModel(
      buildSeries('paying-customers', [
        { period: '2026-10-01', payingCustomers: 5, newCustomers: 2, returningCustomers: 3 },
      ]),
    );
    expect(customers?.series.every((s) => s.kind === 'bar' && s.stack === 'customers')).toBe(true);
    expect(customers?.points[0]).toEqual({ label: 'Oct 2026', returningCustomers: 3, newCustomers: 2 });

    const outcomes = chartModel(buildSeries('job-outcomes', []));
    expect(outcomes?.series.map((s) => s.key)).toEqual([
      'succeeded',
      'hostFailureRecovered',
      'userError',
      'hostFailureLost',
      'cancelled',
      'outOfBudget',
    ]);
    expect(new Set(outcomes?.series.map((s) => s.stack))).toEqual(new Set(['outcomes']));
  });

  it('marks 100 % on the net revenue retention chart', () => {
    const model = chartModel(buildSeries('net-revenue-retention', []));
    expect(model?.reference).toEqual({ value: 1, label: '100 %' });
    expect(model?.left).toBe('percent');
  });

  it('labels periods by the series granularity', () => {
    const model = chartModel(
      buildSeries('paid-gpu-hours', [{ period: '2026-11-02', paidGpuMs: '7200000', paidGpuHours: 2 }], {
        granularity: 'week',
      }),
    );
    expect(model?.points).toEqual([{ label: 'Nov 2', paidGpuHours: 2 }]);
  });

  it('has a chart for every metric but cohort retention (a heatmap table)', () => {
    expect(chartModel(buildSeries('cohort-retention', []))).toBeNull();
    const ids: MetricId[] = [
      'take-rate',
      'top-customer-share',
      'verified-utilization',
      'verified-gpus-online',
    ];
    for (const id of ids) expect(chartModel(buildSeries(id, []))?.series.length).toBeGreaterThan(0);
    const reconciliation = chartModel(buildSeries('reconciliation', []));
    expect(reconciliation?.series.map((s) => s.key)).toEqual([
      'depositsLedger',
      'depositsOnchain',
      'depositsSimulated',
      'payoutsLedger',
      'payoutsOnchain',
      'payoutsSimulated',
    ]);
  });
});

describe('hasFigures', () => {
  it('is false for rows of zeros and nulls, true as soon as one figure is not zero', () => {
    const zero = { period: '2026-10-01', jobs: 0, p50Seconds: null, p95Seconds: null };
    expect(hasFigures(buildSeries('time-to-schedule', []))).toBe(false);
    expect(hasFigures(buildSeries('time-to-schedule', [zero]))).toBe(false);
    expect(hasFigures(buildSeries('time-to-schedule', [zero, { ...zero, jobs: 3, p50Seconds: 4 }]))).toBe(
      true,
    );
  });
});

describe('sumMicros and microsToUnits', () => {
  it('sums integer strings exactly, beyond 2^53', () => {
    const rows = [{ x: '9007199254740993' }, { x: '1' }, { x: null }];
    expect(sumMicros(rows, 'x')).toBe(9007199254740994n);
    expect(sumMicros([], 'x')).toBe(0n);
  });

  it('turns micros into units for geometry only', () => {
    expect(microsToUnits('1500000')).toBe(1.5);
    expect(microsToUnits(null)).toBeNull();
  });
});

describe('cohortMatrix', () => {
  const row = (cohort: string, monthsSince: number, period: string, size: number, customers: number) => ({
    cohort,
    monthsSince,
    period,
    cohortSize: size,
    customers,
    retention: customers / size,
    chargedMicros: '1000000',
  });

  it('pivots cohorts into rows by months since, 0 % for lived months without payers, empty after the range', () => {
    const matrix = cohortMatrix(
      [
        row('2026-09-01', 0, '2026-09-01', 10, 10),
        row('2026-09-01', 2, '2026-11-01', 10, 4),
        row('2026-10-01', 0, '2026-10-01', 5, 5),
        row('2026-10-01', 1, '2026-11-01', 5, 1),
      ],
      '2026-11-24',
    );
    expect(matrix.columns).toBe(3);
    expect(matrix.rows.map((r) => [r.cohort, r.size])).toEqual([
      ['2026-09-01', 10],
      ['2026-10-01', 5],
    ]);
    expect(matrix.rows[0]?.cells.map((c) => c?.retention ?? null)).toEqual([1, 0, 0.4]);
    expect(matrix.rows[0]?.cells[1]).toEqual({
      monthsSince: 1,
      period: '2026-10-01',
      customers: 0,
      retention: 0,
    });
    expect(matrix.rows[1]?.cells.map((c) => c?.retention ?? null)).toEqual([1, 0.2, null]);
    expect(matrix.rows[1]?.cells[2]).toBeNull();
  });

  it('is empty without cohorts', () => {
    expect(cohortMatrix([], '2026-11-24')).toEqual({ columns: 0, rows: [] });
  });
});
