import { randomUUID } from 'node:crypto';
import { and, inArray, lte } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { postTransactionsBulk } from '@/lib/ledger/post-many';
import {
  accounts,
  jobAttempts,
  jobEvents,
  jobReceipts,
  jobs,
  nodeGpus,
  nodeVerifications,
  nodes,
  verificationChallenges,
  type Job,
  type JobAttempt,
  type LedgerAccountKind,
  type LedgerTransactionKind,
  type Node,
  type NodeVerification,
  type VerificationChallenge,
} from '@/lib/db/schema';
import type { AttemptLife, HistoryDay, JobLife } from '@/simulator/history/history-types';
import { HISTORY_PAYOUT_MEMO, historyPayoutKey, payoutAmounts } from '@/simulator/history/payouts';
import {
  HANDOVER_REASON,
  HISTORY_FUNDING_MEMO,
  handedOverState,
  historyFundingKey,
  hostLostReason,
  insertJoinedCustomers,
  type DayWritten,
} from '@/simulator/history/write-history';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { captureKey, captureMemo, heldMicros, settlementOf } from '@/lib/jobs/lifecycle';
import { specHash } from '@/lib/jobs/spec-hash';
import { gpuModel } from '@/lib/market/gpu-models';
import type { VerificationEvidence } from '@/lib/receipts/evidence';
import { evidenceOf, receiptPayload, type ReceiptAttempt } from '@/lib/receipts/receipt';
import { receiptSigner } from '@/lib/receipts/signer';

/**
 * The demo history's set-based writer: the same rows `writeHistoryDay` writes through the live domain
 * functions (`launchJob`, `writePlacements`, `settlePending`, `endAttempt`, `requeueOrFail`, `finishJob`,
 * `issueReceipt`, `creditSimulatedFunding`, `debitSimulatedPayout`), computed in memory from the simulated lives and inserted a table at a time
 * — a few statements a day instead of a hundred a job, which is what makes a year of history take minutes.
 * The money is computed by the lifecycle's own pure functions (`settlementOf`, `heldMicros`) and the receipt
 * by the receipt's (`receiptPayload`, `evidenceOf`); the ledger's triggers still apply every posting to its
 * account's balance and refuse an overdraft or an unbalanced transaction. `bulk-write.test.ts` writes the same
 * history both ways and asserts the rows are equal.
 */

interface LedgerTxRow {
  id: string;
  kind: LedgerTransactionKind;
  key: string;
  memo: string;
  at: number;
  /** Owner (null for platform accounts), kind, amount: in the order the domain function posts them. */
  entries: [string | null, LedgerAccountKind, bigint][];
}

interface EventRow {
  type: string;
  data: Record<string, unknown>;
  at: number;
}

interface Rows {
  ledger: LedgerTxRow[];
  jobs: Job[];
  attempts: JobAttempt[];
  events: { jobId: string; event: EventRow }[];
  receipts: { job: Job; attempts: JobAttempt[]; chargeTxs: string[]; at: number }[];
}

/** What the receipts and placements read about the nodes a batch ran on, loaded once per batch. */
interface NodeFacts {
  serials: Map<string, string>;
  wallets: Map<string, string>;
  states: Map<string, Pick<Node, 'verificationState' | 'quarantinedAt'>>;
  benchmarks: Map<string, NodeVerification[]>;
  canaries: Map<string, NodeVerification[]>;
  proofs: Map<string, VerificationChallenge>;
}

async function loadNodeFacts(tx: Db, lives: readonly JobLife[], until: number): Promise<NodeFacts> {
  const nodeIds = [...new Set(lives.flatMap((l) => l.attempts.map((a) => a.node.id)))];
  const ownerIds = [...new Set(lives.flatMap((l) => l.attempts.map((a) => a.node.ownerAccountId)))];
  const facts: NodeFacts = {
    serials: new Map(),
    wallets: new Map(),
    states: new Map(),
    benchmarks: new Map(),
    canaries: new Map(),
    proofs: new Map(),
  };
  if (nodeIds.length === 0) return facts;
  const [serials, owners, states, checks] = await Promise.all([
    tx.select().from(nodeGpus).where(inArray(nodeGpus.nodeId, nodeIds)),
    tx
      .select({ id: accounts.id, wallet: accounts.walletAddress })
      .from(accounts)
      .where(inArray(accounts.id, ownerIds)),
    tx
      .select({
        id: nodes.id,
        verificationState: nodes.verificationState,
        quarantinedAt: nodes.quarantinedAt,
      })
      .from(nodes)
      .where(inArray(nodes.id, nodeIds)),
    tx
      .select()
      .from(nodeVerifications)
      .where(
        and(
          inArray(nodeVerifications.nodeId, nodeIds),
          inArray(nodeVerifications.method, ['benchmark', 'canary']),
          lte(nodeVerifications.createdAt, new Date(until)),
        ),
      )
      .orderBy(nodeVerifications.createdAt, nodeVerifications.id),
  ]);
  for (const s of serials) facts.serials.set(`${s.nodeId}:${s.index}`, s.serial);
  for (const o of owners) facts.wallets.set(o.id, o.wallet);
  for (const s of states) facts.states.set(s.id, s);
  for (const check of checks) {
    const into = check.method === 'benchmark' ? facts.benchmarks : facts.canaries;
    const list = into.get(check.nodeId);
    if (list) list.push(check);
    else into.set(check.nodeId, [check]);
  }
  const challengeIds = checks.flatMap((c) => (c.challengeId ? [c.challengeId] : []));
  if (challengeIds.length)
    for (const p of await tx
      .select()
      .from(verificationChallenges)
      .where(inArray(verificationChallenges.id, challengeIds)))
      facts.proofs.set(p.id, p);
  return facts;
}

/** The node's evidence as `issueReceipt` reads it at `at`: its latest benchmark and its canaries up to then. */
function evidenceAt(facts: NodeFacts, nodeId: string, at: number): VerificationEvidence | null {
  const state = facts.states.get(nodeId);
  if (!state) return null;
  const bench = (facts.benchmarks.get(nodeId) ?? []).filter((b) => b.createdAt.getTime() <= at).at(-1);
  const canaries = (facts.canaries.get(nodeId) ?? []).filter((c) => c.createdAt.getTime() <= at);
  return evidenceOf(state, bench, bench?.challengeId ? facts.proofs.get(bench.challengeId) : undefined, {
    passed: canaries.filter((c) => c.result === 'pass').length,
    failed: canaries.filter((c) => c.result === 'fail').length,
  });
}

/** One job's life as rows, following `writeJobLife` and the lifecycle functions step by step. */
class JobRows {
  readonly job: Job;
  readonly attempts: JobAttempt[] = [];
  readonly events: EventRow[] = [];
  readonly chargeTxs: string[] = [];

  constructor(
    private readonly rows: Rows,
    private readonly config: OrchestrationConfig,
    private readonly facts: NodeFacts,
    private readonly life: JobLife,
  ) {
    const { spec, budgetMicros } = life.planned;
    const at = new Date(life.launchAt);
    this.job = {
      id: randomUUID(),
      ownerAccountId: life.customer.id,
      name: spec.name,
      kind: 'customer',
      template: spec.template,
      image: spec.image,
      command: spec.command,
      env: spec.env,
      inputs: [],
      outputs: [],
      gpuModels: spec.requirements.gpuModels,
      gpuCount: spec.requirements.gpuCount,
      minVramGb: spec.requirements.minVramGb,
      region: spec.requirements.region ?? null,
      pinnedNodeId: spec.requirements.nodeId ?? null,
      maxPricePerGpuHourMicros: spec.requirements.maxPricePerGpuHourMicros
        ? BigInt(spec.requirements.maxPricePerGpuHourMicros)
        : null,
      budgetMicros,
      workUnits: spec.workUnits,
      specHash: specHash({ ...spec, inputs: undefined }),
      state: 'queued',
      stateReason: null,
      progressUnits: 0,
      checkpointUnits: 0,
      checkpointRef: null,
      fencingToken: 0,
      attemptCount: 0,
      chargedMicros: 0n,
      releasedMicros: 0n,
      simulated: true,
      suspectAt: null,
      refundedMicros: 0n,
      rerunOfJobId: null,
      queuedAt: at,
      startedAt: null,
      finishedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    this.ledger('hold', `job-hold:${this.job.id}`, `Budget hold for job "${spec.name}"`, life.launchAt, [
      [life.customer.id, 'customer_available', -budgetMicros],
      [life.customer.id, 'customer_reserved', budgetMicros],
    ]);
    this.event('queued', { reason: 'launched' }, life.launchAt);
  }

  private event(type: string, data: Record<string, unknown>, at: number): void {
    this.events.push({ type, data, at });
  }

  private ledger(
    kind: LedgerTransactionKind,
    key: string,
    memo: string,
    at: number,
    entries: LedgerTxRow['entries'],
  ): string {
    const id = randomUUID();
    this.rows.ledger.push({ id, kind, key, memo, at, entries });
    return id;
  }

  write(): void {
    for (const attemptLife of this.life.attempts) if (this.attempt(attemptLife)) break;
    if (this.job.state === 'queued' && this.life.state !== 'queued') {
      // Cancelled while waiting for a GPU (a job still queued when the history ended stays queued).
      this.event('cancel_requested', {}, this.life.endedAt);
      this.finish('cancelled', 'Cancelled by the customer.', this.life.endedAt);
    }
    const { job, life } = this;
    if (job.chargedMicros !== life.chargedMicros || job.state !== life.state)
      throw new Error(
        `History job ${life.seq} was written as ${job.state} charging ${job.chargedMicros}, ` +
          `but simulated as ${life.state} charging ${life.chargedMicros}.`,
      );
    this.rows.jobs.push(job);
    this.rows.attempts.push(...this.attempts);
    for (const event of this.events) this.rows.events.push({ jobId: job.id, event });
  }

  /** `settlePending`: the pending time charged from the hold, split between the supplier and the fee. */
  private settle(attempt: JobAttempt, at: number): void {
    const { job } = this;
    const { metered, total, fee, supplier, delta } = settlementOf(job, attempt);
    let ledgerTransactionId: string | null = null;
    if (delta > 0n) {
      const supplierDelta = supplier - attempt.supplierMicros;
      const feeDelta = fee - attempt.feeMicros;
      ledgerTransactionId = this.ledger(
        'capture',
        captureKey(attempt, metered),
        captureMemo(job, attempt, metered),
        at,
        [
          [job.ownerAccountId, 'customer_reserved', -(supplierDelta + feeDelta)],
          ...(supplierDelta > 0n
            ? [
                [
                  attempt.supplierAccountId,
                  'supplier_payable',
                  supplierDelta,
                ] as LedgerTxRow['entries'][number],
              ]
            : []),
          ...(feeDelta > 0n ? [[null, 'platform_fees', feeDelta] as LedgerTxRow['entries'][number]] : []),
        ],
      );
      this.chargeTxs.push(ledgerTransactionId);
    }
    const pendingMs = attempt.pendingMs;
    Object.assign(attempt, {
      meteredMs: metered,
      pendingMs: 0,
      chargedMicros: total,
      supplierMicros: supplier,
      feeMicros: fee,
    });
    job.chargedMicros += delta;
    if (pendingMs > 0 || delta > 0n)
      this.event(
        'charged',
        {
          attempt: attempt.number,
          meteredMs: metered,
          chargedMicros: delta.toString(),
          totalChargedMicros: job.chargedMicros.toString(),
          ledgerTransactionId,
        },
        at,
      );
  }

  /** `endAttempt`: pending time not settled before is forfeited. */
  private endAttempt(attempt: JobAttempt, state: JobAttempt['state'], reason: string, at: number): void {
    const forfeitedMs = attempt.forfeitedMs + attempt.pendingMs;
    Object.assign(attempt, { state, endReason: reason, endedAt: new Date(at), pendingMs: 0, forfeitedMs });
    this.event(
      'attempt_ended',
      { attempt: attempt.number, state, reason, meteredMs: attempt.meteredMs, forfeitedMs },
      at,
    );
  }

  /** `finishJob`: the unused budget released, the final state, the receipt. */
  private finish(state: Job['state'], reason: string, at: number): void {
    const { job } = this;
    const remaining = heldMicros(job);
    if (remaining > 0n) {
      this.ledger('release', `job-release:${job.id}`, `Unused budget of job "${job.name}" returned`, at, [
        [job.ownerAccountId, 'customer_reserved', -remaining],
        [job.ownerAccountId, 'customer_available', remaining],
      ]);
      job.releasedMicros += remaining;
    }
    const when = new Date(at);
    Object.assign(job, {
      state,
      stateReason: reason,
      finishedAt: when,
      updatedAt: when,
      progressUnits: state === 'succeeded' ? job.workUnits : job.progressUnits,
    });
    this.event(
      state,
      { reason, chargedMicros: job.chargedMicros.toString(), releasedMicros: job.releasedMicros.toString() },
      at,
    );
    this.rows.receipts.push({ job, attempts: this.attempts, chargeTxs: this.chargeTxs, at });
  }

  /** One placement, as `writeAttempt` writes it; answers whether the job ended with it. */
  private attempt(life: AttemptLife): boolean {
    const { job, config } = this;
    const number = job.attemptCount + 1;
    const fencingToken = job.fencingToken + 1;
    const assignedAt = new Date(life.assignedAt);
    const attempt: JobAttempt = {
      id: randomUUID(),
      jobId: job.id,
      number,
      nodeId: life.node.id,
      supplierAccountId: life.node.ownerAccountId,
      gpuIndexes: life.gpuIndexes,
      gpuSerials: life.gpuIndexes.map((i) => this.facts.serials.get(`${life.node.id}:${i}`) ?? 'unknown'),
      gpuModel: life.node.gpuModel,
      fencingToken,
      pricePerGpuHourMicros: life.node.price,
      takeRateBp: config.takeRateBp,
      state: 'assigned',
      endReason: null,
      resumedFromUnits: life.resumeFromUnits,
      pendingMs: 0,
      meteredMs: 0,
      forfeitedMs: 0,
      chargedMicros: 0n,
      supplierMicros: 0n,
      feeMicros: 0n,
      resultDigest: null,
      lastReportAt: null,
      suspectAt: null,
      assignedAt,
      runningAt: null,
      endedAt: null,
    };
    this.attempts.push(attempt);
    Object.assign(job, { state: 'scheduled', stateReason: null, fencingToken, attemptCount: number });
    job.updatedAt = assignedAt;
    this.event(
      'scheduled',
      {
        attempt: number,
        nodeId: life.node.id,
        nodeName: life.node.name,
        region: life.node.region,
        gpuModel: gpuModel(life.node.gpuModel).name,
        gpuIndexes: life.gpuIndexes,
        pricePerGpuHourMicros: life.node.price.toString(),
      },
      life.assignedAt,
    );
    let lastReportAt: number | null = null;
    const report = (at: number, progressUnits: number) => {
      if (lastReportAt !== null) attempt.pendingMs += at - lastReportAt;
      lastReportAt = at;
      if (progressUnits !== job.progressUnits) {
        job.progressUnits = progressUnits;
        this.event('progress', { attempt: number, progressUnits }, at);
      }
    };

    if (life.runningAt !== null) {
      const at = new Date(life.runningAt);
      attempt.state = 'running';
      attempt.runningAt = at;
      // Written once with the running state (`markAttemptRunning`'s `lastReportAt`), never moved after.
      attempt.lastReportAt = new Date(life.end.lastReportAt ?? life.runningAt);
      job.state = 'running';
      job.stateReason = null;
      job.startedAt ??= at;
      job.updatedAt = at;
      this.event('running', { attempt: number, nodeId: life.node.id }, life.runningAt);
      report(life.runningAt, life.resumeFromUnits);
    }

    for (const checkpoint of life.checkpoints) {
      report(checkpoint.at, checkpoint.units);
      const ref = `ckpt-${checkpoint.units}`;
      Object.assign(job, {
        checkpointUnits: checkpoint.units,
        checkpointRef: ref,
        updatedAt: new Date(checkpoint.at),
      });
      this.event('checkpoint', { attempt: number, units: checkpoint.units, ref }, checkpoint.at);
      this.settle(attempt, checkpoint.at);
    }

    const { end } = life;
    if (end.lastReportAt !== null && end.lastReportAt !== lastReportAt)
      report(end.lastReportAt, end.progressUnits);
    switch (end.kind) {
      case 'completed':
      case 'failed': {
        this.settle(attempt, end.at);
        const ok = end.kind === 'completed';
        const reason = ok
          ? 'The workload finished.'
          : `The workload exited with code 1: ${this.life.error ?? 'unknown error'}.`;
        this.endAttempt(attempt, ok ? 'completed' : 'failed', reason, end.at);
        this.finish(ok ? 'succeeded' : 'failed', reason, end.at);
        return true;
      }
      case 'out_of_budget': {
        this.settle(attempt, end.at);
        const pct = Math.floor((job.progressUnits / job.workUnits) * 100);
        const reason = `Budget exhausted at ${pct} % progress.`;
        this.endAttempt(attempt, 'out_of_budget', reason, end.at);
        this.finish('out_of_budget', reason, end.at);
        return true;
      }
      case 'cancelled': {
        this.event('cancel_requested', {}, end.at);
        this.settle(attempt, end.at);
        this.endAttempt(attempt, 'cancelled', 'Cancelled by the customer.', end.at);
        this.finish('cancelled', 'Cancelled by the customer.', end.at);
        return true;
      }
      case 'preempted': {
        this.endAttempt(attempt, 'preempted', HANDOVER_REASON, end.at);
        Object.assign(job, {
          state: 'queued',
          stateReason: handedOverState(job),
          progressUnits: job.checkpointUnits,
          updatedAt: new Date(end.at),
        });
        this.event(
          'requeued',
          { attempt: number, reason: HANDOVER_REASON, resumeFromUnits: job.checkpointUnits },
          end.at,
        );
        return true;
      }
      case 'host_lost': {
        this.endAttempt(attempt, 'host_lost', hostLostReason(life), end.at);
        // `requeueOrFail`.
        if (job.attemptCount >= config.maxAttempts) {
          this.finish('failed', `Gave up after ${job.attemptCount} hosts were lost.`, end.at);
          return true;
        }
        const when = new Date(end.at);
        Object.assign(job, {
          state: 'queued',
          stateReason: `Host lost; resuming from the last checkpoint (attempt ${number + 1} next).`,
          progressUnits: job.checkpointUnits,
          updatedAt: when,
        });
        this.event(
          'requeued',
          { attempt: number, reason: attempt.endReason, resumeFromUnits: job.checkpointUnits },
          end.at,
        );
        return false;
      }
    }
  }
}

/** Inserts rows in chunks (PostgreSQL takes at most 65,535 parameters a statement). */
async function insertChunks<T>(rows: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Writes one simulated day (or part of one) with set-based statements, in the caller's transaction: what
 * `writeHistoryDay` writes, row for row.
 */
export async function writeHistoryDayBulk(
  tx: Db,
  config: OrchestrationConfig,
  day: HistoryDay,
): Promise<DayWritten> {
  await insertJoinedCustomers(tx, day);
  const rows: Rows = { ledger: [], jobs: [], attempts: [], events: [], receipts: [] };
  let lastEventAt = day.start;
  for (const deposit of day.deposits)
    rows.ledger.push({
      id: randomUUID(),
      // `creditSimulatedFunding`: the history's customers are demo accounts, their money ledger-only.
      kind: 'simulated_funding',
      key: historyFundingKey(deposit),
      memo: HISTORY_FUNDING_MEMO,
      at: deposit.at,
      entries: [
        [null, 'external', -deposit.amountMicros],
        [deposit.customer.id, 'customer_available', deposit.amountMicros],
      ],
    });
  const until = day.jobs.reduce((max, j) => Math.max(max, j.endedAt), day.end);
  const facts = await loadNodeFacts(tx, day.jobs, until);
  for (const life of day.jobs) {
    new JobRows(rows, config, facts, life).write();
    lastEventAt = Math.max(lastEventAt, life.endedAt);
  }
  const wallets = new Map(day.jobs.map((l) => [l.customer.id, l.customer.walletAddress]));
  for (const [id, wallet] of facts.wallets) wallets.set(id, wallet);

  if (rows.jobs.length) await insertChunks(rows.jobs, 500, (chunk) => tx.insert(jobs).values(chunk));
  if (rows.attempts.length)
    await insertChunks(rows.attempts, 1_000, (chunk) => tx.insert(jobAttempts).values(chunk));
  // In the order the money moved, so the balance trigger sees every deposit before the hold it pays for.
  await postTransactionsBulk(
    tx,
    rows.ledger
      .map((row, i) => ({ row, i }))
      .sort((a, b) => a.row.at - b.row.at || a.i - b.i)
      .map(({ row }) => ({
        id: row.id,
        kind: row.kind,
        idempotencyKey: row.key,
        memo: row.memo,
        at: new Date(row.at),
        entries: row.entries.map(([owner, kind, amountMicros]) => ({
          account: { owner, kind, currency: 'usdc' as const },
          amountMicros,
        })),
      })),
  );
  // After the jobs' money, as the domain writer: each withdrawal takes what its supplier had earned by its
  // instant (`debitSimulatedPayout`: the history's suppliers are demo accounts, their withdrawals ledger-only).
  await postTransactionsBulk(
    tx,
    (await payoutAmounts(tx, day.payouts)).map(({ payout, amountMicros }) => ({
      kind: 'simulated_payout' as const,
      idempotencyKey: historyPayoutKey(payout),
      memo: HISTORY_PAYOUT_MEMO,
      at: new Date(payout.at),
      entries: [
        {
          account: { owner: payout.supplier, kind: 'supplier_payable' as const, currency: 'usdc' as const },
          amountMicros: -amountMicros,
        },
        { account: { owner: null, kind: 'external' as const, currency: 'usdc' as const }, amountMicros },
      ],
    })),
  );
  if (rows.events.length)
    await insertChunks(rows.events, 2_000, (chunk) =>
      tx.insert(jobEvents).values(
        chunk.map(({ jobId, event }) => ({
          jobId,
          type: event.type,
          data: event.data,
          createdAt: new Date(event.at),
        })),
      ),
    );
  if (rows.receipts.length) {
    const signer = receiptSigner();
    const nodeNames = new Map(day.jobs.flatMap((l) => l.attempts.map((a) => [a.node.id, a.node.name])));
    const receipts = [];
    for (const r of rows.receipts) {
      const attempts: ReceiptAttempt[] = r.attempts.map((attempt) => ({
        attempt,
        nodeName: nodeNames.get(attempt.nodeId) ?? '',
        supplier: wallets.get(attempt.supplierAccountId) ?? '',
        refundedMicros: '0',
      }));
      const evidence = new Map<string, VerificationEvidence>();
      for (const nodeId of new Set(r.attempts.map((a) => a.nodeId))) {
        const found = evidenceAt(facts, nodeId, r.at);
        if (found) evidence.set(nodeId, found);
      }
      const payload = receiptPayload({
        job: r.job,
        owner: wallets.get(r.job.ownerAccountId) ?? '',
        attempts,
        evidence,
        ledgerTransactions: r.chargeTxs,
        issuedAt: new Date(r.at),
      });
      const signature = await signer.signMessage({ message: payload });
      receipts.push({
        jobId: r.job.id,
        payload,
        signer: signer.address,
        signature,
        createdAt: new Date(r.at),
      });
    }
    await insertChunks(receipts, 500, (chunk) => tx.insert(jobReceipts).values(chunk));
  }
  return { jobs: day.jobs.length, customers: day.joined.length, lastEventAt };
}
