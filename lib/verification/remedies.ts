import { and, asc, desc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  attemptRefunds,
  jobAttempts,
  jobReceipts,
  jobs,
  ledgerAccounts,
  storedFiles,
  type Job,
  type JobAttempt,
  type Node,
} from '@/lib/db/schema';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import { FINAL_JOB_STATES } from '@/lib/jobs/lifecycle';
import { refundCharge } from '@/lib/ledger/operations';
import { issueAmendment } from '@/lib/receipts/amendment';

/**
 * After-the-fact remedies, applied in the same transaction that quarantines a node (docs/verification.md,
 * "Remedies"). Every customer attempt the node was given since its last passed benchmark becomes *suspect*:
 * - its charge goes back to its customer — the supplier share out of the node's held earnings (held at this
 *   quarantine), the platform fee and whatever held earnings do not cover out of the platform's fees, and
 *   anything neither covers is recorded as uncovered, never dropped silently;
 * - its job gets a notice (a `suspect` event and `suspectAt`), and a finished job's receipt a signed amendment;
 * - a job that will still run resumes from the last checkpoint written before its first suspect attempt, not
 *   from one the suspect node wrote (or from the start when there is none).
 */

export interface SuspectRefund {
  attemptId: string;
  jobId: string;
  customerAccountId: string;
  chargedMicros: bigint;
  refundedMicros: bigint;
  uncoveredMicros: bigint;
}

export interface RemedyOutcome {
  suspectAttempts: number;
  refunds: SuspectRefund[];
  /** Finished jobs whose receipt was amended. */
  amendedJobs: string[];
}

async function platformFeeBalance(tx: Db): Promise<bigint> {
  const [row] = await tx
    .select({ balance: ledgerAccounts.balanceMicros })
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.kind, 'platform_fees'),
        eq(ledgerAccounts.currency, 'usdc'),
        isNull(ledgerAccounts.ownerAccountId),
      ),
    )
    .for('update');
  return row?.balance ?? 0n;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * The last checkpoint a trusted attempt of the job wrote: one written by an attempt numbered before `before`
 * (the job's first suspect attempt) that is still stored. Null when there is none.
 */
export async function trustedCheckpoint(
  tx: Db,
  jobId: string,
  before: number,
): Promise<{ fileId: string; units: number } | null> {
  const [row] = await tx
    .select({ id: storedFiles.id, units: storedFiles.checkpointUnits })
    .from(storedFiles)
    .innerJoin(jobAttempts, eq(jobAttempts.id, storedFiles.attemptId))
    .where(
      and(
        eq(storedFiles.jobId, jobId),
        eq(storedFiles.kind, 'checkpoint'),
        eq(storedFiles.state, 'ready'),
        // Written before the first suspect attempt, or by the job this one re-runs (moved here at launch).
        or(lt(jobAttempts.number, before), ne(jobAttempts.jobId, jobId)),
      ),
    )
    .orderBy(desc(storedFiles.checkpointUnits))
    .limit(1);
  return row ? { fileId: row.id, units: row.units ?? 0 } : null;
}

/** The number of the job's first suspect attempt, or null when none is. */
export async function firstSuspectAttempt(tx: Db, jobId: string): Promise<number | null> {
  const [row] = await tx
    .select({ number: jobAttempts.number })
    .from(jobAttempts)
    .where(and(eq(jobAttempts.jobId, jobId), sql`${jobAttempts.suspectAt} is not null`))
    .orderBy(asc(jobAttempts.number))
    .limit(1);
  return row?.number ?? null;
}

/**
 * Marks the node's customer attempts since `since` (all of them when null) suspect and refunds them, drawing
 * at most `heldMicros` (what this quarantine held) from the supplier's held earnings. Idempotent per attempt:
 * an attempt already suspect is not refunded twice.
 */
export async function applyRemedies(
  tx: Db,
  clock: Clock,
  input: {
    node: Pick<Node, 'id' | 'name' | 'ownerAccountId'>;
    since: Date | null;
    reason: string;
    heldMicros: bigint;
  },
): Promise<RemedyOutcome> {
  const now = clock.now();
  const rows = await tx
    .select({ attempt: jobAttempts, job: jobs })
    .from(jobAttempts)
    .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
    .where(
      and(
        eq(jobAttempts.nodeId, input.node.id),
        eq(jobs.kind, 'customer'),
        isNull(jobAttempts.suspectAt),
        input.since ? sql`${jobAttempts.assignedAt} >= ${input.since}` : undefined,
      ),
    )
    .orderBy(asc(jobAttempts.assignedAt), asc(jobAttempts.id));
  if (rows.length === 0) return { suspectAttempts: 0, refunds: [], amendedJobs: [] };

  await tx
    .update(jobAttempts)
    .set({ suspectAt: now })
    .where(
      inArray(
        jobAttempts.id,
        rows.map((r) => r.attempt.id),
      ),
    );

  let heldLeft = input.heldMicros;
  let platformLeft = await platformFeeBalance(tx);
  const refunds: SuspectRefund[] = [];
  const byJob = new Map<string, { job: Job; attempts: JobAttempt[]; refunded: bigint; uncovered: bigint }>();
  for (const { attempt, job } of rows) {
    const entry = byJob.get(job.id) ?? { job, attempts: [], refunded: 0n, uncovered: 0n };
    byJob.set(job.id, entry);
    entry.attempts.push(attempt);
    if (attempt.chargedMicros <= 0n) continue;
    const fromHeld = min(attempt.supplierMicros, heldLeft);
    heldLeft -= fromHeld;
    const fromPlatform = min(attempt.chargedMicros - fromHeld, platformLeft);
    platformLeft -= fromPlatform;
    const refunded = fromHeld + fromPlatform;
    const uncovered = attempt.chargedMicros - refunded;
    let ledgerTransactionId: string | null = null;
    if (refunded > 0n) {
      const posted = await refundCharge(tx, clock, {
        customer: job.ownerAccountId,
        supplier: attempt.supplierAccountId,
        fromHeldMicros: fromHeld,
        fromPlatformMicros: fromPlatform,
        memo: `Refund of attempt ${attempt.number} of job "${job.name}": node "${input.node.name}" was quarantined (${input.reason})`,
        idempotencyKey: `refund:${attempt.id}`,
      });
      ledgerTransactionId = posted.transaction.id;
    }
    await tx.insert(attemptRefunds).values({
      attemptId: attempt.id,
      jobId: job.id,
      customerAccountId: job.ownerAccountId,
      supplierAccountId: attempt.supplierAccountId,
      nodeId: input.node.id,
      chargedMicros: attempt.chargedMicros,
      fromHeldMicros: fromHeld,
      fromPlatformMicros: fromPlatform,
      uncoveredMicros: uncovered,
      reason: input.reason,
      ledgerTransactionId,
      createdAt: now,
    });
    entry.refunded += refunded;
    entry.uncovered += uncovered;
    refunds.push({
      attemptId: attempt.id,
      jobId: job.id,
      customerAccountId: job.ownerAccountId,
      chargedMicros: attempt.chargedMicros,
      refundedMicros: refunded,
      uncoveredMicros: uncovered,
    });
  }

  const events: NewJobEvent[] = [];
  const amendedJobs: string[] = [];
  for (const { job, attempts, refunded, uncovered } of byJob.values()) {
    await tx
      .update(jobs)
      .set({
        suspectAt: sql`coalesce(${jobs.suspectAt}, ${now})`,
        refundedMicros: sql`${jobs.refundedMicros} + ${refunded}`,
      })
      .where(eq(jobs.id, job.id));
    const first = await firstSuspectAttempt(tx, job.id);
    const trusted = first === null ? null : await trustedCheckpoint(tx, job.id, first);
    const finished = (FINAL_JOB_STATES as readonly string[]).includes(job.state);
    // A job that will still run must not resume from what the suspect node saved.
    if (!finished && first !== null && job.checkpointUnits > (trusted?.units ?? 0))
      await tx
        .update(jobs)
        .set({ checkpointUnits: trusted?.units ?? 0, checkpointRef: trusted?.fileId ?? null })
        .where(eq(jobs.id, job.id));
    events.push({
      jobId: job.id,
      type: 'suspect',
      data: {
        attempts: attempts.map((a) => a.number),
        nodeId: input.node.id,
        nodeName: input.node.name,
        reason: input.reason,
        refundedMicros: refunded.toString(),
        uncoveredMicros: uncovered.toString(),
        trustedCheckpointUnits: trusted?.units ?? 0,
      },
    });
    if (finished) {
      const [receipt] = await tx
        .select({ jobId: jobReceipts.jobId })
        .from(jobReceipts)
        .where(eq(jobReceipts.jobId, job.id));
      if (receipt) {
        await issueAmendment(tx, clock, job.id);
        amendedJobs.push(job.id);
      }
    }
  }
  await appendJobEvents(tx, now, events);
  return { suspectAttempts: rows.length, refunds, amendedJobs };
}
