import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@/lib/db/schema/columns';

/**
 * Rollups behind the public metrics (`lib/metrics`). Every row is recomputed from the raw tables (ledger, jobs,
 * attempts, incentive epochs, deposits, payouts) by `refreshMetricRollups`; nothing here is ever typed in, and
 * dropping them all and rebuilding gives the same figures. Days and months are UTC.
 */

/** One UTC day of the flow metrics. */
export const metricsDaily = pgTable('metrics_daily', {
  day: date('day', { mode: 'string' }).primaryKey(),
  /** GPU-milliseconds charged to customers (metered time × GPUs), by the time of the capture. */
  paidGpuMs: bigint('paid_gpu_ms', { mode: 'bigint' }).notNull(),
  /** USDC charged to customers (captures), and its split. */
  chargedMicros: bigint('charged_micros', { mode: 'bigint' }).notNull(),
  feeMicros: bigint('fee_micros', { mode: 'bigint' }).notNull(),
  supplierMicros: bigint('supplier_micros', { mode: 'bigint' }).notNull(),
  /** Incentives of the epochs that started this day: token micro-units and their USD value at emission. */
  incentiveTokenMicros: bigint('incentive_token_micros', { mode: 'bigint' }).notNull(),
  incentiveUsdMicros: bigint('incentive_usd_micros', { mode: 'bigint' }).notNull(),
  /** Verified online GPU-seconds of the epochs that started this day (what incentives were shared over). */
  verifiedGpuSeconds: bigint('verified_gpu_seconds', { mode: 'bigint' }).notNull(),
  /** Seconds of the day covered by closed incentive epochs (the denominator of average GPUs online). */
  epochSeconds: bigint('epoch_seconds', { mode: 'bigint' }).notNull(),
  /** Customer jobs that ended this day, by outcome. */
  jobsSucceeded: integer('jobs_succeeded').notNull(),
  jobsHostRecovered: integer('jobs_host_recovered').notNull(),
  jobsUserError: integer('jobs_user_error').notNull(),
  jobsHostLost: integer('jobs_host_lost').notNull(),
  jobsCancelled: integer('jobs_cancelled').notNull(),
  jobsOutOfBudget: integer('jobs_out_of_budget').notNull(),
  /** Deposits credited in the ledger; of them, backed by an indexed on-chain transfer; and ledger-only demo funding. */
  depositsLedgerMicros: bigint('deposits_ledger_micros', { mode: 'bigint' }).notNull(),
  depositsOnchainMicros: bigint('deposits_onchain_micros', { mode: 'bigint' }).notNull(),
  depositsSimulatedMicros: bigint('deposits_simulated_micros', { mode: 'bigint' }).notNull(),
  /** Payouts settled in the ledger, and confirmed on-chain payouts. */
  payoutsLedgerMicros: bigint('payouts_ledger_micros', { mode: 'bigint' }).notNull(),
  payoutsOnchainMicros: bigint('payouts_onchain_micros', { mode: 'bigint' }).notNull(),
  /** The simulated demo suppliers' ledger-only withdrawals (kind `simulated_payout`): never on-chain. */
  payoutsSimulatedMicros: bigint('payouts_simulated_micros', { mode: 'bigint' })
    .notNull()
    .default(sql`0`),
  /**
   * Self-dealing (lib/metrics/self-dealing.ts), left out of every figure above and counted here: GPU-milliseconds
   * and USDC charged (net of refunds) by self-dealt attempts, and self-dealt customer jobs that ended this day.
   */
  selfDealtGpuMs: bigint('self_dealt_gpu_ms', { mode: 'bigint' })
    .notNull()
    .default(sql`0`),
  selfDealtChargedMicros: bigint('self_dealt_charged_micros', { mode: 'bigint' })
    .notNull()
    .default(sql`0`),
  selfDealtJobs: integer('self_dealt_jobs').notNull().default(0),
});

/** Time to schedule of customer jobs first placed that day, counted per wait bucket (see `waitBucketSeconds`). */
export const metricsScheduleWaits = pgTable(
  'metrics_schedule_waits',
  {
    day: date('day', { mode: 'string' }).notNull(),
    waitSeconds: integer('wait_seconds').notNull(),
    jobs: integer('jobs').notNull(),
  },
  (t) => [primaryKey({ name: 'metrics_schedule_waits_pkey', columns: [t.day, t.waitSeconds] })],
);

/**
 * The time-to-schedule percentiles of whole periods (`granularity` day, week or month; `period` its first day),
 * worked out from `metrics_schedule_waits` when the period's days are refreshed, so a request reads one row per
 * period instead of summing the histogram. Periods without placements have no row.
 */
export const metricsSchedulePeriods = pgTable(
  'metrics_schedule_periods',
  {
    granularity: text('granularity').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    jobs: integer('jobs').notNull(),
    p50Seconds: integer('p50_seconds').notNull(),
    p95Seconds: integer('p95_seconds').notNull(),
  },
  (t) => [primaryKey({ name: 'metrics_schedule_periods_pkey', columns: [t.granularity, t.period] })],
);

/**
 * What each customer was charged in a UTC day (the net of its captures, zero or not): refreshed with the day, so
 * the month's per-customer rows below are summed from at most a month of these instead of the ledger.
 */
export const metricsCustomerDays = pgTable(
  'metrics_customer_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    accountId: uuid('account_id').notNull(),
    chargedMicros: bigint('charged_micros', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'metrics_customer_days_pkey', columns: [t.day, t.accountId] }),
    // A customer's days of a month, for re-summing the month of each customer a refresh touched.
    index('metrics_customer_days_account_idx').on(t.accountId, t.day),
  ],
);

/** What each paying customer was charged in a UTC month (customers with a positive charge only). */
export const metricsCustomerMonths = pgTable(
  'metrics_customer_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    accountId: uuid('account_id').notNull(),
    chargedMicros: bigint('charged_micros', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'metrics_customer_months_pkey', columns: [t.month, t.accountId] }),
    index('metrics_customer_months_account_idx').on(t.accountId, t.month),
  ],
);

/** The customer metrics of one month, derived from `metrics_customer_months`. */
export const metricsMonthly = pgTable('metrics_monthly', {
  month: date('month', { mode: 'string' }).primaryKey(),
  payingCustomers: integer('paying_customers').notNull(),
  /** Paying for the first time this month. */
  newCustomers: integer('new_customers').notNull(),
  chargedMicros: bigint('charged_micros', { mode: 'bigint' }).notNull(),
  /** Charged to the month's ten largest customers. */
  top10Micros: bigint('top10_micros', { mode: 'bigint' }).notNull(),
  /** Net revenue retention: last month's payers' charges last month, and the same customers' charges this month. */
  nrrBaseMicros: bigint('nrr_base_micros', { mode: 'bigint' }).notNull(),
  nrrRetainedMicros: bigint('nrr_retained_micros', { mode: 'bigint' }).notNull(),
});

/** Cohort retention: customers first paying in `cohort` who paid again in `month`, and what they were charged. */
export const metricsCohorts = pgTable(
  'metrics_cohorts',
  {
    cohort: date('cohort', { mode: 'string' }).notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    customers: integer('customers').notNull(),
    chargedMicros: bigint('charged_micros', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ name: 'metrics_cohorts_pkey', columns: [t.cohort, t.month] })],
);

/** Singleton rows of bookkeeping: how far the rollups are refreshed and how long it took. */
export const metricsRollupState = pgTable('metrics_rollup_state', {
  id: text('id').primaryKey(),
  /** Raw data up to this instant is reflected in the rollups. */
  refreshedThrough: timestamptz('refreshed_through').notNull(),
  lastRefreshMs: integer('last_refresh_ms').notNull(),
  /** When the row or the rollups last changed: every refresh stamps it (the public metrics' cache version). */
  updatedAt: timestamptz('updated_at').notNull(),
});

/**
 * The simulated network's generated history (one row per generator): how far it has got, so the page can show
 * its progress and a restart resumes where it stopped.
 */
export const demoHistory = pgTable('demo_history', {
  id: text('id').primaryKey(),
  seed: integer('seed').notNull(),
  /** The simulated span: from `fromAt` up to `toAt`. */
  fromAt: timestamptz('from_at').notNull(),
  toAt: timestamptz('to_at').notNull(),
  /** Everything before this simulated instant is generated and committed. */
  generatedThrough: timestamptz('generated_through').notNull(),
  /** generating | complete | failed */
  state: text('state').notNull(),
  jobs: integer('jobs').notNull().default(0),
  customers: integer('customers').notNull().default(0),
  error: text('error'),
  startedAt: timestamptz('started_at').notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
  finishedAt: timestamptz('finished_at'),
});

/**
 * The published daily exports of the raw rows behind the metrics (lib/metrics/exports.ts): one row per closed UTC
 * day, written once and never changed. `content` is the exact file served; each day is chained to the previous
 * one and its manifest entry is signed by the marketplace key.
 */
export const metricsExports = pgTable('metrics_exports', {
  day: date('day', { mode: 'string' }).primaryKey(),
  /** The file, exactly as served (JSON, UTF-8). */
  content: text('content').notNull(),
  /** Hex sha256 of `content`'s UTF-8 bytes. */
  sha256: text('sha256').notNull(),
  /** The previous day's chain hash (64 zeros for the first day). */
  previousChainHash: text('previous_chain_hash').notNull(),
  /** sha256(previous chain hash bytes ‖ file hash bytes). */
  chainHash: text('chain_hash').notNull(),
  signer: text('signer').notNull(),
  /** EIP-191 signature of the manifest entry's message (lib/metrics/export-format.ts). */
  signature: text('signature').notNull(),
  /** Rows per section of the file. */
  rowCounts: jsonb('row_counts').$type<Record<string, number>>().notNull(),
  createdAt: timestamptz('created_at').notNull(),
});

export type MetricsDaily = typeof metricsDaily.$inferSelect;
export type DemoHistory = typeof demoHistory.$inferSelect;
