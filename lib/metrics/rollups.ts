import { sql, type SQL } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';

/**
 * The metrics rollups (tables in lib/db/schema/metrics.ts), recomputed from the raw records — ledger,
 * jobs, attempts, incentive epochs, deposits, payouts — for a range of UTC days. Each refresh replaces the
 * rows of the days and months it touches in one transaction, so a reader sees the old figures or the new ones,
 * never half; an advisory lock makes concurrent refreshes (several workers, the history generator) take turns.
 * The worker refreshes the recent days every minute; `rebuildMetricRollups` recomputes everything.
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
  });
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
  const { lo, hi } = bounds(fromDay, toDay);
  await tx.execute(sql`delete from metrics_daily where day >= ${fromDay}::date and day < ${toDay}::date`);
  await tx.execute(
    sql`delete from metrics_schedule_waits where day >= ${fromDay}::date and day < ${toDay}::date`,
  );
  await tx.execute(sql`
    with caps as (
      select t.id, ${dayOf(sql`t.created_at`)} as day, t.idempotency_key as key,
             split_part(t.idempotency_key, ':', 2) as attempt_key,
             split_part(t.idempotency_key, ':', 3)::bigint as metered_ms
        from ledger_transactions t
       where t.kind = 'capture' and t.created_at >= ${lo} and t.created_at < ${hi}
    ),
    cap_time as (
      select c.day,
             sum((c.metered_ms - coalesce((
               select max(split_part(p.idempotency_key, ':', 3)::bigint)
                 from ledger_transactions p
                where p.kind = 'capture'
                  and split_part(p.idempotency_key, ':', 2) = c.attempt_key
                  and split_part(p.idempotency_key, ':', 3)::bigint < c.metered_ms), 0)) * j.gpu_count)
               as paid_gpu_ms
        from caps c
        join job_attempts a on a.id = c.attempt_key::uuid
        join jobs j on j.id = a.job_id
       group by c.day
    ),
    cap_money as (
      select c.day,
             sum(case when la.kind = 'customer_reserved' then -p.amount_micros else 0 end) as charged,
             sum(case when la.kind = 'platform_fees' then p.amount_micros else 0 end) as fee,
             sum(case when la.kind = 'supplier_payable' then p.amount_micros else 0 end) as supplier
        from caps c
        join ledger_postings p on p.transaction_id = c.id
        join ledger_accounts la on la.id = p.ledger_account_id
       group by c.day
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
    outcomes as (
      select ${dayOf(sql`j.finished_at`)} as day,
             count(*) filter (where j.state = 'succeeded' and not coalesce(a.lost, false)) as succeeded,
             count(*) filter (where j.state = 'succeeded' and coalesce(a.lost, false)) as recovered,
             count(*) filter (where j.state = 'failed' and coalesce(a.workload_failed, false)) as user_error,
             count(*) filter (where j.state = 'failed' and not coalesce(a.workload_failed, false)) as host_lost,
             count(*) filter (where j.state = 'cancelled') as cancelled,
             count(*) filter (where j.state = 'out_of_budget') as out_of_budget
        from jobs j
        left join lateral (
          select bool_or(x.state = 'host_lost') as lost, bool_or(x.state = 'failed') as workload_failed
            from job_attempts x where x.job_id = j.id) a on true
       where j.kind = 'customer' and j.finished_at is not null
         and j.finished_at >= ${lo} and j.finished_at < ${hi}
       group by 1
    ),
    deposits_day as (
      select ${dayOf(sql`t.created_at`)} as day,
             sum(p.amount_micros) as ledger,
             coalesce(sum(d.amount_micros) filter (where d.id is not null), 0) as onchain,
             coalesce(sum(p.amount_micros) filter (where d.id is null), 0) as simulated
        from ledger_transactions t
        join ledger_postings p on p.transaction_id = t.id
        join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'customer_available'
        left join deposits d on d.ledger_transaction_id = t.id and d.state = 'credited'
       where t.kind = 'deposit' and t.created_at >= ${lo} and t.created_at < ${hi}
       group by 1
    ),
    payouts_ledger as (
      select ${dayOf(sql`t.created_at`)} as day, -sum(p.amount_micros) as ledger
        from ledger_transactions t
        join ledger_postings p on p.transaction_id = t.id
        join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'supplier_payout_pending'
       where t.kind = 'payout' and t.created_at >= ${lo} and t.created_at < ${hi}
       group by 1
    ),
    payouts_chain as (
      select ${dayOf(sql`confirmed_at`)} as day, sum(amount_micros) as onchain
        from payouts
       where state = 'confirmed' and tx_hash is not null
         and confirmed_at >= ${lo} and confirmed_at < ${hi}
       group by 1
    )
    insert into metrics_daily (
      day, paid_gpu_ms, charged_micros, fee_micros, supplier_micros, incentive_token_micros,
      incentive_usd_micros, verified_gpu_seconds, epoch_seconds, jobs_succeeded, jobs_host_recovered,
      jobs_user_error, jobs_host_lost, jobs_cancelled, jobs_out_of_budget, deposits_ledger_micros,
      deposits_onchain_micros, deposits_simulated_micros, payouts_ledger_micros, payouts_onchain_micros)
    select d.day,
           coalesce(ct.paid_gpu_ms, 0), coalesce(cm.charged, 0), coalesce(cm.fee, 0), coalesce(cm.supplier, 0),
           coalesce(r.tokens, 0), coalesce(r.usd, 0), coalesce(e.verified_gpu_seconds, 0),
           coalesce(e.epoch_seconds, 0),
           coalesce(o.succeeded, 0), coalesce(o.recovered, 0), coalesce(o.user_error, 0),
           coalesce(o.host_lost, 0), coalesce(o.cancelled, 0), coalesce(o.out_of_budget, 0),
           coalesce(dd.ledger, 0), coalesce(dd.onchain, 0), coalesce(dd.simulated, 0),
           coalesce(pl.ledger, 0), coalesce(pc.onchain, 0)
      from (select g::date as day
              from generate_series(${fromDay}::date, ${toDay}::date - 1, interval '1 day') as g) d
      left join cap_time ct on ct.day = d.day
      left join cap_money cm on cm.day = d.day
      left join epochs e on e.day = d.day
      left join rewards r on r.day = d.day
      left join outcomes o on o.day = d.day
      left join deposits_day dd on dd.day = d.day
      left join payouts_ledger pl on pl.day = d.day
      left join payouts_chain pc on pc.day = d.day`);
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

/** SQL for `waitBucketSeconds` (lib/metrics/definitions.ts): seconds, minutes or hours, rounded down. */
function waitBucketSql(seconds: SQL): SQL {
  return sql`(case when ${seconds} < 0 then 0
                   when ${seconds} < 60 then ${seconds}
                   when ${seconds} < 3600 then ${seconds} - ${seconds} % 60
                   else ${seconds} - ${seconds} % 3600 end)::int`;
}

async function refreshMonths(tx: Db, fromDay: string, toDay: string): Promise<void> {
  const firstMonth = sql`date_trunc('month', ${fromDay}::date)::date`;
  const lastMonth = sql`date_trunc('month', ${toDay}::date - 1)::date`;
  const lo = sql`(${firstMonth})::timestamp at time zone 'UTC'`;
  const hi = sql`((${lastMonth}) + interval '1 month')::timestamp at time zone 'UTC'`;
  await tx.execute(
    sql`delete from metrics_customer_months where month >= ${firstMonth} and month <= ${lastMonth}`,
  );
  await tx.execute(sql`
    insert into metrics_customer_months (month, account_id, charged_micros)
    select date_trunc('month', t.created_at at time zone 'UTC')::date, la.owner_account_id, -sum(p.amount_micros)
      from ledger_transactions t
      join ledger_postings p on p.transaction_id = t.id
      join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'customer_reserved'
     where t.kind = 'capture' and t.created_at >= ${lo} and t.created_at < ${hi}
     group by 1, 2
    having -sum(p.amount_micros) > 0`);

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
