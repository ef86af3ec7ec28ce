import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import { csvLine } from '@/lib/csv';
import { queryRows, type Db } from '@/lib/db/client';
import { incentiveConfig } from '@/lib/incentives/config';
import {
  COMMON_METHODOLOGY,
  METRICS,
  metricDefinition,
  type Granularity,
  type MetricDefinition,
  type MetricId,
} from '@/lib/metrics/definitions';
import { getHistoryStatus } from '@/lib/metrics/history-status';
import {
  addDays,
  nextPeriodStart,
  periodHistogramSql,
  periodStart,
  schedulePercentilesSql,
} from '@/lib/metrics/percentiles';
import type {
  DataExtent,
  MetricQuery,
  MetricRow,
  MetricSeries,
  MetricsHeadline,
  MetricsSummary,
} from '@/lib/metrics/schemas';

/**
 * The public metrics, read from the rollups only (lib/metrics/rollups.ts): every query touches at most a row
 * per day, month or cohort cell of the range, however long the raw history grows. Amounts stay exact integer
 * strings; ratios are derived from the integers published beside them.
 */

const DAY_MS = 86_400_000;
/** Longest range a request may ask for, so a day-granularity answer stays a few thousand rows at most. */
export const MAX_RANGE_DAYS = 3 * 366;

export interface ResolvedRange {
  from: string;
  to: string;
  granularity: Granularity;
  /** When the default range starts after the network's first record: the sentence saying so. */
  cut?: string | null;
}

/** Records span at most this many calendar months (to `to`) for the default range to cover them all. */
export const DEFAULT_WHOLE_HISTORY_MONTHS = 13;

function today(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

/**
 * The default first day of a range ending `to`: the network's whole history (from the month of its first
 * record) when it spans at most 13 calendar months, otherwise the last 12 calendar months, with the sentence
 * that states the cut.
 */
export function defaultRangeFrom(to: string, firstDay: string | null): { from: string; cut: string | null } {
  const twelve = addMonths(to, -11);
  if (firstDay === null || firstDay >= twelve) return { from: twelve, cut: null };
  const firstMonth = addMonths(firstDay, 0);
  if (firstMonth >= addMonths(to, 1 - DEFAULT_WHOLE_HISTORY_MONTHS)) return { from: firstMonth, cut: null };
  return {
    from: twelve,
    cut: `The last 12 calendar months are shown; the network’s records begin on ${firstDay}. Ask for an earlier \`from\` to see them.`,
  };
}

/**
 * Applies the defaults (the network's whole history when it spans at most 13 calendar months, otherwise the
 * last 12 calendar months to today; by month) and checks the range.
 */
export function resolveMetricRange(
  definition: MetricDefinition,
  query: MetricQuery,
  clock: Clock,
  firstDay: string | null = null,
): ResolvedRange {
  const to = query.to ?? today(clock);
  const fallback = defaultRangeFrom(to, firstDay);
  const from = query.from ?? fallback.from;
  const cut = query.from ? null : fallback.cut;
  const granularity = query.granularity ?? 'month';
  if (from > to)
    throw new AppError('bad_request', '`from` must not be after `to`.', {
      fields: [{ field: 'from', message: 'must be on or before `to`' }],
    });
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_RANGE_DAYS)
    throw new AppError('bad_request', `A range may span at most ${MAX_RANGE_DAYS} days.`, {
      fields: [{ field: 'from', message: `at most ${MAX_RANGE_DAYS} days before \`to\`` }],
    });
  if (!definition.granularities.includes(granularity))
    throw new AppError(
      'bad_request',
      `${definition.title} is published by ${definition.granularities.join(', ')}.`,
      {
        fields: [{ field: 'granularity', message: `must be one of: ${definition.granularities.join(', ')}` }],
      },
    );
  return { from, to, granularity, cut };
}

const ratio = (numerator: bigint | number, denominator: bigint | number): number | null =>
  Number(denominator) === 0 ? null : Math.round((Number(numerator) / Number(denominator)) * 1e6) / 1e6;

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** The periods of the range and the rollup days each covers: `period` is the period's first day. */
function periodsSql(range: ResolvedRange): SQL {
  const unit = sql.raw(`'${range.granularity}'`);
  return sql`select g::date as period
               from generate_series(date_trunc(${unit}, ${range.from}::date),
                                    ${range.to}::date, ${sql.raw(`interval '1 ${range.granularity}'`)}) as g`;
}

interface DailySums {
  period: string;
  days: number;
  paid_gpu_ms: string;
  charged: string;
  fee: string;
  supplier: string;
  tokens: string;
  usd: string;
  verified: string;
  epoch_seconds: string;
  succeeded: string;
  recovered: string;
  user_error: string;
  host_lost: string;
  cancelled: string;
  out_of_budget: string;
  dep_ledger: string;
  dep_onchain: string;
  dep_simulated: string;
  pay_ledger: string;
  pay_onchain: string;
  pay_simulated: string;
  sd_gpu_ms: string;
  sd_charged: string;
  sd_jobs: string;
}

async function dailySums(db: Db, range: ResolvedRange): Promise<DailySums[]> {
  const unit = sql.raw(`'${range.granularity}'`);
  return queryRows<DailySums>(
    db,
    sql`with periods as (${periodsSql(range)}),
        sums as (
          select date_trunc(${unit}, day)::date as period, count(*)::int as days,
                 sum(paid_gpu_ms) as paid_gpu_ms, sum(charged_micros) as charged, sum(fee_micros) as fee,
                 sum(supplier_micros) as supplier, sum(incentive_token_micros) as tokens,
                 sum(incentive_usd_micros) as usd, sum(verified_gpu_seconds) as verified,
                 sum(epoch_seconds) as epoch_seconds,
                 sum(jobs_succeeded) as succeeded, sum(jobs_host_recovered) as recovered,
                 sum(jobs_user_error) as user_error, sum(jobs_host_lost) as host_lost,
                 sum(jobs_cancelled) as cancelled, sum(jobs_out_of_budget) as out_of_budget,
                 sum(deposits_ledger_micros) as dep_ledger, sum(deposits_onchain_micros) as dep_onchain,
                 sum(deposits_simulated_micros) as dep_simulated, sum(payouts_ledger_micros) as pay_ledger,
                 sum(payouts_onchain_micros) as pay_onchain, sum(payouts_simulated_micros) as pay_simulated,
                 sum(self_dealt_gpu_ms) as sd_gpu_ms,
                 sum(self_dealt_charged_micros) as sd_charged, sum(self_dealt_jobs) as sd_jobs
            from metrics_daily
           where day >= ${range.from}::date and day <= ${range.to}::date
           group by 1)
        select p.period::text as period, coalesce(s.days, 0) as days,
               coalesce(s.paid_gpu_ms, 0)::text as paid_gpu_ms, coalesce(s.charged, 0)::text as charged,
               coalesce(s.fee, 0)::text as fee, coalesce(s.supplier, 0)::text as supplier,
               coalesce(s.tokens, 0)::text as tokens, coalesce(s.usd, 0)::text as usd,
               coalesce(s.verified, 0)::text as verified, coalesce(s.epoch_seconds, 0)::text as epoch_seconds,
               coalesce(s.succeeded, 0)::text as succeeded, coalesce(s.recovered, 0)::text as recovered,
               coalesce(s.user_error, 0)::text as user_error, coalesce(s.host_lost, 0)::text as host_lost,
               coalesce(s.cancelled, 0)::text as cancelled, coalesce(s.out_of_budget, 0)::text as out_of_budget,
               coalesce(s.dep_ledger, 0)::text as dep_ledger, coalesce(s.dep_onchain, 0)::text as dep_onchain,
               coalesce(s.dep_simulated, 0)::text as dep_simulated,
               coalesce(s.pay_ledger, 0)::text as pay_ledger, coalesce(s.pay_onchain, 0)::text as pay_onchain,
               coalesce(s.pay_simulated, 0)::text as pay_simulated,
               coalesce(s.sd_gpu_ms, 0)::text as sd_gpu_ms, coalesce(s.sd_charged, 0)::text as sd_charged,
               coalesce(s.sd_jobs, 0)::text as sd_jobs
          from periods p left join sums s on s.period = p.period
         order by p.period`,
  );
}

/** One row per period of a flow metric, from the summed daily rollups. */
function flowRow(id: MetricId, s: DailySums): MetricRow {
  const n = (value: string) => Number(value);
  switch (id) {
    case 'paid-gpu-hours':
      return {
        period: s.period,
        paidGpuMs: s.paid_gpu_ms,
        paidGpuHours: round6(n(s.paid_gpu_ms) / 3_600_000),
      };
    case 'demand-vs-incentives':
      return {
        period: s.period,
        paidDemandMicros: s.charged,
        incentiveUsdMicros: s.usd,
        incentiveTokenMicros: s.tokens,
        subsidyRatio: ratio(BigInt(s.usd), BigInt(s.charged)),
        feeMicros: s.fee,
        incentivesToFees: ratio(BigInt(s.usd), BigInt(s.fee)),
        marginMicros: (BigInt(s.fee) - BigInt(s.usd)).toString(),
      };
    case 'take-rate':
      return {
        period: s.period,
        paidDemandMicros: s.charged,
        feeMicros: s.fee,
        supplierMicros: s.supplier,
        takeRate: ratio(BigInt(s.fee), BigInt(s.charged)),
      };
    case 'verified-utilization': {
      const paidSeconds = BigInt(s.paid_gpu_ms) / 1000n;
      return {
        period: s.period,
        paidGpuSeconds: paidSeconds.toString(),
        verifiedGpuSeconds: s.verified,
        utilization: ratio(BigInt(s.paid_gpu_ms), BigInt(s.verified) * 1000n),
      };
    }
    case 'verified-gpus-online':
      return {
        period: s.period,
        verifiedGpuSeconds: s.verified,
        coveredSeconds: s.epoch_seconds,
        averageVerifiedGpus: n(s.epoch_seconds) === 0 ? 0 : round6(n(s.verified) / n(s.epoch_seconds)),
      };
    case 'job-outcomes': {
      const counts = {
        succeeded: n(s.succeeded),
        hostFailureRecovered: n(s.recovered),
        userError: n(s.user_error),
        hostFailureLost: n(s.host_lost),
        cancelled: n(s.cancelled),
        outOfBudget: n(s.out_of_budget),
      };
      return { period: s.period, ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
    }
    case 'reconciliation': {
      // Simulated funding and simulated payouts are their own ledger kinds, outside `dep_ledger` and
      // `pay_ledger`: every ledger deposit and payout must be on-chain.
      const depositsUnreconciled = BigInt(s.dep_ledger) - BigInt(s.dep_onchain);
      return {
        period: s.period,
        depositsLedgerMicros: s.dep_ledger,
        depositsOnchainMicros: s.dep_onchain,
        depositsSimulatedMicros: s.dep_simulated,
        depositsUnreconciledMicros: depositsUnreconciled.toString(),
        payoutsLedgerMicros: s.pay_ledger,
        payoutsOnchainMicros: s.pay_onchain,
        payoutsSimulatedMicros: s.pay_simulated,
        payoutsUnreconciledMicros: (BigInt(s.pay_ledger) - BigInt(s.pay_onchain)).toString(),
      };
    }
    case 'self-dealing':
      return {
        period: s.period,
        selfDealtGpuMs: s.sd_gpu_ms,
        selfDealtGpuHours: round6(n(s.sd_gpu_ms) / 3_600_000),
        selfDealtChargedMicros: s.sd_charged,
        selfDealtJobs: n(s.sd_jobs),
      };
    default:
      throw new Error(`${id} is not a daily flow metric`);
  }
}

/**
 * Time to schedule: whole periods inside the range read the percentiles the refresh stored for them; only the
 * partial periods at the range's ends (at most two) are worked out from the days of the histogram they cover.
 */
async function scheduleRows(db: Db, range: ResolvedRange): Promise<MetricRow[]> {
  const g = range.granularity;
  const end = addDays(range.to, 1);
  const first = periodStart(range.from, g);
  // Whole periods are those in [firstWhole, wholeEnd); the days outside it belong to partial periods.
  const firstWhole = first === range.from ? first : nextPeriodStart(first, g);
  const wholeEnd = periodStart(end, g);
  const headEnd = firstWhole < end ? firstWhole : end;
  const tailFrom = wholeEnd > firstWhole ? wholeEnd : firstWhole;
  const partial = (from: string, to: string) =>
    from < to ? [periodHistogramSql(g, sql`${from}::date`, sql`${to}::date`)] : [];
  const edges = [...partial(range.from, headEnd), ...partial(tailFrom, end)];
  const edgeRows = edges.length
    ? sql`union all ${schedulePercentilesSql(sql.join(edges, sql` union all `))}`
    : sql``;
  const rows = await queryRows<{
    period: string;
    jobs: number | null;
    p50: number | null;
    p95: number | null;
  }>(
    db,
    sql`with periods as (${periodsSql(range)}),
        pct as (
          select period, jobs, p50_seconds as p50, p95_seconds as p95
            from metrics_schedule_periods
           where granularity = ${g} and period >= ${firstWhole}::date and period < ${wholeEnd}::date
          ${edgeRows})
        select p.period::text as period, coalesce(pct.jobs, 0) as jobs, pct.p50, pct.p95
          from periods p left join pct on pct.period = p.period
         order by p.period`,
  );
  return rows.map((r) => ({ period: r.period, jobs: Number(r.jobs), p50Seconds: r.p50, p95Seconds: r.p95 }));
}

interface MonthlyRow {
  period: string;
  paying: number;
  new_customers: number;
  charged: string;
  top10: string;
  base: string;
  retained: string;
  yoy_base: string;
  yoy_retained: string;
  nrr12_base: string;
  nrr12_retained: string;
}

/**
 * The monthly customer rows of the range, with the annual net revenue retention forms worked out from the
 * per-customer months (`metrics_customer_months`): same month a year later (M−12 against M) and 12-month NRR
 * (M−23…M−12 against M−11…M). Which of them the records can support is decided by `monthlyRow`.
 */
async function monthlyRows(db: Db, range: ResolvedRange): Promise<MonthlyRow[]> {
  const month = (p: SQL, months: number) => sql`(${p} + ${sql.raw(`interval '${months} months'`)})::date`;
  return queryRows<MonthlyRow>(
    db,
    sql`with periods as (${periodsSql({ ...range, granularity: 'month' })}),
        yoy as (
          select p.period, sum(b.charged_micros) as base, coalesce(sum(r.charged_micros), 0) as retained
            from periods p
            join metrics_customer_months b on b.month = ${month(sql`p.period`, -12)}
            left join metrics_customer_months r on r.account_id = b.account_id and r.month = p.period
           group by p.period
        ),
        base12 as (
          select p.period, b.account_id, sum(b.charged_micros) as base
            from periods p
            join metrics_customer_months b
              on b.month >= ${month(sql`p.period`, -23)} and b.month <= ${month(sql`p.period`, -12)}
           group by 1, 2
        ),
        nrr12 as (
          select c.period, sum(c.base) as base, coalesce(sum(r.retained), 0) as retained
            from base12 c
            left join lateral (
              select sum(x.charged_micros) as retained from metrics_customer_months x
               where x.account_id = c.account_id
                 and x.month >= ${month(sql`c.period`, -11)} and x.month <= c.period) r on true
           group by c.period
        )
        select p.period::text as period, coalesce(m.paying_customers, 0) as paying,
               coalesce(m.new_customers, 0) as new_customers, coalesce(m.charged_micros, 0)::text as charged,
               coalesce(m.top10_micros, 0)::text as top10, coalesce(m.nrr_base_micros, 0)::text as base,
               coalesce(m.nrr_retained_micros, 0)::text as retained,
               coalesce(y.base, 0)::text as yoy_base, coalesce(y.retained, 0)::text as yoy_retained,
               coalesce(n.base, 0)::text as nrr12_base, coalesce(n.retained, 0)::text as nrr12_retained
          from periods p
          left join metrics_monthly m on m.month = p.period
          left join yoy y on y.period = p.period
          left join nrr12 n on n.period = p.period
         order by p.period`,
  );
}

/** Whether every day from `from` to `to` (both included) is on record (see `DataExtent`). */
export function wholeOnRecord(extent: DataExtent, from: string, to: string): boolean {
  if (!extent.firstDay || !extent.lastDay) return false;
  if (from < extent.firstDay || to > extent.lastDay) return false;
  const gap = extent.notGenerated;
  return !gap || to < gap.from || from >= gap.to;
}

/** Whether any day from `from` to `to` (both included) is on record. */
export function anyOnRecord(extent: DataExtent, from: string, to: string): boolean {
  if (!extent.firstDay || !extent.lastDay) return false;
  const lo = from > extent.firstDay ? from : extent.firstDay;
  const hi = to < extent.lastDay ? to : extent.lastDay;
  if (lo > hi) return false;
  const gap = extent.notGenerated;
  return !gap || lo < gap.from || hi >= gap.to;
}

const lastDayOfMonth = (month: string) => addDays(addMonths(month, 1), -1);

/** The three forms of net revenue retention of a month, each null where the records cannot support it. */
function nrrFigures(m: MonthlyRow, extent: DataExtent) {
  const figure = (supported: boolean, base: string, retained: string) =>
    supported
      ? { base, retained, ratio: ratio(BigInt(retained), BigInt(base)) }
      : { base: null, retained: null, ratio: null };
  const previous = addMonths(m.period, -1);
  return {
    monthly: figure(anyOnRecord(extent, previous, lastDayOfMonth(previous)), m.base, m.retained),
    yearAgo: figure(
      wholeOnRecord(extent, addMonths(m.period, -12), lastDayOfMonth(addMonths(m.period, -12))),
      m.yoy_base,
      m.yoy_retained,
    ),
    twelve: figure(
      wholeOnRecord(extent, addMonths(m.period, -23), lastDayOfMonth(addMonths(m.period, -12))),
      m.nrr12_base,
      m.nrr12_retained,
    ),
  };
}

function monthlyRow(id: MetricId, m: MonthlyRow, extent: DataExtent): MetricRow {
  switch (id) {
    case 'paying-customers':
      return {
        period: m.period,
        payingCustomers: m.paying,
        newCustomers: m.new_customers,
        returningCustomers: m.paying - m.new_customers,
      };
    case 'net-revenue-retention': {
      const nrr = nrrFigures(m, extent);
      return {
        period: m.period,
        nrr12BaseMicros: nrr.twelve.base,
        nrr12RetainedMicros: nrr.twelve.retained,
        netRevenueRetention12m: nrr.twelve.ratio,
        yearAgoBaseMicros: nrr.yearAgo.base,
        yearAgoRetainedMicros: nrr.yearAgo.retained,
        netRevenueRetentionYearAgo: nrr.yearAgo.ratio,
        baseMicros: nrr.monthly.base,
        retainedMicros: nrr.monthly.retained,
        netRevenueRetention: nrr.monthly.ratio,
      };
    }
    case 'top-customer-share':
      return {
        period: m.period,
        paidDemandMicros: m.charged,
        top10Micros: m.top10,
        top10Share: ratio(BigInt(m.top10), BigInt(m.charged)),
      };
    default:
      throw new Error(`${id} is not a monthly metric`);
  }
}

async function cohortRows(db: Db, range: ResolvedRange): Promise<MetricRow[]> {
  const rows = await queryRows<{
    cohort: string;
    months_since: number;
    period: string;
    cohort_size: number;
    customers: number;
    charged: string;
  }>(
    db,
    sql`select c.cohort::text as cohort,
               ((extract(year from c.month) - extract(year from c.cohort)) * 12
                 + extract(month from c.month) - extract(month from c.cohort))::int as months_since,
               c.month::text as period, s.customers as cohort_size, c.customers,
               c.charged_micros::text as charged
          from metrics_cohorts c
          join metrics_cohorts s on s.cohort = c.cohort and s.month = c.cohort
         where c.cohort >= date_trunc('month', ${range.from}::date)::date
           and c.cohort <= ${range.to}::date and c.month <= ${range.to}::date
         order by c.cohort, c.month`,
  );
  return rows.map((r) => ({
    cohort: r.cohort,
    monthsSince: r.months_since,
    period: r.period,
    cohortSize: r.cohort_size,
    customers: r.customers,
    retention: ratio(r.customers, r.cohort_size),
    chargedMicros: r.charged,
  }));
}

export type RecencyBucket = NonNullable<MetricSeries['snapshot']>[number];

/**
 * Verified GPUs online now, by the age of their node's latest passed check: read live (it is "right now"), each
 * node's latest pass one probe of the partial index of passed checks (`node_verifications_node_pass_idx`).
 */
export async function verifiedRecencySnapshot(db: Db, clock: Clock): Promise<RecencyBucket[]> {
  const now = clock.now().toISOString();
  const rows = await queryRows<{ recency: RecencyBucket['recency']; nodes: number; gpus: number }>(
    db,
    sql`select case when v.last_pass >= ${now}::timestamptz - interval '24 hours' then '24h'
                    when v.last_pass >= ${now}::timestamptz - interval '7 days' then '7d'
                    when v.last_pass >= ${now}::timestamptz - interval '30 days' then '30d'
                    else 'older' end as recency,
               count(*)::int as nodes, sum(n.gpu_count)::int as gpus
          from nodes n
          left join lateral (
            select max(created_at) as last_pass from node_verifications
             where node_id = n.id and result = 'pass') v on true
         where n.status in ('online', 'busy') and n.verification_state = 'verified' and n.quarantined_at is null
         group by 1`,
  );
  const order: RecencyBucket['recency'][] = ['24h', '7d', '30d', 'older'];
  return order.map((recency) => {
    const row = rows.find((r) => r.recency === recency);
    return { recency, nodes: row?.nodes ?? 0, gpus: row?.gpus ?? 0 };
  });
}

/**
 * Which days are on record: from the first UTC day the rollups hold (they are rebuilt from the earliest raw
 * record) to the day of the latest refresh, less the days of the demo history not generated yet.
 */
export async function getDataExtent(db: Db): Promise<DataExtent> {
  const [row] = await queryRows<{
    first_day: string | null;
    last_day: string | null;
    refreshed: Date | string | null;
  }>(
    db,
    sql`select (select min(day)::text from metrics_daily) as first_day,
               (select max(day)::text from metrics_daily) as last_day,
               (select refreshed_through from metrics_rollup_state where id = 'rollups') as refreshed`,
  );
  const firstDay = row?.first_day ?? null;
  // The latest day the rollups hold: the worker's refresh reaches now, the history's refreshes the days written.
  const stated = row?.refreshed ? new Date(row.refreshed).toISOString().slice(0, 10) : null;
  const refreshed =
    stated && row?.last_day && row.last_day > stated ? row.last_day : (stated ?? row?.last_day ?? null);
  // A refresh at an instant reflects the days before it and part of its own day.
  const lastDay = firstDay && refreshed ? (refreshed < firstDay ? firstDay : refreshed) : null;
  const history = await getHistoryStatus(db);
  let notGenerated: DataExtent['notGenerated'] = null;
  if (history && history.state !== 'complete') {
    const from = history.generatedThrough.slice(0, 10);
    const to = history.toAt.slice(0, 10);
    if (from < to) notGenerated = { from, to };
  }
  return { firstDay, lastDay, notGenerated };
}

/** Keys that name a row rather than publish a figure of it. */
const ROW_KEYS = new Set(['period', 'cohort', 'monthsSince', 'simulated']);

/**
 * A row of a period with no day on record publishes null in every figure: missing, not zero. Every row gets
 * its `simulated` flag.
 */
function publishRow(
  row: MetricRow,
  granularity: Granularity,
  extent: DataExtent,
  simulated: boolean,
): MetricRow {
  const start = String(row.period);
  const end = addDays(nextPeriodStart(periodStart(start, granularity), granularity), -1);
  const out: MetricRow = { ...row };
  if (!anyOnRecord(extent, start, end))
    for (const key of Object.keys(out)) if (!ROW_KEYS.has(key)) out[key] = null;
  out.simulated = simulated;
  return out;
}

async function refreshedAt(db: Db): Promise<string | null> {
  const [row] = await queryRows<{ at: Date | string }>(
    db,
    sql`select refreshed_through as at from metrics_rollup_state where id = 'rollups'`,
  );
  return row ? new Date(row.at).toISOString() : null;
}

function info(definition: MetricDefinition) {
  return {
    id: definition.id,
    title: definition.title,
    summary: definition.summary,
    methodology: definition.methodology,
    granularities: [...definition.granularities],
  };
}

/** One metric over a range, as the API and the page publish it. */
export async function getMetricSeries(
  db: Db,
  clock: Clock,
  id: MetricId,
  query: MetricQuery,
  options: { simulated: boolean },
): Promise<MetricSeries> {
  const definition = metricDefinition(id);
  const extent = await getDataExtent(db);
  const range = resolveMetricRange(definition, query, clock, extent.firstDay);
  let rows: MetricRow[];
  let snapshot: RecencyBucket[] | undefined;
  switch (id) {
    case 'paying-customers':
    case 'net-revenue-retention':
    case 'top-customer-share':
      rows = (await monthlyRows(db, range)).map((m) => monthlyRow(id, m, extent));
      break;
    case 'cohort-retention':
      rows = await cohortRows(db, range);
      break;
    case 'time-to-schedule':
      rows = await scheduleRows(db, range);
      break;
    default:
      rows = (await dailySums(db, range)).map((s) => flowRow(id, s));
      if (id === 'verified-gpus-online') snapshot = await verifiedRecencySnapshot(db, clock);
  }
  return {
    metric: info(definition),
    from: range.from,
    to: range.to,
    granularity: range.granularity,
    simulated: options.simulated,
    refreshedAt: await refreshedAt(db),
    cut: range.cut ?? null,
    columns: definition.columns.map((c) => ({ ...c })),
    rows: rows.map((row) =>
      publishRow(row, id === 'cohort-retention' ? 'month' : range.granularity, extent, options.simulated),
    ),
    ...(snapshot ? { snapshot } : {}),
  };
}

/** The series as CSV: a header of the column keys, then one line per row. */
export function metricCsv(series: MetricSeries): string {
  const keys = series.columns.map((c) => c.key);
  const lines = [csvLine(keys)];
  for (const row of series.rows)
    lines.push(csvLine(keys.map((k) => (row[k] === null ? '' : String(row[k])))));
  return lines.join('');
}

/** The headline figures: the trailing 30 days, the latest complete month and the network right now. */
export async function getMetricsSummary(
  db: Db,
  clock: Clock,
  options: { simulated: boolean; tokenUsdPriceMicros?: bigint },
): Promise<MetricsSummary> {
  const extent = await getDataExtent(db);
  const to = today(clock);
  const windowFrom = new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  const month = addMonths(to, -1);
  const sums = new Map<string, bigint>();
  for (const day of await dailySums(db, { from: windowFrom, to, granularity: 'day' }))
    for (const [key, value] of Object.entries(day))
      if (key !== 'period' && key !== 'days') sums.set(key, (sums.get(key) ?? 0n) + BigInt(value));
  const s = (key: keyof DailySums) => sums.get(key) ?? 0n;
  const p50 = await windowP50(db, windowFrom, to);
  const [monthly] = await monthlyRows(db, { from: month, to: month, granularity: 'month' });
  const nrr =
    monthly && anyOnRecord(extent, month, lastDayOfMonth(month)) ? nrrFigures(monthly, extent) : null;
  const snapshot = await verifiedRecencySnapshot(db, clock);
  const ended =
    s('succeeded') + s('recovered') + s('user_error') + s('host_lost') + s('cancelled') + s('out_of_budget');
  const headline: MetricsHeadline = {
    windowFrom,
    windowTo: to,
    paidGpuHours: round6(Number(s('paid_gpu_ms')) / 3_600_000),
    paidDemandMicros: s('charged').toString(),
    incentiveUsdMicros: s('usd').toString(),
    subsidyRatio: ratio(s('usd'), s('charged')),
    feeMicros: s('fee').toString(),
    incentivesToFees: ratio(s('usd'), s('fee')),
    marginMicros: (s('fee') - s('usd')).toString(),
    takeRate: ratio(s('fee'), s('charged')),
    jobsEnded: Number(ended),
    jobSuccessRate: ratio(s('succeeded') + s('recovered'), ended),
    timeToScheduleP50Seconds: p50,
    selfDealtGpuHours: round6(Number(s('sd_gpu_ms')) / 3_600_000),
    selfDealtChargedMicros: s('sd_charged').toString(),
    selfDealtJobs: Number(s('sd_jobs')),
    month,
    recordsFrom: extent.firstDay,
    payingCustomers: monthly?.paying ?? 0,
    netRevenueRetention12m: nrr?.twelve.ratio ?? null,
    nrr12BaseMicros: nrr?.twelve.base ?? null,
    nrr12RetainedMicros: nrr?.twelve.retained ?? null,
    netRevenueRetentionYearAgo: nrr?.yearAgo.ratio ?? null,
    yearAgoBaseMicros: nrr?.yearAgo.base ?? null,
    yearAgoRetainedMicros: nrr?.yearAgo.retained ?? null,
    netRevenueRetention: nrr?.monthly.ratio ?? null,
    verifiedGpusOnline: snapshot.reduce((sum, b) => sum + b.gpus, 0),
  };
  return {
    simulated: options.simulated,
    refreshedAt: await refreshedAt(db),
    history: await getHistoryStatus(db),
    extent,
    tokenPrice: {
      usdPriceMicros: (options.tokenUsdPriceMicros ?? incentiveConfig().usdPriceMicros).toString(),
      source: 'configured',
    },
    rules: COMMON_METHODOLOGY,
    headline,
    metrics: METRICS.map(info),
  };
}

/** p50 time to schedule over an arbitrary window of days (one period), from the histogram rollup. */
async function windowP50(db: Db, from: string, to: string): Promise<number | null> {
  const histogram = sql`select 0 as period, wait_seconds, sum(jobs) as jobs from metrics_schedule_waits
                         where day >= ${from}::date and day <= ${to}::date group by 2`;
  const [row] = await queryRows<{ p50: number | null }>(db, schedulePercentilesSql(histogram));
  return row?.p50 ?? null;
}
