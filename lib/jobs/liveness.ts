import { and, inArray, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { jobAttempts, type Job, type JobAttempt } from '@/lib/db/schema';
import { setNodeStatus } from '@/lib/agent/node-status';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import {
  ACTIVE_ATTEMPT_STATES,
  endAttempt,
  isActiveAttempt,
  lockAttempt,
  lockJob,
  requeueOrFail,
} from '@/lib/jobs/lifecycle';
import { refreshOffers } from '@/lib/market/refresh-offers';

export interface LivenessResult {
  lostNodes: number;
  requeued: number;
  failed: number;
}

/** Active attempts of the given nodes. */
export async function activeAttemptsOf(db: Db, nodeIds: string[]): Promise<JobAttempt[]> {
  if (nodeIds.length === 0) return [];
  return db
    .select()
    .from(jobAttempts)
    .where(and(inArray(jobAttempts.nodeId, nodeIds), inArray(jobAttempts.state, [...ACTIVE_ATTEMPT_STATES])));
}

/**
 * Ends an active attempt as host_lost — its pending time forfeited, neither charged nor paid — and requeues
 * its job from the last checkpoint (or fails it after too many placements). Returns the job's new state, or
 * null when a heartbeat or a cancel ended the attempt meanwhile.
 */
export async function loseAttempt(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  candidate: Pick<JobAttempt, 'id' | 'jobId'>,
  reason: (attempt: JobAttempt) => string,
): Promise<Job['state'] | null> {
  return db.transaction(async (tx) => {
    const job = (await lockJob(tx, candidate.jobId)) as Job;
    const attempt = (await lockAttempt(tx, candidate.id)) as JobAttempt;
    if (!isActiveAttempt(attempt)) return null;
    const events: NewJobEvent[] = [];
    const now = clock.now();
    await endAttempt(tx, now, job, attempt, 'host_lost', reason(attempt), events);
    await requeueOrFail(tx, clock, job, attempt, config.maxAttempts, events);
    await appendJobEvents(tx, now, events);
    return job.state;
  });
}

/**
 * Finds nodes silent past the lost-after window and fails them over: the node is marked lost (its history
 * records it, so its reliability drops), each of its leases ends as host_lost with the time since the last
 * checkpoint forfeited, and each job goes back to the queue from its last checkpoint, keeping its place, for
 * the scheduler pass that follows in the same tick.
 */
export async function failOverLostNodes(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
): Promise<LivenessResult> {
  const now = clock.now();
  const cutoff = new Date(now.getTime() - config.lostAfterMs);
  const silent = await queryRows<{ id: string; status: string }>(
    db,
    sql`select n.id, n.status from nodes n
        where n.last_heartbeat_at < ${cutoff}
          and (n.status in ('online', 'busy')
            or exists (select 1 from job_attempts a where a.node_id = n.id and a.state in ('assigned', 'running')))`,
  );
  const result: LivenessResult = { lostNodes: 0, requeued: 0, failed: 0 };
  if (silent.length === 0) return result;
  for (const node of silent) {
    if (node.status === 'online' || node.status === 'busy') {
      await setNodeStatus(db, node.id, 'lost', now);
      result.lostNodes++;
    }
  }
  const attempts = await activeAttemptsOf(
    db,
    silent.map((n) => n.id),
  );
  for (const candidate of attempts) {
    const outcome = await loseAttempt(db, clock, config, candidate, (attempt) => {
      const since = (attempt.lastReportAt ?? attempt.assignedAt).getTime();
      return `No heartbeat for ${Math.round((now.getTime() - since) / 1000)} s: host lost.`;
    });
    if (outcome === 'queued') result.requeued++;
    else if (outcome) result.failed++;
  }
  await refreshOffers(
    db,
    clock,
    silent.map((n) => n.id),
  );
  return result;
}
