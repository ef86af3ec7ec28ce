import { sql, type SQL } from 'drizzle-orm';
import type { Granularity } from '@/lib/metrics/definitions';

/**
 * Time-to-schedule percentiles from the wait histogram (`metrics_schedule_waits`), shared by the refresh, which
 * stores them per whole day, week and month, and the queries, which work out the partial periods at a range's
 * ends. Both must give the same figures, so there is one definition.
 */

/**
 * `period, jobs, p50, p95` per period of `histogram` — a query of `period, wait_seconds, jobs` with one row per
 * period and bucket. percentile_disc: the first bucket whose cumulative count reaches ceil(p × n).
 */
export function schedulePercentilesSql(histogram: SQL): SQL {
  return sql`select period, max(total)::int as jobs,
                    min(wait_seconds) filter (where cum >= greatest(ceil(0.5::float8 * total), 1)) as p50,
                    min(wait_seconds) filter (where cum >= greatest(ceil(0.95::float8 * total), 1)) as p95
               from (select period, wait_seconds,
                            sum(jobs) over (partition by period order by wait_seconds) as cum,
                            sum(jobs) over (partition by period) as total
                       from (${histogram}) h) c
              group by period`;
}

/** The histogram of the days in `[fromDay, toDay)` (YYYY-MM-DD), summed per period of `granularity`. */
export function periodHistogramSql(granularity: Granularity, fromDay: SQL, toDay: SQL): SQL {
  const unit = sql.raw(`'${granularity}'`);
  return sql`select date_trunc(${unit}, day::timestamp)::date as period, wait_seconds, sum(jobs) as jobs
               from metrics_schedule_waits
              where day >= ${fromDay} and day < ${toDay}
              group by 1, 2`;
}

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day (YYYY-MM-DD) of the period of `granularity` holding `day`: weeks start on Monday. */
export function periodStart(day: string, granularity: Granularity): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (granularity === 'day') return day;
  if (granularity === 'month') return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  return isoDay(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);
}

/** The first day of the period after the one starting on `start`. */
export function nextPeriodStart(start: string, granularity: Granularity): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (granularity === 'day') return isoDay(d.getTime() + DAY_MS);
  if (granularity === 'week') return isoDay(d.getTime() + 7 * DAY_MS);
  return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

export function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}
