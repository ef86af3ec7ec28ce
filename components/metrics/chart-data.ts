import { axisLabel, shiftMonth, type Cell } from '@/components/metrics/format';
import type { Granularity, MetricId } from '@/lib/metrics/definitions';
import type { MetricRow, MetricSeries } from '@/lib/metrics/schemas';

/** How a chart axis and its tooltip write values. */
export type ValueFormat = 'usd' | 'integer' | 'decimal' | 'percent' | 'ratio' | 'duration';

export interface ChartSeriesSpec {
  key: string;
  name: string;
  kind: 'bar' | 'line' | 'area';
  axis: 'left' | 'right';
  /** A CSS colour (theme variables, so both themes work). */
  colour: string;
  /** Bars with the same stack id are stacked. */
  stack?: string;
  dashed?: boolean;
}

/** One x position: its axis label and a value per series key (null where the figure is undefined). */
export type ChartPoint = { label: string } & Record<string, string | number | null>;

/** Everything the chart needs, already shaped: the client component only draws it. */
export interface ChartModel {
  series: ChartSeriesSpec[];
  left: ValueFormat;
  right?: ValueFormat;
  /** A horizontal reference line on the left axis (NRR's 100 %). */
  reference?: { value: number; label: string };
  points: ChartPoint[];
}

const COLOURS = {
  accent: 'var(--accent)',
  success: 'var(--success)',
  warning: 'var(--warning)',
  danger: 'var(--danger)',
  muted: 'var(--muted-foreground)',
  foreground: 'var(--foreground)',
  /** Two fixed hues readable on both themes' backgrounds, for the charts that need more than the theme's. */
  cyan: '#0891b2',
  fuchsia: '#c026d3',
} as const;

/**
 * Micro-units as whole units, for chart geometry only: a bar's height may be approximate, the table and the
 * downloads beside it are exact.
 */
export function microsToUnits(value: Cell | undefined): number | null {
  if (value === null || value === undefined) return null;
  return Number(value) / 1_000_000;
}

function numeric(value: Cell | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

type Picker = (row: MetricRow) => number | null;

interface Layout {
  series: (ChartSeriesSpec & { pick: Picker })[];
  left: ValueFormat;
  right?: ValueFormat;
  reference?: ChartModel['reference'];
}

const usd =
  (key: string): Picker =>
  (row) =>
    microsToUnits(row[key]);
const num =
  (key: string): Picker =>
  (row) =>
    numeric(row[key]);

function line(key: string, name: string, colour: string = COLOURS.accent) {
  return { key, name, kind: 'line' as const, axis: 'left' as const, colour, pick: num(key) };
}

/** A bar on the left axis; bars given the same stack id are stacked. */
function bar(key: string, name: string, colour: string, pick: Picker, stack?: string) {
  return {
    key,
    name,
    kind: 'bar' as const,
    axis: 'left' as const,
    colour,
    pick,
    ...(stack ? { stack } : {}),
  };
}

/** Bars of one kind of value, one per [key, name, colour]. */
function bars(pick: (key: string) => Picker, stack: string | undefined, entries: [string, string, string][]) {
  return entries.map(([key, name, colour]) => bar(key, name, colour, pick(key), stack));
}

/** Which series each metric draws, on which axis, in which form. Cohort retention is a heatmap table instead. */
function layoutFor(id: MetricId): Layout | null {
  switch (id) {
    case 'paid-gpu-hours':
      return {
        left: 'decimal',
        series: [bar('paidGpuHours', 'Paid GPU-hours', COLOURS.accent, num('paidGpuHours'))],
      };
    case 'demand-vs-incentives':
      return {
        left: 'usd',
        right: 'ratio',
        series: [
          bar('paidDemand', 'Paid demand (USDC)', COLOURS.accent, usd('paidDemandMicros')),
          bar('incentivesUsd', 'Incentives (USD at emission)', COLOURS.warning, usd('incentiveUsdMicros')),
          bar('fees', 'Platform fees (USDC)', COLOURS.success, usd('feeMicros')),
          {
            key: 'subsidyRatio',
            name: 'Subsidy ratio (right axis)',
            kind: 'line',
            axis: 'right',
            colour: COLOURS.foreground,
            pick: num('subsidyRatio'),
          },
        ],
      };
    case 'take-rate':
      return { left: 'percent', series: [line('takeRate', 'Take rate')] };
    case 'paying-customers':
      return {
        left: 'integer',
        series: [
          bar('returningCustomers', 'Returning', COLOURS.accent, num('returningCustomers'), 'customers'),
          bar('newCustomers', 'New', COLOURS.success, num('newCustomers'), 'customers'),
        ],
      };
    case 'net-revenue-retention':
      return {
        left: 'percent',
        reference: { value: 1, label: '100 %' },
        series: [
          line('netRevenueRetention12m', '12-month NRR', COLOURS.success),
          { ...line('netRevenueRetentionYearAgo', 'Same month a year later', COLOURS.cyan), dashed: true },
          line('netRevenueRetention', 'Month over month'),
        ],
      };
    case 'top-customer-share':
      return { left: 'percent', series: [line('top10Share', 'Top-10 share')] };
    case 'verified-utilization':
      return { left: 'percent', series: [line('utilization', 'Utilization of verified supply')] };
    case 'verified-gpus-online':
      return {
        left: 'decimal',
        series: [
          {
            key: 'averageVerifiedGpus',
            name: 'Average verified GPUs online',
            kind: 'area',
            axis: 'left',
            colour: COLOURS.success,
            pick: num('averageVerifiedGpus'),
          },
        ],
      };
    case 'job-outcomes':
      return {
        left: 'integer',
        series: bars(num, 'outcomes', [
          ['succeeded', 'Succeeded', COLOURS.success],
          ['hostFailureRecovered', 'Host failure recovered', COLOURS.accent],
          ['userError', 'User error', COLOURS.warning],
          ['hostFailureLost', 'Host failure lost', COLOURS.danger],
          ['cancelled', 'Cancelled', COLOURS.muted],
          ['outOfBudget', 'Out of budget', COLOURS.fuchsia],
        ]),
      };
    case 'time-to-schedule':
      return {
        left: 'duration',
        series: [
          line('p50Seconds', 'p50 wait'),
          { ...line('p95Seconds', 'p95 wait', COLOURS.warning), dashed: true },
        ],
      };
    case 'reconciliation':
      return {
        left: 'usd',
        series: bars((key) => usd(`${key}Micros`), undefined, [
          ['depositsLedger', 'Deposits, ledger', COLOURS.accent],
          ['depositsOnchain', 'Deposits, on-chain', COLOURS.success],
          ['depositsSimulated', 'Deposits, simulated funding', COLOURS.muted],
          ['payoutsLedger', 'Payouts, ledger', COLOURS.cyan],
          ['payoutsOnchain', 'Payouts, on-chain', COLOURS.fuchsia],
          // Neutral like simulated funding, and apart from it: neither is money on a chain.
          ['payoutsSimulated', 'Payouts, simulated', COLOURS.foreground],
        ]),
      };
    case 'self-dealing':
      return {
        left: 'usd',
        right: 'decimal',
        series: [
          bar('selfDealtCharged', 'Self-dealt charges (USDC)', COLOURS.danger, usd('selfDealtChargedMicros')),
          {
            key: 'selfDealtGpuHours',
            name: 'Self-dealt GPU-hours (right axis)',
            kind: 'line',
            axis: 'right',
            colour: COLOURS.foreground,
            pick: num('selfDealtGpuHours'),
          },
        ],
      };
    case 'cohort-retention':
      return null;
  }
}

/** The chart of a metric's series, shaped for drawing; null for the cohort heatmap (an HTML table). */
export function chartModel(series: MetricSeries): ChartModel | null {
  const layout = layoutFor(series.metric.id);
  if (!layout) return null;
  const granularity: Granularity = series.granularity;
  const points = series.rows.map((row) => {
    const point: ChartPoint = { label: axisLabel(String(row.period ?? ''), granularity) };
    for (const s of layout.series) point[s.key] = s.pick(row);
    return point;
  });
  return {
    series: layout.series.map(({ pick: _pick, ...spec }) => spec),
    left: layout.left,
    ...(layout.right ? { right: layout.right } : {}),
    ...(layout.reference ? { reference: layout.reference } : {}),
    points,
  };
}

/**
 * Whether a series has anything to show: some row with a non-zero figure outside its date columns. A range
 * before the network's first records answers rows of zeros, which the page reports as "nothing yet".
 */
export function hasFigures(series: Pick<MetricSeries, 'columns' | 'rows'>): boolean {
  const keys = series.columns.filter((c) => c.type !== 'date' && c.type !== 'text').map((c) => c.key);
  return series.rows.some((row) =>
    keys.some((key) => {
      const value = row[key];
      return value !== null && value !== undefined && Number(value) !== 0;
    }),
  );
}

/** Exact sum of an integer-string column over the rows (unreconciled amounts, for the sentence under a chart). */
export function sumMicros(rows: readonly MetricRow[], key: string): bigint {
  return rows.reduce((sum, row) => {
    const value = row[key];
    return value === null || value === undefined ? sum : sum + BigInt(value);
  }, 0n);
}

export interface CohortCell {
  monthsSince: number;
  period: string;
  customers: number;
  retention: number | null;
}

export interface CohortRowModel {
  cohort: string;
  size: number;
  /** One entry per month since the cohort's first month, up to the last column; null once past the range. */
  cells: (CohortCell | null)[];
}

export interface CohortMatrix {
  /** Months since first payment shown as columns: 0 … columns − 1. */
  columns: number;
  rows: CohortRowModel[];
}

function monthsBetween(from: string, to: string): number {
  const [fy = 0, fm = 1] = from.split('-').map(Number);
  const [ty = 0, tm = 1] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

/**
 * The cohort rows (one per cohort and month with customers charged) as a cohort × months-since matrix. A month
 * the cohort has lived through without a published row had no customer charged: 0 %. Months after `to`
 * have not happened yet and stay empty (null).
 */
export function cohortMatrix(rows: readonly MetricRow[], to: string): CohortMatrix {
  const byCohort = new Map<string, { size: number; cells: Map<number, CohortCell> }>();
  for (const row of rows) {
    const cohort = String(row.cohort);
    const entry = byCohort.get(cohort) ?? { size: Number(row.cohortSize ?? 0), cells: new Map() };
    const monthsSince = Number(row.monthsSince);
    entry.cells.set(monthsSince, {
      monthsSince,
      period: String(row.period),
      customers: Number(row.customers ?? 0),
      retention: numeric(row.retention),
    });
    byCohort.set(cohort, entry);
  }
  const cohorts = [...byCohort.keys()].sort();
  const first = cohorts[0];
  const columns = first === undefined ? 0 : monthsBetween(first, to) + 1;
  return {
    columns,
    rows: cohorts.map((cohort) => {
      const entry = byCohort.get(cohort)!;
      const lived = monthsBetween(cohort, to);
      const cells = Array.from({ length: columns }, (_, m): CohortCell | null => {
        if (m > lived) return null;
        return (
          entry.cells.get(m) ?? {
            monthsSince: m,
            period: shiftMonth(cohort, m),
            customers: 0,
            retention: entry.size > 0 ? 0 : null,
          }
        );
      });
      return { cohort, size: entry.size, cells };
    }),
  };
}
