import { MS_PER_DAY } from '@/lib/clock';
import type { NodeStatus } from '@/lib/db/schema';

/** A stretch of one status; `endedAt` null means it is still going on. */
export interface StatusSpan {
  status: NodeStatus;
  startedAt: Date;
  endedAt: Date | null;
}

/** A node counts as up while it can serve work: idle-online or busy running jobs. */
export const UP_STATUSES: ReadonlySet<NodeStatus> = new Set<NodeStatus>(['online', 'busy']);

/** The reliability window: the last 30 days. */
export const RELIABILITY_WINDOW_DAYS = 30;

function overlap(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
}

/** Milliseconds the node was up and observed (known spans) inside [from, to). */
export function measureUptime(
  spans: readonly StatusSpan[],
  from: Date,
  to: Date,
): { upMs: number; observedMs: number } {
  const f = from.getTime();
  const t = to.getTime();
  let upMs = 0;
  let observedMs = 0;
  for (const span of spans) {
    const start = span.startedAt.getTime();
    const end = (span.endedAt ?? to).getTime();
    const ms = overlap(start, end, f, t);
    observedMs += ms;
    if (UP_STATUSES.has(span.status)) upMs += ms;
  }
  return { upMs, observedMs };
}

/**
 * Share of observed time in the last 30 days the node was up, in basis points (0–10000). Time before the
 * node's first recorded status is not counted against it; a node with no history scores 0.
 */
export function reliabilityBasisPoints(spans: readonly StatusSpan[], now: Date): number {
  const from = new Date(now.getTime() - RELIABILITY_WINDOW_DAYS * MS_PER_DAY);
  const { upMs, observedMs } = measureUptime(spans, from, now);
  if (observedMs === 0) return 0;
  return Math.round((upMs / observedMs) * 10_000);
}

export interface UptimeDay {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Share of the observed part of the day the node was up; null when nothing was observed. */
  uptime: number | null;
}

/** Per-UTC-day uptime for the `days` days ending today (today counts up to `now`). */
export function dailyUptime(
  spans: readonly StatusSpan[],
  now: Date,
  days = RELIABILITY_WINDOW_DAYS,
): UptimeDay[] {
  const todayStart = Math.floor(now.getTime() / MS_PER_DAY) * MS_PER_DAY;
  const result: UptimeDay[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = todayStart - i * MS_PER_DAY;
    const end = Math.min(start + MS_PER_DAY, now.getTime());
    const { upMs, observedMs } = measureUptime(spans, new Date(start), new Date(end));
    result.push({
      day: new Date(start).toISOString().slice(0, 10),
      uptime: observedMs === 0 ? null : Math.round((upMs / observedMs) * 10_000) / 10_000,
    });
  }
  return result;
}
