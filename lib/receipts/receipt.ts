import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  accounts,
  attemptRefunds,
  jobAttempts,
  jobEvents,
  jobReceipts,
  jobs,
  nodeVerifications,
  nodes,
  verificationChallenges,
  type Job,
  type JobAttempt,
  type Node,
  type NodeVerification,
  type VerificationChallenge,
} from '@/lib/db/schema';
import { canonicalJson } from '@/lib/jobs/spec-hash';
import type { VerificationEvidence } from '@/lib/receipts/evidence';
import { receiptSigner } from '@/lib/receipts/signer';

/** 3: the GPU proof's figures in the verification evidence; attempts carry `suspectAt` and `refundedMicros`, totals `refundedMicros`. */
export const RECEIPT_VERSION = 3;

/**
 * A node's verification evidence as a receipt carries it: its state, its last benchmark before the job ended
 * (with the GPU proof's figures when it was one) and its canary record.
 */
export function evidenceOf(
  node: Pick<Node, 'verificationState' | 'quarantinedAt'>,
  bench: NodeVerification | undefined,
  proof: VerificationChallenge | undefined,
  canaries: { passed: number; failed: number },
): VerificationEvidence {
  return {
    state: node.verificationState,
    quarantinedAt: node.quarantinedAt?.toISOString() ?? null,
    lastBenchmark: bench
      ? {
          result: bench.result,
          measuredScore: bench.measuredScore,
          expectedMin: bench.expectedMin,
          expectedMax: bench.expectedMax,
          detail: bench.detail,
          at: bench.createdAt.toISOString(),
          challengeId: bench.challengeId,
          proof: proof
            ? {
                rounds: proof.rounds,
                m: proof.rowsM,
                k: proof.innerK,
                lanes: proof.lanes,
                expectedMs: proof.referenceMs,
                elapsedMs: proof.elapsedMs,
                revealedRounds: proof.revealRounds ?? [],
              }
            : null,
        }
      : null,
    canaries,
  };
}

async function verificationEvidence(
  tx: Db,
  nodeIds: string[],
  at: Date,
): Promise<Map<string, VerificationEvidence>> {
  const evidence = new Map<string, VerificationEvidence>();
  if (nodeIds.length === 0) return evidence;
  const [states, benchmarks, canaries] = await Promise.all([
    tx
      .select({
        id: nodes.id,
        verificationState: nodes.verificationState,
        quarantinedAt: nodes.quarantinedAt,
      })
      .from(nodes)
      .where(inArray(nodes.id, nodeIds)),
    tx
      .selectDistinctOn([nodeVerifications.nodeId])
      .from(nodeVerifications)
      .where(
        and(
          inArray(nodeVerifications.nodeId, nodeIds),
          eq(nodeVerifications.method, 'benchmark'),
          lte(nodeVerifications.createdAt, at),
        ),
      )
      .orderBy(nodeVerifications.nodeId, desc(nodeVerifications.createdAt)),
    tx
      .select({
        nodeId: nodeVerifications.nodeId,
        passed: sql<number>`cast(count(*) filter (where ${nodeVerifications.result} = 'pass') as int)`,
        failed: sql<number>`cast(count(*) filter (where ${nodeVerifications.result} = 'fail') as int)`,
      })
      .from(nodeVerifications)
      .where(
        and(
          inArray(nodeVerifications.nodeId, nodeIds),
          eq(nodeVerifications.method, 'canary'),
          lte(nodeVerifications.createdAt, at),
        ),
      )
      .groupBy(nodeVerifications.nodeId),
  ]);
  const challengeIds = benchmarks.flatMap((b) => (b.challengeId ? [b.challengeId] : []));
  const proofs = challengeIds.length
    ? await tx.select().from(verificationChallenges).where(inArray(verificationChallenges.id, challengeIds))
    : [];
  for (const node of states) {
    const bench = benchmarks.find((b) => b.nodeId === node.id);
    const tally = canaries.find((c) => c.nodeId === node.id);
    evidence.set(
      node.id,
      evidenceOf(
        node,
        bench,
        proofs.find((p) => p.id === bench?.challengeId),
        {
          passed: Number(tally?.passed ?? 0),
          failed: Number(tally?.failed ?? 0),
        },
      ),
    );
  }
  return evidence;
}

export interface ReceiptAttempt {
  attempt: JobAttempt;
  nodeName: string;
  /** The supplier's wallet address. */
  supplier: string;
  /** Refunded for this attempt (micro-USDC, decimal). */
  refundedMicros: string;
}

export interface ReceiptInput {
  job: Job;
  /** The customer's wallet address. */
  owner: string;
  /** In attempt-number order. */
  attempts: readonly ReceiptAttempt[];
  evidence: ReadonlyMap<string, VerificationEvidence>;
  /** The ledger transactions that charged the job, in the order they were posted. */
  ledgerTransactions: readonly string[];
  issuedAt: Date;
}

/**
 * The receipt's canonical JSON, from the records it commits to. Pure: `issueReceipt` reads the records from
 * the database; the demo history's set-based writer builds the same records in memory.
 */
export function receiptPayload(input: ReceiptInput): string {
  const { job: j, attempts, evidence } = input;
  const sum = (pick: (a: JobAttempt) => bigint) =>
    attempts.reduce((total, a) => total + pick(a.attempt), 0n).toString();
  return canonicalJson({
    version: RECEIPT_VERSION,
    marketplace: 'Backfill',
    jobId: j.id,
    customer: input.owner,
    specHash: j.specHash,
    template: j.template,
    workUnits: j.workUnits,
    state: j.state,
    stateReason: j.stateReason,
    // The bytes in and out: each input's and output's sha256, as the agent verified and uploaded them.
    inputs: j.inputs.map((i) => ({ name: i.name, sha256: i.sha256, sizeBytes: i.sizeBytes, url: i.url })),
    outputs: j.outputs.map((o) => ({ name: o.name, sha256: o.sha256, sizeBytes: o.sizeBytes })),
    attempts: attempts.map(({ attempt: a, nodeName, supplier, refundedMicros }) => ({
      number: a.number,
      nodeId: a.nodeId,
      nodeName,
      supplier,
      gpuModel: a.gpuModel,
      gpuIndexes: a.gpuIndexes,
      gpuSerials: a.gpuSerials,
      verification: evidence.get(a.nodeId) ?? null,
      resultDigest: a.resultDigest,
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
      suspectAt: a.suspectAt?.toISOString() ?? null,
      refundedMicros,
    })),
    totals: {
      budgetMicros: j.budgetMicros.toString(),
      chargedMicros: j.chargedMicros.toString(),
      supplierMicros: sum((a) => a.supplierMicros),
      feeMicros: sum((a) => a.feeMicros),
      releasedMicros: j.releasedMicros.toString(),
      refundedMicros: j.refundedMicros.toString(),
    },
    ledgerTransactions: input.ledgerTransactions,
    issuedAt: input.issuedAt.toISOString(),
  });
}

/**
 * Builds and signs the job's receipt: the spec hash, every attempt with the node and GPU serials that ran it,
 * the verification evidence of that node (its last benchmark before the job ended — method, measured score,
 * band, challenge — and its canary record), the result the workload reported, its metered and forfeited
 * time, the charges and their split, and the ledger transactions that posted them. The payload is canonical JSON signed as an EIP-191 personal message, so anyone can check it with
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
    .select({
      attempt: jobAttempts,
      nodeName: nodes.name,
      supplier: accounts.walletAddress,
      refundedMicros: sql<string>`coalesce(${attemptRefunds.fromHeldMicros} + ${attemptRefunds.fromPlatformMicros}, 0)::text`,
    })
    .from(jobAttempts)
    .innerJoin(nodes, eq(nodes.id, jobAttempts.nodeId))
    .innerJoin(accounts, eq(accounts.id, jobAttempts.supplierAccountId))
    .leftJoin(attemptRefunds, eq(attemptRefunds.attemptId, jobAttempts.id))
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
  const evidence = await verificationEvidence(
    tx,
    [...new Set(attempts.map((a) => a.attempt.nodeId))],
    clock.now(),
  );
  const payload = receiptPayload({
    job: job.job,
    owner: job.owner,
    attempts,
    evidence,
    ledgerTransactions: postings,
    issuedAt: clock.now(),
  });
  const signer = receiptSigner();
  const signature = await signer.signMessage({ message: payload });
  await tx
    .insert(jobReceipts)
    .values({ jobId, payload, signer: signer.address, signature, createdAt: clock.now() })
    .onConflictDoNothing();
}
