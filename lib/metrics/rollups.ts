import { sql, type SQL } from 'drizzle-orm';
import { noteDataChanged } from '@/lib/cache/change-notices';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { GRANULARITIES, type Granularity } from '@/lib/metrics/definitions';
import {
  addDays,
  nextPeriodStart,
  periodHistogramSql,
  periodStart,
  schedulePercentilesSql,
} from '@/lib/metrics/percentiles';
import { isSelfDealingSql } from '@/lib/metrics/self-dealing';

/**
 * The metrics rollups (tables in lib/db/schema/metrics.ts), recomputed from the raw records — ledger,
 * jobs, attempts, incentive epochs, deposits, payouts — for a range of UTC days. Each refresh replaces the
 * rows of the days and months it touches in one transaction, so a reader sees the old figures or the new ones,
 * never half; an advisory lock makes concurrent refreshes (several workers, the history generator) take turns.
 * Only the days read raw records: the months' per-customer rows and the stored time-to-schedule percentiles are
 * derived from day rollups, so a refresh costs what its days hold however long the history is (the worker and
 * the demo-history generator refresh a day or two at a time). The worker refreshes the recent days every
 * 30 seconds; `rebuildMetricRollups` recomputes everything.
 */

const DAY_MS = 86_400_000;
const STATE_ID = 'rollups';
/** Transactions commit a little after the instant they record: the incremental refresh looks back this far. */
export const REFRESH_LOOKBACK_MS = 10 * 60_000;

export interface RefreshSummary {
  /** First and last+1 UTC day recomputed (YYYY-MM-DD). */
  fromDay: string;
  toDay: string;
  days: number;
  ms: number;
}

function utcDay(at: Date): string {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day after the one holding the last instant before `end`: the exclusive end of [start, end). */
function endDay(start: Date, end: Date): string {
  const last = Math.max(end.getTime() - 1, start.getTime());
  return utcDay(new Date(last + DAY_MS));
}

/**
 * Recomputes the rollups of every UTC day overlapping [from, to), and the customer metrics of the months
 * those days fall in and every month after them (a customer's first month and last month's payers feed later
 * months). Returns what it did.
 */
export async function refreshMetricRollups(db: Db, range: { from: Date; to: Date }): Promise<RefreshSummary> {
  const started = performance.now();
  const fromDay = utcDay(range.from);
  const toDay = endDay(range.from, range.to);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('metrics-rollups'))`);
    await refreshDays(tx, fromDay, toDay);
    await refreshMonths(tx, fromDay, toDay);
    // The public metrics' cache version (lib/cache/public-reads.ts) moves in the same commit as the rollups.
    await tx.execute(sql`update metrics_rollup_state set updated_at = now() where id = ${STATE_ID}`);
  });
  noteDataChanged('metrics');
  const ms = Math.round(performance.now() - started);
  const days = Math.round((Date.parse(toDay) - Date.parse(fromDay)) / DAY_MS);
  return { fromDay, toDay, days, ms };
}

/**
 * The worker's refresh: the days since the last refresh (looking back `REFRESH_LOOKBACK_MS` for late commits)
 * up to now; a first refresh rebuilds everything. Records how far and how long.
 */
export async function refreshRecentMetricRollups(db: Db, clock: Clock): Promise<RefreshSummary> {
  const now = clock.now();
  const [state] = await queryRows<{ refreshed_through: Date | string }>(
    db,
    sql`select refreshed_through from metrics_rollup_state where id = ${STATE_ID}`,
  );
  if (!state) return rebuildMetricRollups(db, clock);
  const from = new Date(new Date(state.refreshed_through).getTime() - REFRESH_LOOKBACK_MS);
  const summary = await refreshMetricRollups(db, { from, to: now });
  await recordState(db, now, summary.ms);
  return summary;
}

/** Drops every rollup row and recomputes them from the earliest raw record up to now. */
export async function rebuildMetricRollups(db: Db, clock: Clock): Promise<RefreshSummary> {
  const now = clock.now();
  const started = performance.now();
  const [earliest] = await queryRows<{ at: Date | string | null }>(
    db,
    sql`select least(
          (select min(created_at) from ledger_transactions),
          (select min(created_at) from jobs),
          (select min(epoch_start) from incentive_epochs),
          (select min(confirmed_at) from payouts)) as at`,
  );
  const from = earliest?.at ? new Date(earliest.at) : now;
  const to = from.getTime() > now.getTime() ? from : now;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('metrics-rollups'))`);
    for (const table of [
      'metrics_daily',
      'metrics_schedule_waits',
      'metrics_schedule_periods',
      'metrics_customer_days',
      'metrics_customer_months',
      'metrics_monthly',
      'metrics_cohorts',
    ])
      await tx.execute(sql.raw(`delete from ${table}`));
  });
  const summary = await refreshMetricRollups(db, { from, to });
  const ms = Math.round(performance.now() - started);
  await recordState(db, now, ms);
  return { ...summary, ms };
}

async function recordState(db: Db, through: Date, ms: number): Promise<void> {
  await db.execute(sql`
    insert into metrics_rollup_state (id, refreshed_through, last_refresh_ms, updated_at)
    values (${STATE_ID}, ${through.toISOString()}::timestamptz, ${ms}, now())
    on conflict (id) do update set
      refreshed_through = greatest(metrics_rollup_state.refreshed_through, excluded.refreshed_through),
      last_refresh_ms = excluded.last_refresh_ms,
      updated_at = excluded.updated_at`);
  noteDataChanged('metrics');
}

/** `[from, to)` as timestamptz bounds of UTC days. */
function bounds(fromDay: string, toDay: string): { lo: SQL; hi: SQL } {
  return {
    lo: sql`(${fromDay}::date)::timestamp at time zone 'UTC'`,
    hi: sql`(${toDay}::date)::timestamp at time zone 'UTC'`,
  };
}

/** The UTC day of a timestamptz column. */
const dayOf = (column: SQL) => sql`(${column} at time zone 'UTC')::date`;

async function refreshDays(tx: Db, fromDay: string, toDay: string): Promise<void> {
  for (const table of ['metrics_daily', 'metrics_schedule_waits', 'metrics_customer_days'])
    await tx.execute(
      sql`delete from ${sql.raw(table)} where day >= ${fromDay}::date and day < ${toDay}::date`,
    );
  await insertDaily(tx, fromDay, toDay);
  await insertScheduleWaits(tx, fromDay, toDay);
  for (const granularity of GRANULARITIES) await refreshSchedulePeriods(tx, granularity, fromDay, toDay);
}

/**
 * The days' `metrics_daily` rows and, from the same pass over the ledger, each customer's charges of each day
 * (`metrics_customer_days`). The ledger transactions of the days that carry money the metrics read — captures,
 * deposits, payouts — reach their postings once, through the transaction index for a few days or one scan of
 * the postings for a rebuild.
 */
async function insertDaily(tx: Db, fromDay: string, toDay: string): Promise<void> {
  const { lo, hi } = bounds(fromDay, toDay);
  const meteredMs = (key: SQL) => sql`split_part(${key}, ':', 3)::bigint`;
  await tx.execute(sql`
    with txs as (
      -- Charges (captures and refunds) are keyed by their attempt: each is self-dealt or not (lib/metrics/self-dealing.ts).
      select t.id, t.kind, ${dayOf(sql`t.created_at`)} as day, t.idempotency_key as key,
             coalesce(a.id is not null
                      and ${isSelfDealingSql(sql`j.owner_account_id`, sql`a.supplier_account_id`)}, false) as self_dealt
        from ledger_transactions t
        left join job_attempts a
          on a.id = case when t.kind in ('capture', 'refund') then split_part(t.idempotency_key, ':', 2)::uuid end
        left join jobs j on j.id = a.job_id
       where t.kind in ('capture', 'deposit', 'simulated_funding', 'payout', 'simulated_payout', 'refund')
         and t.created_at >= ${lo} and t.created_at < ${hi}
    ),
    -- The attempts captured in these days.
    captured as (
      select distinct split_part(key, ':', 2) as attempt_key from txs where kind = 'capture'
    ),
    -- Every capture of those attempts, with the attempt's previous capture (0 for the first): what a capture
    -- settles is its cumulative metered time minus the previous one's. Materialized, so it is computed once;
    -- the days' own captures are then picked by time, never by joining back (a join whose sides the planner
    -- thinks are one row each re-ran the window per capture: seconds for a fortnight of a busy network).
    attempt_caps as materialized (
      select p.created_at, split_part(p.idempotency_key, ':', 2) as attempt_key,
             ${meteredMs(sql`p.idempotency_key`)} as metered_ms,
             coalesce(lag(${meteredMs(sql`p.idempotency_key`)}) over (
               partition by split_part(p.idempotency_key, ':', 2)
               order by ${meteredMs(sql`p.idempotency_key`)}), 0) as previous_ms
        from ledger_transactions p
       where p.kind = 'capture' and split_part(p.idempotency_key, ':', 2) in (select attempt_key from captured)
    ),
    cap_time as (
      select day, sum(gpu_ms) filter (where not self_dealt) as paid_gpu_ms,
             sum(gpu_ms) filter (where self_dealt) as self_dealt_gpu_ms
        from (select ${dayOf(sql`ac.created_at`)} as day, (ac.metered_ms - ac.previous_ms) * j.gpu_count as gpu_ms,
                     ${isSelfDealingSql(sql`j.owner_account_id`, sql`a.supplier_account_id`)} as self_dealt
                from attempt_caps ac
                join job_attempts a on a.id = ac.attempt_key::uuid
                join jobs j on j.id = a.job_id
               where ac.created_at >= ${lo} and ac.created_at < ${hi}) settled
       group by day
    ),
    -- Refunded work is not paid: a refund (of a suspect attempt, key refund:<attempt>) takes the attempt's
    -- charged GPU time back out on the day it is refunded.
    refund_time as (
      select x.day, sum(a.metered_ms * j.gpu_count) filter (where not x.self_dealt) as refunded_gpu_ms,
             sum(a.metered_ms * j.gpu_count) filter (where x.self_dealt) as self_dealt_refunded_gpu_ms
        from txs x
        join job_attempts a on a.id = split_part(x.key, ':', 2)::uuid
        join jobs j on j.id = a.job_id
       where x.kind = 'refund'
       group by x.day
    ),
    postings as materialized (
      select x.id as transaction_id, x.kind as tx_kind, x.day, x.self_dealt, la.kind as account_kind,
             la.owner_account_id, p.amount_micros
        from txs x
        join ledger_postings p on p.transaction_id = x.id
        join ledger_accounts la on la.id = p.ledger_account_id
       where la.kind in ('customer_reserved', 'platform_fees', 'supplier_payable', 'customer_available',
                         'supplier_payout_pending', 'supplier_held')
    ),
    -- What customers paid: captures from their holds, less refunds to their available balance (self-dealing apart).
    paid as (
      select * from postings
       where not self_dealt
         and ((tx_kind = 'capture' and account_kind = 'customer_reserved')
          or (tx_kind = 'refund' and account_kind = 'customer_available'))
    ),
    customer_days as (
      insert into metrics_customer_days (day, account_id, charged_micros)
      select day, owner_account_id, -sum(amount_micros)
        from paid
       group by 1, 2
    ),
    cap_money as (
      select day,
             sum(case when (tx_kind = 'capture' and account_kind = 'customer_reserved')
                        or (tx_kind = 'refund' and account_kind = 'customer_available')
                      then -amount_micros else 0 end) filter (where not self_dealt) as charged,
             sum(case when account_kind = 'platform_fees' then amount_micros else 0 end)
               filter (where not self_dealt) as fee,
             sum(case when account_kind in ('supplier_payable', 'supplier_held') then amount_micros else 0 end)
               filter (where not self_dealt) as supplier,
             sum(case when (tx_kind = 'capture' and account_kind = 'customer_reserved')
                        or (tx_kind = 'refund' and account_kind = 'customer_available')
                      then -amount_micros else 0 end) filter (where self_dealt) as self_dealt_charged
        from postings
       where tx_kind in ('capture', 'refund')
       group by day
    ),
    epochs as (
      select ${dayOf(sql`e.epoch_start`)} as day,
             sum(e.gpu_seconds) as verified_gpu_seconds,
             sum(floor(extract(epoch from e.epoch_end - e.epoch_start)))::bigint as epoch_seconds
        from incentive_epochs e
       where e.epoch_start >= ${lo} and e.epoch_start < ${hi}
       group by 1
    ),
    rewards as (
      select ${dayOf(sql`r.epoch_start`)} as day,
             sum(r.amount_micros) as tokens, sum(r.usd_value_micros) as usd
        from incentive_rewards r
       where r.epoch_start >= ${lo} and r.epoch_start < ${hi}
       group by 1
    ),
    -- Each ended job with its attempts in one join (index lookups for a few days, a hash join for a rebuild).
    ended as (
      select j.id, j.state, ${dayOf(sql`j.finished_at`)} as day,
             bool_or(x.state = 'host_lost') as lost, bool_or(x.state = 'failed') as workload_failed,
             coalesce(bool_or(${isSelfDealingSql(sql`j.owner_account_id`, sql`x.supplier_account_id`)}), false)
               as self_dealt
        from jobs j
        left join job_attempts x on x.job_id = j.id
       where j.kind = 'customer' and j.finished_at is not null
         and j.finished_at >= ${lo} and j.finished_at < ${hi}
       group by j.id
    ),
    outcomes as (
      select day,
             count(*) filter (where state = 'succeeded' and not coalesce(lost, false)) as succeeded,
             count(*) filter (where state = 'succeeded' and coalesce(lost, false)) as recovered,
             count(*) filter (where state = 'failed' and coalesce(workload_failed, false)) as user_error,
             count(*) filter (where state = 'failed' and not coalesce(workload_failed, false)) as host_lost,
             count(*) filter (where state = 'cancelled') as cancelled,
             count(*) filter (where state = 'out_of_budget') as out_of_budget
        from ended
       where not self_dealt
       group by 1
    ),
    self_dealt_jobs as (
      select day, count(*) as jobs from ended where self_dealt group by 1
    ),
    -- Ledger deposits (kind deposit), those backed by a credited on-chain deposit record with its tx hash, and
    -- the simulated network's ledger-only funding (its own kind, never a deposit): an unbacked deposit credit
    -- is the difference between the first two.
    deposits_day as (
      select x.day,
             coalesce(sum(x.amount_micros) filter (where x.tx_kind = 'deposit'), 0) as ledger,
             coalesce(sum(d.amount_micros) filter (where x.tx_kind = 'deposit' and d.id is not null), 0) as onchain,
             coalesce(sum(x.amount_micros) filter (where x.tx_kind = 'simulated_funding'), 0) as simulated
        from postings x
        left join deposits d on d.ledger_transaction_id = x.transaction_id and d.state = 'credited'
                            and d.tx_hash is not null
       where x.tx_kind in ('deposit', 'simulated_funding') and x.account_kind = 'customer_available'
       group by 1
    ),
    payouts_ledger as (
      select day, -sum(amount_micros) as ledger
        from postings
       where tx_kind = 'payout' and account_kind = 'supplier_payout_pending'
       group by 1
    ),
    -- The simulated network's suppliers' ledger-only withdrawals (their own kind, never a payout): never on-chain.
    payouts_simulated as (
      select day, -sum(amount_micros) as simulated
        from postings
       where tx_kind = 'simulated_payout' and account_kind = 'supplier_payable'
       group by 1
    ),
    -- Supplier payouts only: customers' withdrawals of unused balance use the same table and treasury, but are
    -- no payout (the chain reconciliation, lib/reconciliation, matches them on their own).
    payouts_chain as (
      select ${dayOf(sql`confirmed_at`)} as day, sum(amount_micros) as onchain
        from payouts
       where state = 'confirmed' and tx_hash is not null and source = 'supplier_earnings'
         and confirmed_at >= ${lo} and confirmed_at < ${hi}
       group by 1
    )
    insert into metrics_daily (
      day, paid_gpu_ms, charged_micros, fee_micros, supplier_micros, incentive_token_micros,
      incentive_usd_micros, verified_gpu_seconds, epoch_seconds, jobs_succeeded, jobs_host_recovered,
      jobs_user_error, jobs_host_lost, jobs_cancelled, jobs_out_of_budget, deposits_ledger_micros,
      deposits_onchain_micros, deposits_simulated_micros, payouts_ledger_micros, payouts_onchain_micros,
      payouts_simulated_micros, self_dealt_gpu_ms, self_dealt_charged_micros, self_dealt_jobs)
    select d.day,
           coalesce(ct.paid_gpu_ms, 0) - coalesce(rt.refunded_gpu_ms, 0), coalesce(cm.charged, 0), coalesce(cm.fee, 0), coalesce(cm.supplier, 0),
           coalesce(r.tokens, 0), coalesce(r.usd, 0), coalesce(e.verified_gpu_seconds, 0),
           coalesce(e.epoch_seconds, 0),
           coalesce(o.succeeded, 0), coalesce(o.recovered, 0), coalesce(o.user_error, 0),
           coalesce(o.host_lost, 0), coalesce(o.cancelled, 0), coalesce(o.out_of_budget, 0),
           coalesce(dd.ledger, 0), coalesce(dd.onchain, 0), coalesce(dd.simulated, 0),
           coalesce(pl.ledger, 0), coalesce(pc.onchain, 0), coalesce(ps.simulated, 0),
           coalesce(ct.self_dealt_gpu_ms, 0) - coalesce(rt.self_dealt_refunded_gpu_ms, 0),
           coalesce(cm.self_dealt_charged, 0), coalesce(sj.jobs, 0)
      from (select g::date as day
              from generate_series(${fromDay}::date, ${toDay}::date - 1, interval '1 day') as g) d
      left join cap_time ct on ct.day = d.day
      left join refund_time rt on rt.day = d.day
      left join cap_money cm on cm.day = d.day
      left join epochs e on e.day = d.day
      left join rewards r on r.day = d.day
      left join outcomes o on o.day = d.day
      left join deposits_day dd on dd.day = d.day
      left join payouts_ledger pl on pl.day = d.day
      left join payouts_chain pc on pc.day = d.day
      left join payouts_simulated ps on ps.day = d.day
      left join self_dealt_jobs sj on sj.day = d.day`);
}

async function insertScheduleWaits(tx: Db, fromDay: string, toDay: string): Promise<void> {
  const { lo, hi } = bounds(fromDay, toDay);
  await tx.execute(sql`
    insert into metrics_schedule_waits (day, wait_seconds, jobs)
    select day, wait_seconds, count(*)::int
      from (
        select ${dayOf(sql`a.assigned_at`)} as day,
               ${waitBucketSql(sql`floor(extract(epoch from a.assigned_at - j.queued_at))::bigint`)} as wait_seconds
          from job_attempts a
          join jobs j on j.id = a.job_id
         where a.number = 1 and j.kind = 'customer'
           and a.assigned_at >= ${lo} and a.assigned_at < ${hi}) w
     group by day, wait_seconds`);
}

/**
 * The stored time-to-schedule percentiles of every whole period of `granularity` holding one of the days,
 * recomputed from the histogram of all the period's days (those before and after the refreshed ones included).
 */
async function refreshSchedulePeriods(
  tx: Db,
  granularity: Granularity,
  fromDay: string,
  toDay: string,
): Promise<void> {
  const first = periodStart(fromDay, granularity);
  const end = nextPeriodStart(periodStart(addDays(toDay, -1), granularity), granularity);
  await tx.execute(sql`
    delete from metrics_schedule_periods
     where granularity = ${granularity} and period >= ${first}::date and period < ${end}::date`);
  await tx.execute(sql`
    insert into metrics_schedule_periods (granularity, period, jobs, p50_seconds, p95_seconds)
    select ${granularity}, period, jobs, p50, p95
      from (${schedulePercentilesSql(periodHistogramSql(granularity, sql`${first}::date`, sql`${end}::date`))}) p`);
}

/** SQL for `waitBucketSeconds` (lib/metrics/definitions.ts): seconds, minutes or hours, rounded down. */
function waitBucketSql(seconds: SQL): SQL {
  return sql`(case when ${seconds} < 0 then 0
                   when ${seconds} < 60 then ${seconds}
                   when ${seconds} < 3600 then ${seconds} - ${seconds} % 60
                   else ${seconds} - ${seconds} % 3600 end)::int`;
}

/** Longest refresh whose months' customers are redone one touched customer at a time (see below). */
const PER_CUSTOMER_MAX_DAYS = 31;

/**
 * The touched months' per-customer rows, summed from the days' per-customer rows. A short refresh (the worker's,
 * the history generator's) redoes only the customers charged on its days: the ledger is append-only, so no one
 * else's month total can have moved, and each is reached through the account index, so the cost follows the
 * refreshed days whatever the planner guesses about rows it has no statistics for yet. A longer one (a rebuild)
 * redoes the months whole in one grouped pass.
 */
async function refreshCustomerMonths(tx: Db, fromDay: string, toDay: string): Promise<void> {
  const firstMonth = periodStart(fromDay, 'month');
  const end = nextPeriodStart(periodStart(addDays(toDay, -1), 'month'), 'month');
  // Days or months within the touched months.
  const within = (column: SQL) => sql`${column} >= ${firstMonth}::date and ${column} < ${end}::date`;
  if (Date.parse(toDay) - Date.parse(fromDay) > PER_CUSTOMER_MAX_DAYS * DAY_MS) {
    await tx.execute(sql`delete from metrics_customer_months where ${within(sql`month`)}`);
    await tx.execute(sql`
      insert into metrics_customer_months (month, account_id, charged_micros)
      select date_trunc('month', d.day::timestamp)::date, d.account_id, sum(d.charged_micros)
        from metrics_customer_days d
       where ${within(sql`d.day`)}
       group by 1, 2
      having sum(d.charged_micros) > 0`);
    return;
  }
  const touched = sql`select distinct account_id from metrics_customer_days
                       where day >= ${fromDay}::date and day < ${toDay}::date`;
  await tx.execute(sql`
    delete from metrics_customer_months m
     using (${touched}) t
     where m.account_id = t.account_id and ${within(sql`m.month`)}`);
  await tx.execute(sql`
    insert into metrics_customer_months (month, account_id, charged_micros)
    select date_trunc('month', d.day::timestamp)::date, d.account_id, sum(d.charged_micros)
      from (${touched}) t
      join metrics_customer_days d on d.account_id = t.account_id and ${within(sql`d.day`)}
     group by 1, 2
    having sum(d.charged_micros) > 0`);
}

async function refreshMonths(tx: Db, fromDay: string, toDay: string): Promise<void> {
  const firstMonth = sql`date_trunc('month', ${fromDay}::date)::date`;
  const lastMonth = sql`date_trunc('month', ${toDay}::date - 1)::date`;
  await refreshCustomerMonths(tx, fromDay, toDay);

  // Every month from the first touched one to the latest with data depends on what changed.
  await tx.execute(sql`delete from metrics_monthly where month >= ${firstMonth}`);
  await tx.execute(sql`
    with months as (
      select g::date as month
        from generate_series(${firstMonth},
                             greatest(${lastMonth}, coalesce((select max(month) from metrics_customer_months), ${lastMonth})),
                             interval '1 month') as g
    ),
    firsts as (
      select account_id, min(month) as first_month
        from metrics_customer_months
       where account_id in (select account_id from metrics_customer_months where month >= ${firstMonth})
       group by account_id
    ),
    per_month as (
      select c.month, count(*)::int as paying,
             count(*) filter (where f.first_month = c.month)::int as new_customers,
             sum(c.charged_micros) as charged
        from metrics_customer_months c
        join firsts f on f.account_id = c.account_id
       where c.month >= ${firstMonth}
       group by c.month
    ),
    nrr as (
      select (p.month + interval '1 month')::date as month,
             sum(p.charged_micros) as base, coalesce(sum(c.charged_micros), 0) as retained
        from metrics_customer_months p
        left join metrics_customer_months c
          on c.account_id = p.account_id and c.month = (p.month + interval '1 month')::date
       where p.month >= (${firstMonth} - interval '1 month')::date
       group by p.month
    )
    insert into metrics_monthly (month, paying_customers, new_customers, charged_micros, top10_micros,
                                 nrr_base_micros, nrr_retained_micros)
    select m.month, coalesce(pm.paying, 0), coalesce(pm.new_customers, 0), coalesce(pm.charged, 0),
           coalesce((select sum(x.charged_micros)
                       from (select charged_micros from metrics_customer_months
                              where month = m.month order by charged_micros desc limit 10) x), 0),
           coalesce(n.base, 0), coalesce(n.retained, 0)
      from months m
      left join per_month pm on pm.month = m.month
      left join nrr n on n.month = m.month`);

  // Cohorts: a customer's cohort is their first month; rows of months from the first touched one are redone.
  await tx.execute(sql`delete from metrics_cohorts where month >= ${firstMonth}`);
  await tx.execute(sql`
    with firsts as (
      select account_id, min(month) as cohort
        from metrics_customer_months
       where account_id in (select account_id from metrics_customer_months where month >= ${firstMonth})
       group by account_id
    )
    insert into metrics_cohorts (cohort, month, customers, charged_micros)
    select f.cohort, c.month, count(*)::int, sum(c.charged_micros)
      from metrics_customer_months c
      join firsts f on f.account_id = c.account_id
     where c.month >= ${firstMonth}
     group by f.cohort, c.month`);
}
