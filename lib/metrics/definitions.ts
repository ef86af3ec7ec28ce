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
 * `ratio` as JSON numbers between the published numerator and denominator, or null when the denominator is 0.
 */
export type ColumnType = 'date' | 'text' | 'count' | 'integer' | 'micros' | 'number' | 'ratio';

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
const FLOW: readonly Granularity[] = GRANULARITIES;
const MONTHLY: readonly Granularity[] = ['month'];

export const METRICS: readonly MetricDefinition[] = [
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
      'that attempt’s charged GPU-time back out, in the period of the refund.',
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
    summary: 'USDC charged to customers next to the incentives emitted to suppliers, and their ratio.',
    methodology:
      'Paid demand is the USDC charged to customers: the customer side of every capture transaction in the ' +
      'ledger, in the period of the capture, less refunds of suspect work to customers in the period of the ' +
      'refund. Incentives are the network tokens emitted to suppliers for verified ' +
      'availability, valued at the USD reference price recorded when each epoch was closed, in the period the ' +
      'epoch started. The subsidy ratio is incentives (USD) ÷ paid demand (USD, USDC at par): below 1, customers ' +
      'pay for more of the supply than the token does; null when nothing was charged.',
    granularities: FLOW,
    columns: [
      period,
      { key: 'paidDemandMicros', label: 'Paid demand (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'incentiveUsdMicros', label: 'Incentives (USD at emission)', type: 'micros', unit: 'usd' },
      { key: 'incentiveTokenMicros', label: 'Incentives (tokens)', type: 'micros', unit: 'token' },
      { key: 'subsidyRatio', label: 'Subsidy ratio', type: 'ratio' },
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
      'refund of suspect work returns the fee and takes the supplier share back out of the held earnings.',
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
      'never pays and is never counted.',
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
      'of the cohort in each month are published beside it.',
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
    summary: 'What last month’s paying customers spent this month, against what they spent last month.',
    methodology:
      'For each month: the base is the total charged in the previous month to the customers who paid then; ' +
      'retained is what those same customers were charged this month (expansion, contraction and churn ' +
      'included, new customers excluded). Net revenue retention = retained ÷ base; above 1 means existing ' +
      'customers grew their spending more than others left.',
    granularities: MONTHLY,
    columns: [
      period,
      {
        key: 'baseMicros',
        label: 'Previous month’s payers, previous month (USDC)',
        type: 'micros',
        unit: 'usdc',
      },
      { key: 'retainedMicros', label: 'Same customers, this month (USDC)', type: 'micros', unit: 'usdc' },
      { key: 'netRevenueRetention', label: 'Net revenue retention', type: 'ratio' },
    ],
  },
  {
    id: 'top-customer-share',
    title: 'Top-10 customer share',
    summary: 'How concentrated paid demand is: the ten largest customers’ share of the month’s charges.',
    methodology:
      'For each month, customers are ranked by what they were charged in that month; the share is the total ' +
      'of the ten largest ÷ the total charged to all customers that month. A network carried by a few ' +
      'accounts shows a share near 1.',
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
      'period. Only verified nodes receive work, so every paid second ran on verified supply. Epochs not yet ' +
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
      'the customer. Out of budget: stopped when the budget ran out.',
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
      'percentiles (PostgreSQL’s percentile_disc) of the rounded waits, so each is a wait some job really had.',
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
      'payouts against payouts confirmed on-chain with their transaction hash. Unreconciled = ledger − on-chain; ' +
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
      { key: 'payoutsUnreconciledMicros', label: 'Payouts unreconciled', type: 'micros', unit: 'usdc' },
    ],
  },
];

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
