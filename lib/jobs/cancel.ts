import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { jobAttempts, jobs, type Job, type JobAttempt } from '@/lib/db/schema';
import type { NewJobEvent } from '@/lib/jobs/events';
import {
  ACTIVE_ATTEMPT_STATES,
  endAttempt,
  finishJob,
  isFinalJob,
  lockAttempt,
  lockJob,
  settlePending,
} from '@/lib/jobs/lifecycle';
import { syncOfferCapacity } from '@/lib/scheduler/offer-capacity';

/**
 * Cancels a job at any point. Queued: nothing ran, the whole hold returns. Scheduled or running: the
 * heartbeat-backed time up to now was real work done at the customer's request, so it is settled; the lease
 * ends (the agent is told to stop at its next heartbeat) and the rest of the hold returns. Cancelling a
 * finished job is refused with 409; another account's job is a 404.
 */
export async function cancelJob(db: Db, clock: Clock, accountId: string, jobId: string): Promise<void> {
  const freedNode = await db.transaction(async (tx) => {
    const job = (await lockJob(tx, jobId)) as Job | undefined;
    if (!job || job.ownerAccountId !== accountId) throw new AppError('not_found', 'No such job.');
    if (isFinalJob(job)) throw new AppError('conflict', `The job has already ended (${job.state}).`);
    const events: NewJobEvent[] = [{ jobId, type: 'cancel_requested', data: {} }];
    const [active] = await tx
      .select({ id: jobAttempts.id })
      .from(jobAttempts)
      .where(and(eq(jobAttempts.jobId, jobId), inArray(jobAttempts.state, [...ACTIVE_ATTEMPT_STATES])));
    let node: string | null = null;
    if (active) {
      const attempt = (await lockAttempt(tx, active.id)) as JobAttempt;
      await settlePending(tx, clock, job, attempt, events);
      await endAttempt(tx, clock.now(), job, attempt, 'cancelled', 'Cancelled by the customer.', events);
      node = attempt.nodeId;
    }
    await finishJob(tx, clock, job, 'cancelled', 'Cancelled by the customer.', events);
    return node;
  });
  if (freedNode) await syncOfferCapacity(db, clock, [freedNode]);
}

/** Whether a job id belongs to the account (for routes that 404 on other people's jobs). */
export async function ownsJob(db: Db, accountId: string, jobId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.ownerAccountId, accountId)));
  return row !== undefined;
}
