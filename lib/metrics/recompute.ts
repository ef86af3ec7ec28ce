import {
  metricDefinition,
  waitBucketSeconds,
  type Granularity,
  type MetricId,
} from '@/lib/metrics/definitions';
import type { ExportFile } from '@/lib/metrics/export-format';
import { addDays, nextPeriodStart, periodStart } from '@/lib/metrics/percentiles';
import type { MetricRow } from '@/lib/metrics/schemas';

/**
 * Every published metric recomputed from the public daily exports alone, in plain TypeScript: no database, no
 * rollup, no server SQL — only the shared definitions (periods, wait buckets, the percentile rule as the
 * methodology states it). Used by `npm run metrics:verify` (lib/metrics/verify.ts). Each metric is one function of
 * the per-day sums or the per-customer months below, so a new column is one more field in one place.
 *
 * Rows are produced exactly as the API publishes them for the same `from`, `to` and granularity: one row per
 * period starting at the period holding `from`, each summing only the days of the range (a period cut by the
 * range's ends covers only its days inside the range, as the API's does).
 *
 * The rules every metric shares (`COMMON_METHODOLOGY`) are applied here too: rows flagged `selfDealing` (the rule
 * of lib/metrics/self-dealing.ts, applied by the server when it wrote the day) are left out of every paid figure,
 * fee, customer metric, utilization's numerator and the job outcomes, and summed in `self-dealing`; a period with
 * no day on record — outside the exported days, which run from the first day with any record — publishes null
 * in every figure; every row carries `simulated`, the deployment's flag the manifest states.
 */

/** What the recomputation needs besides the rows: which days are on record, and the `simulated` flag. */
export interface RecomputeContext {
  /** First and last day on record (YYYY-MM-DD): by default the first and last exported day. */
  firstDay: string;
  lastDay: string;
  /** The published `simulated` column (the manifest's `simulated`). */
  simulated: boolean;
}

export function recomputeContext(files: readonly ExportFile[], simulated: boolean): RecomputeContext | null {
  const days = files.map((f) => f.day).sort();
  const firstDay = days[0];
  const lastDay = days.at(-1);
  return firstDay && lastDay ? { firstDay, lastDay, simulated } : null;
}

const ratio = (numerator: bigint, denominator: bigint): number | null =>
  denominator === 0n ? null : Math.round((Number(numerator) / Number(denominator)) * 1e6) / 1e6;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

// ————— per-day sums —————

interface DaySums {
  paidGpuMs: bigint;
  charged: bigint;
  fee: bigint;
  supplier: bigint;
  selfDealtGpuMs: bigint;
  selfDealtCharged: bigint;
  selfDealtJobs: number;
  tokens: bigint;
  usd: bigint;
  verified: bigint;
  epochSeconds: bigint;
  succeeded: number;
  recovered: number;
  userError: number;
  hostLost: number;
  cancelled: number;
  outOfBudget: number;
  depositsLedger: bigint;
  depositsOnchain: bigint;
  depositsSimulated: bigint;
  payoutsLedger: bigint;
  payoutsOnchain: bigint;
  payoutsSimulated: bigint;
  /** Time-to-schedule wait buckets of the jobs first placed this day. */
  waits: number[];
}

const emptyDay = (): DaySums => ({
  paidGpuMs: 0n,
  charged: 0n,
  fee: 0n,
  supplier: 0n,
  selfDealtGpuMs: 0n,
  selfDealtCharged: 0n,
  selfDealtJobs: 0,
  tokens: 0n,
  usd: 0n,
  verified: 0n,
  epochSeconds: 0n,
  succeeded: 0,
  recovered: 0,
  userError: 0,
  hostLost: 0,
  cancelled: 0,
  outOfBudget: 0,
  depositsLedger: 0n,
  depositsOnchain: 0n,
  depositsSimulated: 0n,
  payoutsLedger: 0n,
  payoutsOnchain: 0n,
  payoutsSimulated: 0n,
  waits: [],
});

/**
 * Paid GPU-ms of each capture derived from the exported cumulative metered ms (the delta from the attempt's
 * previous capture, in any earlier file) rather than read from the row's `paidGpuMs`, so a wrong figure there is
 * caught; a refund takes the attempt's metered time × GPUs back out.
 */
function paidGpuMsOf(files: readonly ExportFile[]): Map<string, bigint> {
  const byAttempt = new Map<string, { key: string; metered: number; gpus: number }[]>();
  const result = new Map<string, bigint>();
  for (const file of files)
    file.charges.forEach((c, i) => {
      const key = `${file.day}#${i}`;
      if (c.kind === 'refund') {
        result.set(key, -BigInt(c.meteredMs) * BigInt(c.gpuCount));
        return;
      }
      const list = byAttempt.get(c.attempt) ?? [];
      list.push({ key, metered: c.meteredMs, gpus: c.gpuCount });
      byAttempt.set(c.attempt, list);
    });
  for (const list of byAttempt.values()) {
    list.sort((a, b) => a.metered - b.metered);
    let previous = 0;
    for (const c of list) {
      result.set(c.key, BigInt(c.metered - previous) * BigInt(c.gpus));
      previous = c.metered;
    }
  }
  return result;
}

export function daySums(files: readonly ExportFile[]): Map<string, DaySums> {
  const paid = paidGpuMsOf(files);
  const days = new Map<string, DaySums>();
  for (const file of files) {
    const d = emptyDay();
    file.charges.forEach((c, i) => {
      const gpuMs = paid.get(`${file.day}#${i}`) ?? 0n;
      if (c.selfDealing) {
        // Left out of every paid figure and fee, counted apart.
        d.selfDealtGpuMs += gpuMs;
        d.selfDealtCharged += BigInt(c.chargedMicros);
        return;
      }
      d.paidGpuMs += gpuMs;
      d.charged += BigInt(c.chargedMicros);
      d.fee += BigInt(c.feeMicros);
      d.supplier += BigInt(c.supplierMicros);
    });
    for (const e of file.epochs) {
      d.verified += BigInt(e.verifiedGpuSeconds);
      d.epochSeconds += BigInt(Math.floor((Date.parse(e.end) - Date.parse(e.start)) / 1000));
      for (const r of e.rewards) {
        d.tokens += BigInt(r.tokenMicros);
        d.usd += BigInt(r.usdMicros);
      }
    }
    for (const j of file.jobs) {
      if (j.selfDealing) d.selfDealtJobs += 1;
      else if (j.state === 'succeeded') d[j.hostLost ? 'recovered' : 'succeeded'] += 1;
      else if (j.state === 'failed') d[j.workloadFailed ? 'userError' : 'hostLost'] += 1;
      else if (j.state === 'cancelled') d.cancelled += 1;
      else if (j.state === 'out_of_budget') d.outOfBudget += 1;
    }
    for (const x of file.deposits) {
      // Simulated funding is its own kind, never a deposit; a deposit is on-chain when a credited transfer with
      // its tx hash backs it.
      if (x.kind === 'simulated_funding') {
        d.depositsSimulated += BigInt(x.amountMicros);
        continue;
      }
      d.depositsLedger += BigInt(x.amountMicros);
      if (x.txHash !== null) d.depositsOnchain += BigInt(x.onchainMicros ?? '0');
    }
    // A simulated payout is its own kind, never a payout (a version 2 file's rows have no kind: payouts).
    for (const x of file.ledgerPayouts)
      if (x.kind === 'simulated_payout') d.payoutsSimulated += BigInt(x.amountMicros);
      else d.payoutsLedger += BigInt(x.amountMicros);
    for (const x of file.chainPayouts) d.payoutsOnchain += BigInt(x.amountMicros);
    for (const p of file.placements) d.waits.push(waitBucketSeconds(p.waitSeconds));
    days.set(file.day, d);
  }
  return days;
}

// ————— periods —————

/** Period starts of the range, as the API lists them: from the period holding `from` through `to`. */
export function periodsOf(from: string, to: string, granularity: Granularity): string[] {
  const out: string[] = [];
  for (let p = periodStart(from, granularity); p <= to; p = nextPeriodStart(p, granularity)) out.push(p);
  return out;
}

/** The days of `[from, to]` in the period starting at `period`. */
function daysIn(period: string, granularity: Granularity, from: string, to: string): string[] {
  const out: string[] = [];
  const end = nextPeriodStart(period, granularity);
  for (let d = period < from ? from : period; d < end && d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function sumDays(days: Map<string, DaySums>, list: string[]): DaySums {
  const total = emptyDay();
  for (const day of list) {
    const d = days.get(day);
    if (!d) continue;
    for (const key of Object.keys(total) as (keyof DaySums)[]) {
      if (key === 'waits') total.waits.push(...d.waits);
      else (total[key] as bigint | number) = ((total[key] as bigint) + (d[key] as bigint)) as never;
    }
  }
  return total;
}

/** percentile_disc: the first value (ascending) whose cumulative count reaches ceil(p × n), at least 1. */
export function percentileDisc(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(Math.ceil(p * sorted.length), 1);
  return sorted[rank - 1] ?? null;
}

// ————— the flow metrics, one function each —————

const FLOW: Partial<Record<MetricId, (period: string, s: DaySums) => MetricRow>> = {
  'paid-gpu-hours': (period, s) => ({
    period,
    paidGpuMs: s.paidGpuMs.toString(),
    paidGpuHours: round6(Number(s.paidGpuMs) / 3_600_000),
  }),
  'demand-vs-incentives': (period, s) => ({
    period,
    paidDemandMicros: s.charged.toString(),
    incentiveUsdMicros: s.usd.toString(),
    incentiveTokenMicros: s.tokens.toString(),
    subsidyRatio: ratio(s.usd, s.charged),
    feeMicros: s.fee.toString(),
    incentivesToFees: ratio(s.usd, s.fee),
    marginMicros: (s.fee - s.usd).toString(),
  }),
  'take-rate': (period, s) => ({
    period,
    paidDemandMicros: s.charged.toString(),
    feeMicros: s.fee.toString(),
    supplierMicros: s.supplier.toString(),
    takeRate: ratio(s.fee, s.charged),
  }),
  'verified-utilization': (period, s) => ({
    period,
    paidGpuSeconds: (s.paidGpuMs / 1000n).toString(),
    verifiedGpuSeconds: s.verified.toString(),
    utilization: ratio(s.paidGpuMs, s.verified * 1000n),
  }),
  'verified-gpus-online': (period, s) => ({
    period,
    verifiedGpuSeconds: s.verified.toString(),
    coveredSeconds: s.epochSeconds.toString(),
    averageVerifiedGpus: s.epochSeconds === 0n ? 0 : round6(Number(s.verified) / Number(s.epochSeconds)),
  }),
  'job-outcomes': (period, s) => {
    const counts = {
      succeeded: s.succeeded,
      hostFailureRecovered: s.recovered,
      userError: s.userError,
      hostFailureLost: s.hostLost,
      cancelled: s.cancelled,
      outOfBudget: s.outOfBudget,
    };
    return { period, ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  },
  'time-to-schedule': (period, s) => ({
    period,
    jobs: s.waits.length,
    p50Seconds: percentileDisc(s.waits, 0.5),
    p95Seconds: percentileDisc(s.waits, 0.95),
  }),
  reconciliation: (period, s) => ({
    period,
    depositsLedgerMicros: s.depositsLedger.toString(),
    depositsOnchainMicros: s.depositsOnchain.toString(),
    depositsSimulatedMicros: s.depositsSimulated.toString(),
    depositsUnreconciledMicros: (s.depositsLedger - s.depositsOnchain).toString(),
    payoutsLedgerMicros: s.payoutsLedger.toString(),
    payoutsOnchainMicros: s.payoutsOnchain.toString(),
    payoutsSimulatedMicros: s.payoutsSimulated.toString(),
    payoutsUnreconciledMicros: (s.payoutsLedger - s.payoutsOnchain).toString(),
  }),
  'self-dealing': (period, s) => ({
    period,
    selfDealtGpuMs: s.selfDealtGpuMs.toString(),
    selfDealtGpuHours: round6(Number(s.selfDealtGpuMs) / 3_600_000),
    selfDealtChargedMicros: s.selfDealtCharged.toString(),
    selfDealtJobs: s.selfDealtJobs,
  }),
};

// ————— the customer metrics —————

/**
 * Per month, what each customer was charged (net of refunds, self-dealt charges left out), customers with a
 * positive total only.
 */
export function customerMonths(files: readonly ExportFile[]): Map<string, Map<string, bigint>> {
  const months = new Map<string, Map<string, bigint>>();
  for (const file of files) {
    const month = periodStart(file.day, 'month');
    const m = months.get(month) ?? new Map<string, bigint>();
    for (const c of file.charges)
      if (!c.selfDealing) m.set(c.customer, (m.get(c.customer) ?? 0n) + BigInt(c.chargedMicros));
    months.set(month, m);
  }
  for (const m of months.values()) for (const [k, v] of m) if (v <= 0n) m.delete(k);
  return months;
}

function firstMonths(months: Map<string, Map<string, bigint>>): Map<string, string> {
  const first = new Map<string, string>();
  for (const month of [...months.keys()].sort())
    for (const customer of (months.get(month) as Map<string, bigint>).keys())
      if (!first.has(customer)) first.set(customer, month);
  return first;
}

const total = (values: Iterable<bigint>) => [...values].reduce((a, b) => a + b, 0n);

function addMonths(month: string, months: number): string {
  const d = new Date(`${month}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

const lastDayOfMonth = (month: string) => addDays(addMonths(month, 1), -1);

/** Whether any day from `from` to `to` (both included) is on record. */
function anyOnRecord(ctx: RecomputeContext | null, from: string, to: string): boolean {
  return ctx !== null && from <= ctx.lastDay && to >= ctx.firstDay;
}

/** Whether every day from `from` to `to` (both included) is on record. */
function wholeOnRecord(ctx: RecomputeContext | null, from: string, to: string): boolean {
  return ctx !== null && from >= ctx.firstDay && to <= ctx.lastDay;
}

/**
 * One form of net revenue retention: the customers who paid in `baseMonths`, what they were charged then
 * (base) and in `retainedMonths` (retained); all null when the records cannot support the form.
 */
function nrrForm(
  months: Map<string, Map<string, bigint>>,
  supported: boolean,
  baseMonths: readonly string[],
  retainedMonths: readonly string[],
) {
  if (!supported) return { base: null, retained: null, ratio: null };
  const charged = (m: string) => months.get(m) ?? new Map<string, bigint>();
  const basePer = new Map<string, bigint>();
  for (const m of baseMonths) for (const [k, v] of charged(m)) basePer.set(k, (basePer.get(k) ?? 0n) + v);
  const base = total(basePer.values());
  const retained = total(
    [...basePer.keys()].flatMap((k) => retainedMonths.map((m) => charged(m).get(k) ?? 0n)),
  );
  return { base: base.toString(), retained: retained.toString(), ratio: ratio(retained, base) };
}

/** The months from `month + from` to `month + to` (offsets in months, both included). */
const monthSpan = (month: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => addMonths(month, from + i));

const MONTHLY: Partial<
  Record<
    MetricId,
    (
      month: string,
      months: Map<string, Map<string, bigint>>,
      first: Map<string, string>,
      ctx: RecomputeContext | null,
    ) => MetricRow
  >
> = {
  'paying-customers': (month, months, first) => {
    const charged = months.get(month) ?? new Map<string, bigint>();
    const fresh = [...charged.keys()].filter((k) => first.get(k) === month).length;
    return {
      period: month,
      payingCustomers: charged.size,
      newCustomers: fresh,
      returningCustomers: charged.size - fresh,
    };
  },
  'net-revenue-retention': (month, months, _first, ctx) => {
    const previous = addMonths(month, -1);
    const yearAgo = addMonths(month, -12);
    // 12-month: M−23…M−12 against M−11…M, needs all of M−23…M−12 on record; same month a year later: M−12
    // against M, needs all of M−12; month over month: M−1 against M, needs any day of M−1.
    const twelve = nrrForm(
      months,
      wholeOnRecord(ctx, addMonths(month, -23), lastDayOfMonth(yearAgo)),
      monthSpan(month, -23, -12),
      monthSpan(month, -11, 0),
    );
    const annual = nrrForm(months, wholeOnRecord(ctx, yearAgo, lastDayOfMonth(yearAgo)), [yearAgo], [month]);
    const monthly = nrrForm(
      months,
      anyOnRecord(ctx, previous, lastDayOfMonth(previous)),
      [previous],
      [month],
    );
    return {
      period: month,
      nrr12BaseMicros: twelve.base,
      nrr12RetainedMicros: twelve.retained,
      netRevenueRetention12m: twelve.ratio,
      yearAgoBaseMicros: annual.base,
      yearAgoRetainedMicros: annual.retained,
      netRevenueRetentionYearAgo: annual.ratio,
      baseMicros: monthly.base,
      retainedMicros: monthly.retained,
      netRevenueRetention: monthly.ratio,
    };
  },
  'top-customer-share': (month, months) => {
    const charged = [...(months.get(month) ?? new Map<string, bigint>()).values()];
    const top10 = total(charged.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, 10));
    const all = total(charged);
    return {
      period: month,
      paidDemandMicros: all.toString(),
      top10Micros: top10.toString(),
      top10Share: ratio(top10, all),
    };
  },
};

function cohortRows(files: readonly ExportFile[], from: string, to: string): MetricRow[] {
  const months = customerMonths(files);
  const first = firstMonths(months);
  const rows: MetricRow[] = [];
  const cohorts = [...new Set(first.values())].filter((c) => c >= periodStart(from, 'month') && c <= to);
  for (const cohort of cohorts.sort()) {
    const members = [...first].filter(([, c]) => c === cohort).map(([k]) => k);
    for (const month of [...months.keys()].sort()) {
      if (month < cohort || month > to) continue;
      const charged = months.get(month) as Map<string, bigint>;
      const active = members.filter((m) => charged.has(m));
      if (active.length === 0) continue;
      const d = new Date(`${month}T00:00:00Z`);
      const c = new Date(`${cohort}T00:00:00Z`);
      rows.push({
        cohort,
        monthsSince: (d.getUTCFullYear() - c.getUTCFullYear()) * 12 + d.getUTCMonth() - c.getUTCMonth(),
        period: month,
        cohortSize: members.length,
        customers: active.length,
        retention: ratio(BigInt(active.length), BigInt(members.length)),
        chargedMicros: total(active.map((m) => charged.get(m) as bigint)).toString(),
      });
    }
  }
  return rows;
}

/** Keys that name a row rather than publish a figure of it. */
const ROW_KEYS = new Set(['period', 'cohort', 'monthsSince', 'simulated']);

/**
 * As the API publishes a row: a period with no day on record publishes null in every figure (missing, not
 * zero), and every row carries `simulated`.
 */
function publishRow(row: MetricRow, granularity: Granularity, ctx: RecomputeContext | null): MetricRow {
  const start = String(row.period);
  const end = addDays(nextPeriodStart(periodStart(start, granularity), granularity), -1);
  const out: MetricRow = { ...row };
  if (!anyOnRecord(ctx, start, end))
    for (const key of Object.keys(out)) if (!ROW_KEYS.has(key)) out[key] = null;
  out.simulated = ctx?.simulated ?? false;
  return out;
}

/**
 * The rows of one metric for `[from, to]` by `granularity`, recomputed from the exports. Flow metrics sum the
 * days of the range; customer metrics (monthly) use every exported charge, as a customer's first month and the
 * earlier months' payers reach back before the range. `context` says which days are on record and the
 * `simulated` flag; by default the exported days, and not simulated.
 */
export function recomputeMetric(
  files: readonly ExportFile[],
  id: MetricId,
  range: { from: string; to: string; granularity: Granularity },
  context: RecomputeContext | null = recomputeContext(files, false),
): MetricRow[] {
  const definition = metricDefinition(id);
  if (!definition.granularities.includes(range.granularity))
    throw new Error(`${id} is not published by ${range.granularity}`);
  const publish = (rows: MetricRow[], granularity: Granularity) =>
    rows.map((row) => publishRow(row, granularity, context));
  if (id === 'cohort-retention') return publish(cohortRows(files, range.from, range.to), 'month');
  const monthly = MONTHLY[id];
  if (monthly) {
    const months = customerMonths(files);
    const first = firstMonths(months);
    return publish(
      periodsOf(range.from, range.to, 'month').map((m) => monthly(m, months, first, context)),
      'month',
    );
  }
  const flow = FLOW[id];
  if (!flow) throw new Error(`No recomputation for ${id}`);
  const days = daySums(files);
  return publish(
    periodsOf(range.from, range.to, range.granularity).map((period) =>
      flow(period, sumDays(days, daysIn(period, range.granularity, range.from, range.to))),
    ),
    range.granularity,
  );
}
