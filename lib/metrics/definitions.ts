/**
 * The public network metrics: what each one is, how it is computed, and which columns it publishes. The
 * methodology paragraphs are served with every response and shown under every chart; `docs/metrics.md` carries
 * the same text. Every figure is computed from the ledger and the job records (through the rollups in
 * `lib/metrics/rollups.ts`), never typed in. Days, weeks (from Monday) and months are UTC.
 */

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/**
 * How a column's values are written: `integer` and `micros` as integer strings (micro-USDC, micro-USD or token
 * micro-units, exact), `count` as JSON integers, `number` as JSON numbers (derived, rounded to 6 decimals),
 * `ratio` as JSON numbers between the published numerator and denominator, or null when the denominator is 0,
 * `boolean` as JSON true/false. Any figure of a period with no records yet (before the network's first record,
 * after the latest refresh, or a day of the demo history not generated yet) is null, never 0.
 */
export type ColumnType = 'date' | 'text' | 'count' | 'integer' | 'micros' | 'number' | 'ratio' | 'boolean';

export interface MetricColumn {
  key: string;
  label: string;
  type: ColumnType;
  /** For money: which unit the micro-amount is in. */
  unit?: 'usdc' | 'usd' | 'token' | 'gpu-ms' | 'gpu-seconds' | 'gpu-hours' | 'seconds' | 'gpus';
}

export const METRIC_IDS = [
  'paid-gpu-hours',
  'demand-vs-incentives',
  'take-rate',
  'paying-customers',
  'cohort-retention',
  'net-revenue-retention',
  'top-customer-share',
  'verified-utilization',
  'verified-gpus-online',
  'job-outcomes',
  'time-to-schedule',
  'reconciliation',
  'self-dealing',
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

export interface MetricDefinition {
  id: MetricId;
  title: string;
  /** One sentence: what the chart shows. */
  summary: string;
  /** The methodology paragraph: exactly what is counted and from which records. */
  methodology: string;
  /** Customer metrics are monthly by definition; flow metrics can be cut by day, week or month. */
  granularities: readonly Granularity[];
  columns: readonly MetricColumn[];
}

const period: MetricColumn = { key: 'period', label: 'Period start', type: 'date' };
/** Every row of every metric says whether its records are the simulated demo network's. */
export const SIMULATED_COLUMN: MetricColumn = { key: 'simulated', label: 'Simulated', type: 'boolean' };

/** The rules every metric follows: self-dealing, what is simulated, and what a missing period is. */
export const COMMON_METHODOLOGY =
  'Self-dealing (a customer paying a supplier that is the same account, or linked to it by wallet) is left out ' +
  'of every paid figure and published apart (see self-dealing). Every row carries simulated: true when the ' +
  'network is the simulated demo network, whose every account, job and payment is simulated. A period with no ' +
  'records yet is published as null, never 0.';
const FLOW: readonly Granularity[] = GRANULARITIES;
const MONTHLY: readonly Granularity[] = ['month'];

const BASE_METRICS: readonly MetricDefinition[] = [
  {
    id: 'paid-gpu-hours',
    title: 'Paid GPU-hours',
    summary: 'GPU-hours of customer work that customers were charged for.',
    methodology:
      'Each time a job attempt settles its metered time, the ledger records a capture whose key names the ' +
      'attempt and its cumulative metered milliseconds. The time a capture settles is that figure minus the ' +
      'previous capture of the same attempt; times the job’s GPU count, it is paid GPU-time, counted in the ' +
      'period of the capture. Time lost with a vanished host is never captured, so it is not here; canary jobs ' +
      '(unpaid platform checks) never capture. Refunded work is not paid: when a node is caught failing ' +
      'verification, the refund of each of its suspect attempts (a refund transaction keyed by the attempt) takes ' +
      'that attempt’s charged GPU-time back out, in the period of the refund. Self-dealt attempts are left out.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'paidGpuMs', label: 'Paid GPU-milliseconds', type: 'integer', unit: 'gpu-ms' },
      { key: 'paidGpuHours', label: 'Paid GPU-hours', type: 'number', unit: 'gpu-hours' },
    ],
  },
  {
    id: 'demand-vs-incentives',
    title: 'Paid demand vs incentives',
    summary:
      'USDC charged to customers next to the incentives emitted to suppliers, their ratio, and the network’s margin: platform fees less incentives.',
    methodology:
      'Paid demand is the USDC charged to customers: the customer side of every capture transaction in the ' +
      'ledger, in the period of the capture, less refunds of suspect work to customers in the period of the ' +
      'refund. Incentives are the network tokens emitted to suppliers for verified ' +
      'availability, valued at the USD reference price recorded when each epoch was closed, in the period the ' +
      'epoch started. That price is configured (the INCENTIVE_USD_PRICE setting), not read from a market: the ' +
      'token has no market price here, and the summary publishes the price in force. The subsidy ratio is ' +
      'incentives (USD) ÷ paid demand (USD, USDC at par): below 1, customers pay for more of the supply than the ' +
      'token does; null when nothing was charged. The network’s margin compares incentives with what the ' +
      'network itself earns: platform fees (USDC, the fee side of captures net of refunds, as in the take rate); ' +
      'incentives ÷ fees above 1, and a negative margin = fees − incentives, mean the network spends more on ' +
      'incentives than it earns in fees. Self-dealt charges and their fees are left out.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'paidDemandMicros', label: 'Paid demand (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'incentiveUsdMicros', label: 'Incentives (USD at emission)', type: 'micros', unit: 'usd' },
      { key: 'incentiveTokenMicros', label: 'Incentives (tokens)', type: 'micros', unit: 'token' },
      { key: 'subsidyRatio', label: 'Subsidy ratio', type: 'ratio' },
      { key: 'feeMicros', label: 'Platform fees (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'incentivesToFees', label: 'Incentives ÷ fees', type: 'ratio' },
      { key: 'marginMicros', label: 'Margin: fees − incentives (USD)', type: 'micros', unit: 'usd' },
    ],
  },
  {
    id: 'take-rate',
    title: 'Take rate',
    summary: 'The platform fee as a share of what customers were charged.',
    methodology:
      'Every capture splits the amount charged to the customer between the supplier’s payable and the ' +
      'platform’s fees account, at the take rate locked into the attempt when it was placed. The take rate of ' +
      'a period is the fees credited ÷ the amount charged by the captures of the period, both net of refunds: a ' +
      'refund of suspect work returns the fee and takes the supplier share back out of the held earnings. ' +
      'Self-dealt charges are left out of both sides.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'paidDemandMicros', label: 'Charged (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'feeMicros', label: 'Platform fees (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'supplierMicros', label: 'Supplier share (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'takeRate', label: 'Take rate', type: 'ratio' },
    ],
  },
  {
    id: 'paying-customers',
    title: 'Unique paying customers',
    summary: 'Accounts charged for work in the month, new and returning.',
    methodology:
      'A paying customer of a month is an account with a positive total of captures less refunds in that month (launching ' +
      'a job, holding a budget or depositing does not count; being charged does). New customers are those whose ' +
      'first charged month it is; returning ones paid in an earlier month. The platform’s own canary account ' +
      'never pays and is never counted; self-dealt charges do not make a customer paying.',
    granularities: MONTHLY,
    columns: [
      period,
      { key: 'payingCustomers', label: 'Paying customers', type: 'count' },
      { key: 'newCustomers', label: 'New', type: 'count' },
      { key: 'returningCustomers', label: 'Returning', type: 'count' },
    ],
  },
  {
    id: 'cohort-retention',
    title: 'Monthly cohort retention',
    summary: 'Of the customers who first paid in a month, the share who paid again in each later month.',
    methodology:
      'A customer’s cohort is the month of their first charge. For each cohort and each month since, retention ' +
      'is the number of the cohort’s customers charged in that month ÷ the cohort’s size (month 0 is 100 % by ' +
      'definition). A customer who skips a month and comes back counts again when they come back. The charges ' +
      'of the cohort in each month are published beside it. Self-dealt charges are left out.',
    granularities: MONTHLY,
    columns: [
      { key: 'cohort', label: 'Cohort (first paid month)', type: 'date' },
      { key: 'monthsSince', label: 'Months since first payment', type: 'count' },
      period,
      { key: 'cohortSize', label: 'Cohort size', type: 'count' },
      { key: 'customers', label: 'Customers charged', type: 'count' },
      { key: 'retention', label: 'Retention', type: 'ratio' },
      { key: 'chargedMicros', label: 'Charged (USDC)', type: 'micros', unit: 'usdc' },
    ],
  },
  {
    id: 'net-revenue-retention',
    title: 'Net revenue retention',
    summary:
      '12-month net revenue retention (the investor definition), the same month a year later, and month over month.',
    methodology:
      'All three forms divide what a fixed set of customers was charged later (retained) by what they were ' +
      'charged earlier (base): expansion, contraction and churn included, customers new since excluded, ' +
      'self-dealt charges left out; above 1 means existing customers grew their spending more than others left. ' +
      '12-month NRR for month M (the standard investor definition): base = the total charged over the 12 months ' +
      'M−23 to M−12 to the customers who paid in those months; retained = what those same customers were charged ' +
      'over the 12 months M−11 to M. It needs 24 months of records: null until the network’s records begin on or ' +
      'before the first day of month M−23. Same month a year later for month M (the trailing annual form, ' +
      'computable from 13 months of records): base = what the customers who paid in month M−12 were charged in ' +
      'month M−12; retained = what those customers were charged in month M; null unless the records begin on or ' +
      'before the first day of month M−12, so a history that starts in the middle of a month does not compare ' +
      'part of a month with a whole one. Month over month for month M: base = the total charged in month M−1 to ' +
      'the customers who paid then; retained = their charges in month M; null when month M−1 has no records.',
    granularities: MONTHLY,
    columns: [
      period,
      {
        key: 'nrr12BaseMicros',
        label: 'Payers of M−23…M−12, charged then (USDC)',
        type: 'micros',
        unit: 'usdc',
      },
      {
        key: 'nrr12RetainedMicros',
        label: 'Same customers, charged M−11…M (USDC)',
        type: 'micros',
        unit: 'usdc',
      },
      { key: 'netRevenueRetention12m', label: '12-month NRR', type: 'ratio' },
      {
        key: 'yearAgoBaseMicros',
        label: 'Payers of M−12, charged in M−12 (USDC)',
        type: 'micros',
        unit: 'usdc',
      },
      {
        key: 'yearAgoRetainedMicros',
        label: 'Same customers, charged in M (USDC)',
        type: 'micros',
        unit: 'usdc',
      },
      { key: 'netRevenueRetentionYearAgo', label: 'NRR, same month a year later', type: 'ratio' },
      {
        key: 'baseMicros',
        label: 'Previous month’s payers, previous month (USDC)',
        type: 'micros',
        unit: 'usdc',
      },
      { key: 'retainedMicros', label: 'Same customers, this month (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'netRevenueRetention', label: 'NRR, month over month', type: 'ratio' },
    ],
  },
  {
    id: 'top-customer-share',
    title: 'Top-10 customer share',
    summary: 'How concentrated paid demand is: the ten largest customers’ share of the month’s charges.',
    methodology:
      'For each month, customers are ranked by what they were charged in that month; the share is the total ' +
      'of the ten largest ÷ the total charged to all customers that month. A network carried by a few ' +
      'accounts shows a share near 1. Self-dealt charges are left out.',
    granularities: MONTHLY,
    columns: [
      period,
      { key: 'paidDemandMicros', label: 'Charged to all (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'top10Micros', label: 'Charged to the top 10 (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'top10Share', label: 'Top-10 share', type: 'ratio' },
    ],
  },
  {
    id: 'verified-utilization',
    title: 'Utilization of verified supply',
    summary: 'Paid GPU-time as a share of the GPU-time verified supply was online.',
    methodology:
      'The denominator is the verified online GPU-time that incentives are shared over: for each closed ' +
      'incentive epoch, the GPU-seconds its nodes spent online or busy while verified and not quarantined, ' +
      'counted in the period the epoch started. The numerator is paid GPU-time (see paid GPU-hours) in the ' +
      'period, self-dealt time left out. Only verified nodes receive work, so every paid second ran on verified supply. Epochs not yet ' +
      'closed (the current hour) are not in either side of the latest period until they close.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'paidGpuSeconds', label: 'Paid GPU-seconds', type: 'integer', unit: 'gpu-seconds' },
      {
        key: 'verifiedGpuSeconds',
        label: 'Verified online GPU-seconds',
        type: 'integer',
        unit: 'gpu-seconds',
      },
      { key: 'utilization', label: 'Utilization', type: 'ratio' },
    ],
  },
  {
    id: 'verified-gpus-online',
    title: 'Verified GPUs online',
    summary:
      'How many verified GPUs were online on average, and right now by how recently they were checked.',
    methodology:
      'Per period: the verified online GPU-seconds of the closed incentive epochs that started in it ÷ the ' +
      'seconds of the period those epochs cover — the average number of verified GPUs online. Right now: GPUs of ' +
      'nodes that are online or busy, verified and not quarantined, grouped by the age of their node’s latest ' +
      'passed check (benchmark or canary): within 24 hours, 7 days, 30 days, or older.',
    granularities: FLOW,
    columns: [
      period,
      {
        key: 'verifiedGpuSeconds',
        label: 'Verified online GPU-seconds',
        type: 'integer',
        unit: 'gpu-seconds',
      },
      { key: 'coveredSeconds', label: 'Seconds covered by closed epochs', type: 'integer', unit: 'seconds' },
      { key: 'averageVerifiedGpus', label: 'Average verified GPUs online', type: 'number', unit: 'gpus' },
    ],
  },
  {
    id: 'job-outcomes',
    title: 'Job outcomes',
    summary: 'How customer jobs ended: succeeded, recovered from a host failure, or why not.',
    methodology:
      'Customer jobs (canaries excluded) in the period they ended. Succeeded: finished on the hosts they were ' +
      'placed on. Host failure recovered: succeeded after at least one host vanished and the job resumed ' +
      'elsewhere from its checkpoint. User error: failed because the workload itself failed (non-zero exit). ' +
      'Host failure lost: failed for any other reason — hosts kept vanishing past the retry limit. Cancelled by ' +
      'the customer. Out of budget: stopped when the budget ran out. A self-dealt job (any attempt placed for a ' +
      'supplier that is its customer or linked to it) is left out and counted under self-dealing.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'succeeded', label: 'Succeeded', type: 'count' },
      { key: 'hostFailureRecovered', label: 'Host failure recovered', type: 'count' },
      { key: 'userError', label: 'User error', type: 'count' },
      { key: 'hostFailureLost', label: 'Host failure lost', type: 'count' },
      { key: 'cancelled', label: 'Cancelled', type: 'count' },
      { key: 'outOfBudget', label: 'Out of budget', type: 'count' },
      { key: 'total', label: 'Total', type: 'count' },
    ],
  },
  {
    id: 'time-to-schedule',
    title: 'Time to schedule',
    summary: 'How long customer jobs waited in the queue before their first placement (p50 and p95).',
    methodology:
      'For each customer job, the wait from launch to its first attempt’s placement, in the period of that ' +
      'placement. Waits are rounded down to the second under a minute, to the minute under an hour, and to ' +
      'the hour beyond, so they can be counted in a compact histogram; p50 and p95 are the discrete ' +
      'percentiles (PostgreSQL’s percentile_disc) of the rounded waits, so each is a wait some job really had. ' +
      'The scheduler runs every second, so most jobs wait under a second: a 0 is such a wait, shown as “under 1 s”.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'jobs', label: 'Jobs placed', type: 'count' },
      { key: 'p50Seconds', label: 'p50 wait (s)', type: 'count', unit: 'seconds' },
      { key: 'p95Seconds', label: 'p95 wait (s)', type: 'count', unit: 'seconds' },
    ],
  },
  {
    id: 'reconciliation',
    title: 'Deposits and payouts reconciled to chain',
    summary: 'USDC credited and paid out in the ledger against the on-chain transfers behind them.',
    methodology:
      'Deposits: the ledger’s deposit credits of the period (transactions of kind deposit), against those ' +
      'backed by a credited on-chain deposit record with its transaction hash (a USDC transfer to the treasury, ' +
      'credited only after its confirmations; a transfer sent from an address the platform controls is never ' +
      'credited and never counted). The simulated demo customers’ ledger-only funding is a separate ledger kind ' +
      '(simulated funding), published on its own and never counted as a deposit. Payouts: the ledger’s settled ' +
      'payouts against payouts confirmed on-chain with their transaction hash. The simulated demo suppliers’ ' +
      'ledger-only withdrawals are a separate ledger kind too (simulated payouts), published on their own and ' +
      'never counted as payouts. Customers’ withdrawals of unused balance to their wallets are no payouts ' +
      'either and are in neither column (the chain reconciliation below matches them on their own). ' +
      'Unreconciled = ledger − on-chain; ' +
      'anything but 0 is a defect (a deposit credit without a transfer behind it shows here). The full ' +
      'comparison with the chain itself, transfer by transfer, is GET /api/v1/metrics/chain-reconciliation.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'depositsLedgerMicros', label: 'Deposits in the ledger (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'depositsOnchainMicros', label: 'Deposits on-chain (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'depositsSimulatedMicros', label: 'Simulated funding (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'depositsUnreconciledMicros', label: 'Deposits unreconciled', type: 'micros', unit: 'usdc' },
      { key: 'payoutsLedgerMicros', label: 'Payouts in the ledger (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'payoutsOnchainMicros', label: 'Payouts on-chain (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'payoutsSimulatedMicros', label: 'Simulated payouts (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'payoutsUnreconciledMicros', label: 'Payouts unreconciled', type: 'micros', unit: 'usdc' },
    ],
  },
  {
    id: 'self-dealing',
    title: 'Self-dealing, excluded',
    summary: 'Usage where the customer and the supplier are the same party, left out of every paid figure.',
    methodology:
      'A charge is self-dealt when the customer who paid and the supplier paid for the attempt (the node’s owner ' +
      'at placement) are the same account, or linked as far as the records tell: the customer has a credited ' +
      'on-chain deposit sent from the supplier’s wallet address, or the supplier has a payout (in any state but ' +
      'failed) to the customer’s wallet address; addresses are compared case-insensitively. Self-dealt ' +
      'GPU-time and charges (net of refunds) are counted here, in the period of the capture or refund, and left ' +
      'out of paid GPU-hours, paid demand, fees, take rate, paying customers, cohorts, net revenue retention, ' +
      'top-10 share and utilization. A customer job with any self-dealt attempt is counted here in the period it ' +
      'ended and left out of job outcomes. Links are read when the rollups are refreshed; a link found later ' +
      'reclassifies earlier usage at the next full rebuild.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'selfDealtGpuMs', label: 'Self-dealt GPU-milliseconds', type: 'integer', unit: 'gpu-ms' },
      { key: 'selfDealtGpuHours', label: 'Self-dealt GPU-hours', type: 'number', unit: 'gpu-hours' },
      { key: 'selfDealtChargedMicros', label: 'Self-dealt charges (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'selfDealtJobs', label: 'Self-dealt jobs ended', type: 'count' },
    ],
  },
];

/**
 * The metrics as published: each row ends with its `simulated` column. The rules common to all (self-dealing,
 * simulated, missing periods, `COMMON_METHODOLOGY`) are served once with the summary and shown on the page.
 */
export const METRICS: readonly MetricDefinition[] = BASE_METRICS.map((m) => ({
  ...m,
  columns: [...m.columns, SIMULATED_COLUMN],
}));

export function metricDefinition(id: MetricId): MetricDefinition {
  const found = METRICS.find((m) => m.id === id);
  if (!found) throw new Error(`Unknown metric ${id}`);
  return found;
}

export function isMetricId(value: string): value is MetricId {
  return (METRIC_IDS as readonly string[]).includes(value);
}

/**
 * The time-to-schedule histogram's bucket for a wait: whole seconds under a minute, whole minutes under an
 * hour, whole hours beyond (always rounded down).
 */
export function waitBucketSeconds(waitSeconds: number): number {
  const s = Math.max(0, Math.floor(waitSeconds));
  if (s < 60) return s;
  if (s < 3600) return s - (s % 60);
  return s - (s % 3600);
}
