import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { attemptRefunds, jobAttempts, jobReceipts, nodes, receiptAmendments } from '@/lib/db/schema';
import { canonicalJson } from '@/lib/jobs/spec-hash';
import { receiptSigner } from '@/lib/receipts/signer';

export const AMENDMENT_VERSION = 1;

/**
 * A signed amendment to a finished job's receipt, issued when a node that ran it is quarantined afterwards
 * (lib/verification/remedies.ts). The receipt itself is never rewritten: the amendment is a new document that
 * names it — its signature and the sha256 of its payload — and lists every attempt now suspect with its refund.
 * It is canonical JSON signed the same way (EIP-191 by the receipt signer), so it verifies like the receipt.
 * Each amendment lists all the job's suspect attempts so far: the latest one is complete on its own.
 */
export async function issueAmendment(tx: Db, clock: Clock, jobId: string): Promise<void> {
  const [receipt] = await tx.select().from(jobReceipts).where(eq(jobReceipts.jobId, jobId));
  if (!receipt) throw new Error(`job ${jobId} has no receipt to amend`);
  const suspect = await tx
    .select({
      attempt: jobAttempts,
      nodeName: nodes.name,
      refund: attemptRefunds,
    })
    .from(jobAttempts)
    .innerJoin(nodes, eq(nodes.id, jobAttempts.nodeId))
    .leftJoin(attemptRefunds, eq(attemptRefunds.attemptId, jobAttempts.id))
    .where(sql`${jobAttempts.jobId} = ${jobId} and ${jobAttempts.suspectAt} is not null`)
    .orderBy(asc(jobAttempts.number));
  const [last] = await tx
    .select({ number: sql<number>`coalesce(max(${receiptAmendments.number}), 0)::int` })
    .from(receiptAmendments)
    .where(eq(receiptAmendments.jobId, jobId));
  const number = Number(last?.number ?? 0) + 1;
  const sum = (pick: (r: (typeof suspect)[number]) => bigint) =>
    suspect.reduce((total, r) => total + pick(r), 0n).toString();
  const payload = canonicalJson({
    version: AMENDMENT_VERSION,
    type: 'receipt-amendment',
    marketplace: 'Backfill',
    jobId,
    number,
    amends: {
      receiptSignature: receipt.signature,
      receiptPayloadSha256: createHash('sha256').update(receipt.payload).digest('hex'),
      signer: receipt.signer,
    },
    statement:
      'These attempts ran on a node quarantined afterwards for failing verification. Their hardware ' +
      'evidence on the original receipt no longer holds, and their charges were refunded to the customer.',
    suspectAttempts: suspect.map(({ attempt, nodeName, refund }) => ({
      number: attempt.number,
      nodeId: attempt.nodeId,
      nodeName,
      suspectAt: attempt.suspectAt?.toISOString() ?? null,
      reason: refund?.reason ?? null,
      chargedMicros: attempt.chargedMicros.toString(),
      refundedMicros: ((refund?.fromHeldMicros ?? 0n) + (refund?.fromPlatformMicros ?? 0n)).toString(),
      fromHeldMicros: (refund?.fromHeldMicros ?? 0n).toString(),
      fromPlatformMicros: (refund?.fromPlatformMicros ?? 0n).toString(),
      uncoveredMicros: (refund?.uncoveredMicros ?? 0n).toString(),
      ledgerTransactionId: refund?.ledgerTransactionId ?? null,
    })),
    totals: {
      chargedMicros: sum((r) => r.attempt.chargedMicros),
      refundedMicros: sum((r) => (r.refund?.fromHeldMicros ?? 0n) + (r.refund?.fromPlatformMicros ?? 0n)),
      uncoveredMicros: sum((r) => r.refund?.uncoveredMicros ?? 0n),
    },
    issuedAt: clock.now().toISOString(),
  });
  const signer = receiptSigner();
  const signature = await signer.signMessage({ message: payload });
  await tx
    .insert(receiptAmendments)
    .values({ jobId, number, payload, signer: signer.address, signature, createdAt: clock.now() });
}

/** A job's amendments, oldest first, in the shape the receipt API returns. */
export async function getAmendments(db: Db, jobId: string) {
  const rows = await db
    .select()
    .from(receiptAmendments)
    .where(eq(receiptAmendments.jobId, jobId))
    .orderBy(asc(receiptAmendments.number));
  return rows.map((row) => ({
    payload: row.payload,
    signer: row.signer,
    signature: row.signature,
    amendment: JSON.parse(row.payload) as Record<string, unknown>,
  }));
}
