import { asc, eq } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, jobAttempts, jobEvents, jobReceipts, jobs, nodes } from '@/lib/db/schema';
import { canonicalJson } from '@/lib/jobs/spec-hash';
import { receiptSigner } from '@/lib/receipts/signer';

export const RECEIPT_VERSION = 1;

/**
 * Builds and signs the job's receipt: the spec hash, every attempt with the node and GPU serials that ran it,
 * its metered and forfeited time, the charges and their split, and the ledger transactions that posted
 * them. The payload is canonical JSON signed as an EIP-191 personal message, so anyone can check it with
 * viem's `verifyMessage` against the signer address published at /api/v1/receipts/signer.
 */
export async function issueReceipt(tx: Db, clock: Clock, jobId: string): Promise<void> {
  const [job] = await tx
    .select({ job: jobs, owner: accounts.walletAddress })
    .from(jobs)
    .innerJoin(accounts, eq(accounts.id, jobs.ownerAccountId))
    .where(eq(jobs.id, jobId));
  if (!job) throw new Error(`job ${jobId} not found for its receipt`);
  const attempts = await tx
    .select({ attempt: jobAttempts, nodeName: nodes.name, supplier: accounts.walletAddress })
    .from(jobAttempts)
    .innerJoin(nodes, eq(nodes.id, jobAttempts.nodeId))
    .innerJoin(accounts, eq(accounts.id, jobAttempts.supplierAccountId))
    .where(eq(jobAttempts.jobId, jobId))
    .orderBy(asc(jobAttempts.number));
  const charges = await tx
    .select({ data: jobEvents.data })
    .from(jobEvents)
    .where(eq(jobEvents.jobId, jobId))
    .orderBy(asc(jobEvents.id));
  const postings = charges
    .map((c) => c.data.ledgerTransactionId)
    .filter((id): id is string => typeof id === 'string');
  const j = job.job;
  const sum = (pick: (a: (typeof attempts)[number]['attempt']) => bigint) =>
    attempts.reduce((total, a) => total + pick(a.attempt), 0n).toString();
  const payload = canonicalJson({
    version: RECEIPT_VERSION,
    marketplace: 'Backfill',
    jobId: j.id,
    customer: job.owner,
    specHash: j.specHash,
    template: j.template,
    workUnits: j.workUnits,
    state: j.state,
    stateReason: j.stateReason,
    attempts: attempts.map(({ attempt: a, nodeName, supplier }) => ({
      number: a.number,
      nodeId: a.nodeId,
      nodeName,
      supplier,
      gpuModel: a.gpuModel,
      gpuIndexes: a.gpuIndexes,
      gpuSerials: a.gpuSerials,
      state: a.state,
      endReason: a.endReason,
      startedAt: (a.runningAt ?? a.assignedAt).toISOString(),
      endedAt: a.endedAt?.toISOString() ?? null,
      meteredMs: a.meteredMs,
      forfeitedMs: a.forfeitedMs,
      pricePerGpuHourMicros: a.pricePerGpuHourMicros.toString(),
      chargedMicros: a.chargedMicros.toString(),
      supplierMicros: a.supplierMicros.toString(),
      feeMicros: a.feeMicros.toString(),
    })),
    totals: {
      budgetMicros: j.budgetMicros.toString(),
      chargedMicros: j.chargedMicros.toString(),
      supplierMicros: sum((a) => a.supplierMicros),
      feeMicros: sum((a) => a.feeMicros),
      releasedMicros: j.releasedMicros.toString(),
    },
    ledgerTransactions: postings,
    issuedAt: clock.now().toISOString(),
  });
  const signer = receiptSigner();
  const signature = await signer.signMessage({ message: payload });
  await tx
    .insert(jobReceipts)
    .values({ jobId, payload, signer: signer.address, signature, createdAt: clock.now() })
    .onConflictDoNothing();
}
