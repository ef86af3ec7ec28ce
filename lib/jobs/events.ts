import { sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { jobEvents } from '@/lib/db/schema';
import type { JobEventType } from '@/lib/jobs/schemas';

export interface NewJobEvent {
  jobId: string;
  type: JobEventType;
  data?: Record<string, unknown>;
}

/**
 * Appends events to the job history. Callers pass their transaction, so an event exists exactly when the
 * state change it describes was committed — the live stream never shows a change that rolled back.
 */
export async function appendJobEvents(db: Db, at: Date, events: readonly NewJobEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insert(jobEvents)
    .values(events.map((e) => ({ jobId: e.jobId, type: e.type, data: e.data ?? {}, createdAt: at })));
}

export function appendJobEvent(db: Db, at: Date, event: NewJobEvent): Promise<void> {
  return appendJobEvents(db, at, [event]);
}

/** The greatest event id so far (0 when there are none): where a fresh stream starts. */
export async function lastJobEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<string>`coalesce(max(${jobEvents.id}), 0)` }).from(jobEvents);
  return Number(row?.id ?? 0);
}
