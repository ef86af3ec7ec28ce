import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  accounts,
  canaryChecks,
  jobs,
  nodeVerifications,
  nodes,
  type Job,
  type JobAttempt,
} from '@/lib/db/schema';
import { appendJobEvent } from '@/lib/jobs/events';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { verificationOf } from '@/lib/verification/challenges';
import { KNOWN_ANSWER_PROGRAM, laneAnswer } from '@/lib/verification/known-answer';

/**
 * Canary jobs: known-answer work the platform mixes into a node's normal work. After every assignment a node
 * finishes, its next one is a canary with probability q (the canary rate). To the node a canary is an
 * ordinary job — a `node -e` program that hashes and prints its result — so a node that skips a share f of
 * its work is caught with probability q·f per assignment, and within n assignments with probability
 * 1 − (1 − q·f)^n. Canaries are unpaid (price 0) and never count as customer demand. The decision is a hash
 * of the finished attempt's id, so it is unpredictable to the node and reproducible in tests.
 */

/** The platform account that owns canary jobs (a reserved address no key controls). */
export const CANARY_ACCOUNT_ADDRESS = '0x00000000000000000000000000000000000ca4a1';

export const CANARY_IMAGE = 'node:22-slim';

/** A uniform number in [0, 1) from a string: the same attempt always gives the same draw. */
export function uniformFromId(id: string, salt: string): number {
  const digest = createHash('sha256').update(`${salt}:${id}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** Whether the assignment after `finishedAttemptId` is a canary. */
export function canaryFollows(finishedAttemptId: string, rate: number): boolean {
  return rate > 0 && uniformFromId(finishedAttemptId, 'canary') < rate;
}

async function canaryAccountId(db: Db): Promise<string> {
  const [existing] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.walletAddress, CANARY_ACCOUNT_ADDRESS));
  if (existing) return existing.id;
  await db
    .insert(accounts)
    .values({ walletAddress: CANARY_ACCOUNT_ADDRESS, displayName: 'Backfill verification (canaries)' })
    .onConflictDoNothing();
  const [created] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.walletAddress, CANARY_ACCOUNT_ADDRESS));
  if (!created) throw new Error('canary account missing');
  return created.id;
}

/**
 * Queues a canary pinned to the node when the draw for the attempt that just ended says so (and the node
 * has none waiting already). Runs inside the caller's transaction. Returns the canary job's id, or null.
 */
export async function maybeQueueCanary(
  tx: Db,
  clock: Clock,
  config: OrchestrationConfig,
  finished: Pick<JobAttempt, 'id' | 'nodeId'>,
): Promise<string | null> {
  const verification = verificationOf(config);
  if (!canaryFollows(finished.id, verification.canaryRate)) return null;
  const [node] = await tx
    .select({ status: nodes.status, ownerAccountId: nodes.ownerAccountId })
    .from(nodes)
    .where(eq(nodes.id, finished.nodeId));
  if (!node || node.status === 'quarantined') return null;
  const [waiting] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.pinnedNodeId, finished.nodeId),
        eq(jobs.kind, 'canary'),
        inArray(jobs.state, ['queued', 'scheduled', 'running']),
      ),
    )
    .limit(1);
  if (waiting) return null;
  const [owner] = await tx
    .select({ isDemo: accounts.isDemo })
    .from(accounts)
    .where(eq(accounts.id, node.ownerAccountId));

  const now = clock.now();
  const seed = randomBytes(16).toString('hex');
  const steps = verification.canarySteps;
  const spec = {
    name: 'canary',
    template: 'custom' as const,
    image: CANARY_IMAGE,
    command: ['node', '-e', KNOWN_ANSWER_PROGRAM],
    env: { BACKFILL_KA_SEED: seed, BACKFILL_KA_STEPS: String(steps) },
    requirements: { gpuModels: [], gpuCount: 1, minVramGb: 0, nodeId: finished.nodeId },
    workUnits: verification.canaryWorkUnits,
    budgetMicros: '0',
  };
  const [job] = await tx
    .insert(jobs)
    .values({
      ownerAccountId: await canaryAccountId(tx),
      name: spec.name,
      kind: 'canary',
      template: spec.template,
      image: spec.image,
      command: spec.command,
      env: spec.env,
      gpuModels: [],
      gpuCount: 1,
      minVramGb: 0,
      region: null,
      pinnedNodeId: finished.nodeId,
      maxPricePerGpuHourMicros: null,
      budgetMicros: 0n,
      workUnits: spec.workUnits,
      specHash: `0x${createHash('sha256').update(JSON.stringify(spec)).digest('hex')}`,
      state: 'queued',
      simulated: owner?.isDemo ?? false,
      queuedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: jobs.id });
  if (!job) throw new Error('insert returned no canary job');
  await tx.insert(canaryChecks).values({
    jobId: job.id,
    nodeId: finished.nodeId,
    expectedDigest: laneAnswer(seed, 0, steps),
    createdAt: now,
  });
  await appendJobEvent(tx, now, { jobId: job.id, type: 'queued', data: { reason: 'canary' } });
  return job.id;
}

export interface CanaryVerdict {
  nodeId: string;
  result: 'pass' | 'fail';
  detail: string;
}

/**
 * Judges a canary whose attempt completed: the reported result must be the known answer. A failed exit or a
 * lost host gives no verdict (void) — infrastructure fails honest nodes too, and a cheater cannot tell a
 * canary from other work, so failing everything would cost it all its earnings.
 */
export async function judgeCanary(
  tx: Db,
  clock: Clock,
  job: Pick<Job, 'id' | 'kind'>,
  attempt: Pick<JobAttempt, 'nodeId'>,
  outcome: { completed: boolean; result: string | undefined },
): Promise<CanaryVerdict | null> {
  if (job.kind !== 'canary') return null;
  const [check] = await tx.select().from(canaryChecks).where(eq(canaryChecks.jobId, job.id)).for('update');
  if (!check || check.outcome !== 'pending') return null;
  const now = clock.now();
  if (!outcome.completed) {
    await tx
      .update(canaryChecks)
      .set({ outcome: 'void', decidedAt: now })
      .where(eq(canaryChecks.jobId, job.id));
    return null;
  }
  const pass = outcome.result === check.expectedDigest;
  const detail = pass
    ? 'Canary job returned its known answer.'
    : outcome.result
      ? `Canary job returned a wrong result (${outcome.result.slice(0, 12)}…, expected ${check.expectedDigest.slice(0, 12)}…): the work was not done.`
      : 'Canary job completed without reporting a result: the work was not done.';
  await tx
    .update(canaryChecks)
    .set({ outcome: pass ? 'pass' : 'fail', decidedAt: now })
    .where(eq(canaryChecks.jobId, job.id));
  await tx.insert(nodeVerifications).values({
    nodeId: attempt.nodeId,
    method: 'canary',
    result: pass ? 'pass' : 'fail',
    measuredScore: pass ? 1 : 0,
    expectedMin: 1,
    expectedMax: 1,
    detail,
    jobId: job.id,
    createdAt: now,
  });
  return { nodeId: attempt.nodeId, result: pass ? 'pass' : 'fail', detail };
}
