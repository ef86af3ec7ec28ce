import { and, asc, gte, inArray, isNull, or } from 'drizzle-orm';
import { MS_PER_DAY } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { nodeStatusIntervals } from '@/lib/db/schema';
import { RELIABILITY_WINDOW_DAYS, type StatusSpan } from '@/lib/market/uptime';

/**
 * Status spans of the given nodes that overlap the reliability window (plus a day, for whole-day buckets),
 * oldest first, grouped by node.
 */
export async function loadRecentStatusSpans(
  db: Db,
  nodeIds: string[],
  now: Date,
): Promise<Map<string, StatusSpan[]>> {
  const windowStart = new Date(now.getTime() - (RELIABILITY_WINDOW_DAYS + 1) * MS_PER_DAY);
  const rows = await db
    .select()
    .from(nodeStatusIntervals)
    .where(
      and(
        inArray(nodeStatusIntervals.nodeId, nodeIds),
        or(isNull(nodeStatusIntervals.endedAt), gte(nodeStatusIntervals.endedAt, windowStart)),
      ),
    )
    .orderBy(asc(nodeStatusIntervals.nodeId), asc(nodeStatusIntervals.startedAt));
  const spans = new Map<string, StatusSpan[]>();
  for (const row of rows) {
    const list = spans.get(row.nodeId);
    if (list) list.push(row);
    else spans.set(row.nodeId, [row]);
  }
  return spans;
}
