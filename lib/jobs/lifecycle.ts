import { eq } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  gpuLeases,
  jobAttempts,
  jobs,
  type AttemptState,
  type Job,
  type JobAttempt,
  type JobState,
} from '@/lib/db/schema';
import { captureHold, releaseHold } from '@/lib/ledger/operations';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import { issueReceipt } from '@/lib/receipts/receipt';
import { costOfMs } from '@/lib/scheduler/ranking';

/**
 * The money and state transitions of a job, each applied inside the caller's transaction with the job and
 * attempt rows locked (job first, then attempt — the one lock order everywhere). Metering follows one rule:
 * heartbeat-backed running time accumulates as pending; a checkpoint or the attempt's end settles it (charged
 * from the hold, split between the supplier's payable and the platform fee); a lost host forfeits it, so the
 * customer never pays, and the supplier is never paid, for work that was lost.
 */

export const ACTIVE_ATTEMPT_STATES: readonly AttemptState[] = ['assigned', 'running'];
export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'out_of_budget'];

export function isActiveAttempt(attempt: Pick<JobAttempt, 'state'>): boolean {
  return ACTIVE_ATTEMPT_STATES.includes(attempt.state);
}

export function isFinalJob(job: Pick<Job, 'state'>): boolean {
  return FINAL_JOB_STATES.includes(job.state);
}

export async function lockJob(tx: Db, jobId: string): Promise<Job | undefined> {
  const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
  return job;
}

export async function lockAttempt(tx: Db, attemptId: string): Promise<JobAttempt | undefined> {
  const [attempt] = await tx.select().from(jobAttempts).where(eq(jobAttempts.id, attemptId)).for('update');
  return attempt;
}

/** Budget not yet charged or released: what is still held for the job. */
export function heldMicros(job: Pick<Job, 'budgetMicros' | 'chargedMicros' | 'releasedMicros'>): bigint {
  return job.budgetMicros - job.chargedMicros - job.releasedMicros;
}

/** What the attempt's heartbeat-backed time so far (settled and pending) costs at its locked price. */
export function attemptCostMicros(attempt: JobAttempt, gpuCount: number, extraMs = 0): bigint {
  return costOfMs(attempt.meteredMs + attempt.pendingMs + extraMs, gpuCount, attempt.pricePerGpuHourMicros);
}

/**
 * An assigned attempt's first report: the attempt and its job become running (the job keeps its first start
 * time across attempts), and a `running` event is pushed to `events`. `lastReportAt`, when given, is written
 * with it (the demo history knows an attempt's last report up front).
 */
export async function markAttemptRunning(
  tx: Db,
  job: Job,
  attempt: JobAttempt,
  at: Date,
  events: NewJobEvent[],
  lastReportAt?: Date,
): Promise<void> {
  attempt.state = 'running';
  attempt.runningAt = at;
  await tx
    .update(jobAttempts)
    .set({ state: 'running', runningAt: at, ...(lastReportAt ? { lastReportAt } : {}) })
    .where(eq(jobAttempts.id, attempt.id));
  job.state = 'running';
  job.startedAt ??= at;
  await tx
    .update(jobs)
    .set({ state: 'running', stateReason: null, startedAt: job.startedAt, updatedAt: at })
    .where(eq(jobs.id, job.id));
  events.push({ jobId: job.id, type: 'running', data: { attempt: attempt.number, nodeId: attempt.nodeId } });
}

export interface Settlement {
  /** The attempt's metered time once its pending time is settled. */
  metered: number;
  /** Its cumulative charge, capped at what the hold still covers, and the split of it. */
  total: bigint;
  fee: bigint;
  supplier: bigint;
  /** What this settlement charges on top of the attempt's earlier charges. */
  delta: bigint;
}

/** What settling the attempt's pending time charges (pure: `settlePending` writes it). */
export function settlementOf(
  job: Pick<Job, 'gpuCount' | 'budgetMicros' | 'chargedMicros' | 'releasedMicros'>,
  attempt: Pick<
    JobAttempt,
    'meteredMs' | 'pendingMs' | 'pricePerGpuHourMicros' | 'chargedMicros' | 'takeRateBp'
  >,
): Settlement {
  const metered = attempt.meteredMs + attempt.pendingMs;
  const uncapped = costOfMs(metered, job.gpuCount, attempt.pricePerGpuHourMicros);
  const cap = attempt.chargedMicros + heldMicros(job);
  const total = uncapped < cap ? uncapped : cap;
  const fee = (total * BigInt(attempt.takeRateBp)) / 10_000n;
  return { metered, total, fee, supplier: total - fee, delta: total - attempt.chargedMicros };
}

/** The capture's ledger key: the attempt and its cumulative metered time (the metrics read both from it). */
export function captureKey(attempt: Pick<JobAttempt, 'id'>, meteredMs: number): string {
  return `capture:${attempt.id}:${meteredMs}`;
}

export function captureMemo(job: Pick<Job, 'name'>, attempt: Pick<JobAttempt, 'number'>, meteredMs: number) {
  return `Job "${job.name}" attempt ${attempt.number}: ${Math.round(meteredMs / 1000)} s metered`;
}

/**
 * Settles the attempt's pending time: charges it from the hold (capped at what is still held) and splits it.
 * Amounts are computed from cumulative totals, so rounding never drifts and charge = supplier + fee exactly.
 * Mutates and returns the job and attempt as written.
 */
export async function settlePending(
  tx: Db,
  clock: Clock,
  job: Job,
  attempt: JobAttempt,
  events: NewJobEvent[],
): Promise<void> {
  const { metered, total, fee, supplier, delta } = settlementOf(job, attempt);
  let ledgerTransactionId: string | null = null;
  if (delta > 0n) {
    const posted = await captureHold(tx, clock, {
      customer: job.ownerAccountId,
      supplier: attempt.supplierAccountId,
      supplierMicros: supplier - attempt.supplierMicros,
      feeMicros: fee - attempt.feeMicros,
      memo: captureMemo(job, attempt, metered),
      idempotencyKey: captureKey(attempt, metered),
    });
    ledgerTransactionId = posted.transaction.id;
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
  await tx
    .update(jobAttempts)
    .set({ meteredMs: metered, pendingMs: 0, chargedMicros: total, supplierMicros: supplier, feeMicros: fee })
    .where(eq(jobAttempts.id, attempt.id));
  await tx.update(jobs).set({ chargedMicros: job.chargedMicros }).where(eq(jobs.id, job.id));
  if (pendingMs > 0 || delta > 0n)
    events.push({
      jobId: job.id,
      type: 'charged',
      data: {
        attempt: attempt.number,
        meteredMs: metered,
        chargedMicros: delta.toString(),
        totalChargedMicros: job.chargedMicros.toString(),
        ledgerTransactionId,
      },
    });
}

/**
 * Keeps a checkpoint that the marketplace holds (uploaded and verified): the job resumes from it after a
 * failover, and the attempt's time up to it is settled — charged and paid. One that covers no more than the
 * job's current checkpoint changes nothing. Returns whether it was kept.
 */
export async function keepCheckpoint(
  tx: Db,
  clock: Clock,
  job: Job,
  attempt: JobAttempt,
  checkpoint: { units: number; ref: string },
  events: NewJobEvent[],
): Promise<boolean> {
  if (checkpoint.units <= job.checkpointUnits) return false;
  const units = Math.min(job.workUnits, checkpoint.units);
  job.checkpointUnits = units;
  job.checkpointRef = checkpoint.ref;
  await tx
    .update(jobs)
    .set({ checkpointUnits: units, checkpointRef: checkpoint.ref })
    .where(eq(jobs.id, job.id));
  events.push({
    jobId: job.id,
    type: 'checkpoint',
    data: { attempt: attempt.number, units, ref: checkpoint.ref },
  });
  // The work up to here is saved: its time is charged and paid.
  await settlePending(tx, clock, job, attempt, events);
  return true;
}

/** Ends an attempt in a final state and frees its GPUs. Pending time is forfeited unless settled before. */
export async function endAttempt(
  tx: Db,
  at: Date,
  job: Job,
  attempt: JobAttempt,
  state: AttemptState,
  reason: string,
  events: NewJobEvent[],
): Promise<void> {
  const forfeitedMs = attempt.forfeitedMs + attempt.pendingMs;
  Object.assign(attempt, { state, endReason: reason, endedAt: at, pendingMs: 0, forfeitedMs });
  await tx
    .update(jobAttempts)
    .set({ state, endReason: reason, endedAt: at, pendingMs: 0, forfeitedMs })
    .where(eq(jobAttempts.id, attempt.id));
  await tx.delete(gpuLeases).where(eq(gpuLeases.attemptId, attempt.id));
  events.push({
    jobId: job.id,
    type: 'attempt_ended',
    data: { attempt: attempt.number, state, reason, meteredMs: attempt.meteredMs, forfeitedMs },
  });
}

/**
 * Ends a job: returns whatever is still held to the available balance, records the final state and issues
 * the signed receipt. Idempotent per job through the release's ledger key.
 */
export async function finishJob(
  tx: Db,
  clock: Clock,
  job: Job,
  state: Extract<JobState, 'succeeded' | 'failed' | 'cancelled' | 'out_of_budget'>,
  reason: string,
  events: NewJobEvent[],
): Promise<void> {
  const now = clock.now();
  const remaining = heldMicros(job);
  if (remaining > 0n) {
    await releaseHold(tx, clock, {
      customer: job.ownerAccountId,
      amountMicros: remaining,
      memo: `Unused budget of job "${job.name}" returned`,
      idempotencyKey: `job-release:${job.id}`,
    });
    job.releasedMicros += remaining;
  }
  const progressUnits = state === 'succeeded' ? job.workUnits : job.progressUnits;
  Object.assign(job, { state, stateReason: reason, finishedAt: now, updatedAt: now, progressUnits });
  await tx
    .update(jobs)
    .set({
      state,
      stateReason: reason,
      finishedAt: now,
      updatedAt: now,
      releasedMicros: job.releasedMicros,
      progressUnits,
    })
    .where(eq(jobs.id, job.id));
  events.push({
    jobId: job.id,
    type: state,
    data: {
      reason,
      chargedMicros: job.chargedMicros.toString(),
      releasedMicros: job.releasedMicros.toString(),
    },
  });
  await appendJobEvents(tx, now, events.splice(0));
  await issueReceipt(tx, clock, job.id);
}

/** Puts a job whose host vanished back in the queue from its last checkpoint, or fails it after too many. */
export async function requeueOrFail(
  tx: Db,
  clock: Clock,
  job: Job,
  attempt: JobAttempt,
  maxAttempts: number,
  events: NewJobEvent[],
): Promise<void> {
  const now = clock.now();
  if (job.attemptCount >= maxAttempts) {
    await finishJob(tx, clock, job, 'failed', `Gave up after ${job.attemptCount} hosts were lost.`, events);
    return;
  }
  Object.assign(job, { state: 'queued', progressUnits: job.checkpointUnits, updatedAt: now });
  await tx
    .update(jobs)
    .set({
      state: 'queued',
      stateReason: `Host lost; resuming from the last checkpoint (attempt ${attempt.number + 1} next).`,
      progressUnits: job.checkpointUnits,
      updatedAt: now,
    })
    .where(eq(jobs.id, job.id));
  events.push({
    jobId: job.id,
    type: 'requeued',
    data: { attempt: attempt.number, reason: attempt.endReason, resumeFromUnits: job.checkpointUnits },
  });
}
