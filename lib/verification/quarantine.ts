import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  earningsHolds,
  jobAttempts,
  jobs,
  nodeVerifications,
  nodes,
  verificationChallenges,
  type Job,
} from '@/lib/db/schema';
import { setNodeStatus } from '@/lib/agent/node-status';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import { finishJob, lockJob } from '@/lib/jobs/lifecycle';
import { activeAttemptsOf, loseAttempt } from '@/lib/jobs/liveness';
import { balanceOf, getBalances, holdEarnings } from '@/lib/ledger/operations';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { applyRemedies, type RemedyOutcome } from '@/lib/verification/remedies';

export interface QuarantineOutcome {
  /** False when the node was already quarantined (nothing changed). */
  quarantined: boolean;
  heldMicros: bigint;
  attemptsEnded: number;
  /** The suspect attempts, their refunds and the amended receipts (lib/verification/remedies.ts). */
  remedies: RemedyOutcome;
}

const NO_REMEDIES: RemedyOutcome = { suspectAttempts: 0, refunds: [], amendedJobs: [] };

/**
 * What a node earned since it last proved its hardware: the supplier share of its attempts placed after its
 * last passed benchmark (all of them when it never passed). A passed canary does not clear earlier or later
 * work — a node that skips some of its jobs passes the canaries it happens to do — so once the node fails,
 * all of it is suspect.
 */
async function suspectEarnings(tx: Db, nodeId: string, since: Date | null): Promise<bigint> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${jobAttempts.supplierMicros}), 0)` })
    .from(jobAttempts)
    .where(and(eq(jobAttempts.nodeId, nodeId), since ? gte(jobAttempts.assignedAt, since) : undefined));
  return BigInt(row?.total ?? 0);
}

/**
 * Quarantines a node that failed verification: it leaves the market at once, its state becomes public with
 * the reason, its running work fails over (pending time forfeited, as for a lost host), canaries queued for it
 * are dropped, and its unpaid earnings since its last passed benchmark move from payable to held, where no
 * payout can reach them; the customers of its work since then are refunded from them (lib/verification/remedies.ts).
 * Idempotent: a node already quarantined is left as it is.
 */
export async function quarantineNode(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  nodeId: string,
  reason: string,
): Promise<QuarantineOutcome> {
  const now = clock.now();
  const held = await db.transaction(async (tx) => {
    const [node] = await tx.select().from(nodes).where(eq(nodes.id, nodeId)).for('update');
    if (!node || node.status === 'quarantined') return null;
    await setNodeStatus(tx, nodeId, 'quarantined', now);
    await tx
      .update(nodes)
      .set({ verificationState: 'failed', quarantinedAt: now, quarantineReason: reason })
      .where(eq(nodes.id, nodeId));
    await tx
      .update(verificationChallenges)
      .set({ state: 'expired' })
      .where(
        and(
          eq(verificationChallenges.nodeId, nodeId),
          inArray(verificationChallenges.state, ['pending', 'sent', 'committed']),
        ),
      );
    const [lastPass] = await tx
      .select({ at: nodeVerifications.createdAt })
      .from(nodeVerifications)
      .where(
        and(
          eq(nodeVerifications.nodeId, nodeId),
          eq(nodeVerifications.method, 'benchmark'),
          eq(nodeVerifications.result, 'pass'),
        ),
      )
      .orderBy(desc(nodeVerifications.createdAt))
      .limit(1);
    const suspect = await suspectEarnings(tx, nodeId, lastPass?.at ?? null);
    const payable = balanceOf(await getBalances(tx, node.ownerAccountId), 'supplier_payable');
    const amount = suspect < payable ? suspect : payable;
    let ledgerTransactionId: string | null = null;
    if (amount > 0n) {
      const posted = await holdEarnings(tx, clock, {
        supplier: node.ownerAccountId,
        amountMicros: amount,
        memo: `Earnings of node "${node.name}" held: quarantined (${reason})`,
        idempotencyKey: `earnings-hold:${nodeId}:${now.toISOString()}`,
      });
      ledgerTransactionId = posted.transaction.id;
    }
    await tx.insert(earningsHolds).values({
      nodeId,
      supplierAccountId: node.ownerAccountId,
      amountMicros: amount,
      reason,
      ledgerTransactionId,
      createdAt: now,
    });
    const remedies = await applyRemedies(tx, clock, {
      node,
      since: lastPass?.at ?? null,
      reason,
      heldMicros: amount,
    });
    return { amount, remedies };
  });
  if (held === null) return { quarantined: false, heldMicros: 0n, attemptsEnded: 0, remedies: NO_REMEDIES };

  let attemptsEnded = 0;
  for (const attempt of await activeAttemptsOf(db, [nodeId])) {
    const ended = await loseAttempt(db, clock, config, attempt, () => `Host quarantined: ${reason}`);
    if (ended) attemptsEnded++;
  }
  await dropQueuedCanaries(db, clock, nodeId);
  await refreshOffers(db, clock, [nodeId]);
  return { quarantined: true, heldMicros: held.amount, attemptsEnded, remedies: held.remedies };
}

/** Canaries still waiting for a quarantined node would wait forever: they end, without a verdict. */
async function dropQueuedCanaries(db: Db, clock: Clock, nodeId: string): Promise<void> {
  const queued = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.pinnedNodeId, nodeId), eq(jobs.kind, 'canary'), eq(jobs.state, 'queued')));
  for (const { id } of queued) {
    await db.transaction(async (tx) => {
      const job = (await lockJob(tx, id)) as Job;
      if (job.state !== 'queued') return;
      const events: NewJobEvent[] = [];
      await finishJob(tx, clock, job, 'cancelled', 'The node was quarantined.', events);
      await appendJobEvents(tx, clock.now(), events);
    });
  }
}
