import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '@/lib/db/schema/columns';

/**
 * Each background loop's last run, whichever worker ran it: what readiness checks for a stalled loop and what
 * an operator reads to see the workers are alive. One row per loop, written after every run.
 */
export const workerLoops = pgTable('worker_loops', {
  name: text('name').primaryKey(),
  /** The loop's interval when it last ran, so a reader can judge staleness without the worker's config. */
  intervalMs: integer('interval_ms').notNull(),
  /** The worker that ran it last (host name and process id). */
  workerId: text('worker_id').notNull(),
  lastStartedAt: timestamptz('last_started_at').notNull(),
  lastSuccessAt: timestamptz('last_success_at'),
  lastDurationMs: integer('last_duration_ms'),
  lastError: text('last_error'),
  lastErrorAt: timestamptz('last_error_at'),
  /** Failed runs since the last success. */
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
});
