import { AppError } from '@/lib/api/errors';
import { MS_PER_DAY } from '@/lib/clock';
import type { DayRangeQuery } from '@/lib/supplier/schemas';

/** Default and largest report ranges, in UTC days (both ends included). */
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

/** A range of whole UTC days: [start, end) in time, `from`–`to` inclusive as dates. */
export interface DayRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / MS_PER_DAY) * MS_PER_DAY);
}

/** The range of `days` whole UTC days ending with today. */
export function lastDays(now: Date, days: number): DayRange {
  const end = new Date(startOfUtcDay(now).getTime() + MS_PER_DAY);
  const start = new Date(end.getTime() - days * MS_PER_DAY);
  return { from: utcDay(start), to: utcDay(new Date(end.getTime() - MS_PER_DAY)), start, end };
}

/**
 * The report range of a query: both ends inclusive UTC days; `to` defaults to today and `from` to 29 days
 * before `to`. A reversed or longer-than-366-day range is a 400 naming the field.
 */
export function resolveRange(query: DayRangeQuery, now: Date): DayRange {
  const to = query.to ? new Date(`${query.to}T00:00:00Z`) : startOfUtcDay(now);
  const from = query.from
    ? new Date(`${query.from}T00:00:00Z`)
    : new Date(to.getTime() - (DEFAULT_RANGE_DAYS - 1) * MS_PER_DAY);
  const days = (to.getTime() - from.getTime()) / MS_PER_DAY + 1;
  if (Number.isNaN(days))
    throw new AppError('bad_request', 'Invalid query: from, to', {
      fields: [{ field: query.from ? 'from' : 'to', message: 'not a calendar date' }],
    });
  if (days < 1)
    throw new AppError('bad_request', 'Invalid query: from', {
      fields: [{ field: 'from', message: 'must not be after `to`' }],
    });
  if (days > MAX_RANGE_DAYS)
    throw new AppError('bad_request', 'Invalid query: from', {
      fields: [{ field: 'from', message: `the range can span at most ${MAX_RANGE_DAYS} days` }],
    });
  return { from: utcDay(from), to: utcDay(to), start: from, end: new Date(to.getTime() + MS_PER_DAY) };
}

/** Every UTC day of the range, oldest first. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (let t = range.start.getTime(); t < range.end.getTime(); t += MS_PER_DAY)
    days.push(utcDay(new Date(t)));
  return days;
}
