import type { HistoryDay } from '@/simulator/history/history-types';

/**
 * A day of history is written in parts of at most a few jobs: each part is one transaction, and PGlite has
 * one connection, so a part must be short enough for the pages served meanwhile not to wait long. A part is
 * everything of the day that happens in [start, end): sign-ups, funding, suppliers' withdrawals and the jobs
 * launched then (each job whole). Its end is an instant at which nothing happens, so "everything before it is written" holds.
 */

/**
 * Jobs per part at most (a few more when several launch at the same instant). Four keep a part's transaction
 * around half a second on PGlite even for the year's last, busiest days (a job of days writes a capture per
 * checkpoint); twelve held heartbeats up for seconds on a loaded machine.
 */
export const JOBS_PER_PART = 4;
/**
 * Jobs per part with the set-based writer, whose transaction costs a few statements per table whatever the
 * jobs: forty keep it near a tenth of a second on PGlite, so heartbeats hardly wait.
 */
export const BULK_JOBS_PER_PART = 40;

export interface DayPart {
  part: HistoryDay;
  /** Whether the part reaches the day's end (the day's incentives close with it). */
  lastOfDay: boolean;
}

/** The next part of `day`, from `from` (an instant inside the day, where the previous part ended). */
export function nextPart(day: HistoryDay, from: number, maxJobs = JOBS_PER_PART): DayPart {
  const times = [
    ...day.joined.map((c) => c.joinAt),
    ...day.deposits.map((d) => d.at),
    ...day.payouts.map((p) => p.at),
    ...day.jobs.map((j) => j.launchAt),
  ]
    .filter((at) => at >= from)
    .sort((a, b) => a - b);
  const launches = day.jobs.filter((j) => j.launchAt >= from).map((j) => j.launchAt);
  let end = day.end;
  if (launches.length > maxJobs) {
    // After the maxJobs-th launch, the next instant at which anything happens ends the part.
    const last = launches[maxJobs - 1] as number;
    end = times.find((at) => at > last) ?? day.end;
  }
  const within = (at: number) => at >= from && at < end;
  return {
    part: {
      index: day.index,
      start: from,
      end,
      joined: day.joined.filter((c) => within(c.joinAt)),
      deposits: day.deposits.filter((d) => within(d.at)),
      payouts: day.payouts.filter((p) => within(p.at)),
      jobs: day.jobs.filter((j) => within(j.launchAt)),
    },
    lastOfDay: end === day.end,
  };
}

/** Sign-ups and jobs of the day before `at`: what the parts written so far hold. */
export function countBefore(day: HistoryDay, at: number): { jobs: number; customers: number } {
  return {
    jobs: day.jobs.filter((j) => j.launchAt < at).length,
    customers: day.joined.filter((c) => c.joinAt < at).length,
  };
}
