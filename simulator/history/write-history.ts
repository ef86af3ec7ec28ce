import { eq } from 'drizzle-orm';
import type { ManualClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, jobEvents, jobs, type Job, type JobAttempt } from '@/lib/db/schema';
import { DEMO_FUNDING_MEMO } from '@/lib/simulation/control';
import type { AttemptLife, HistoryDay, HistoryDeposit, JobLife } from '@/simulator/history/history-types';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import type { NewJobEvent } from '@/lib/jobs/events';
import { launchJob } from '@/lib/jobs/launch';
import {
  endAttempt,
  finishJob,
  markAttemptRunning,
  requeueOrFail,
  settlePending,
} from '@/lib/jobs/lifecycle';
import { creditSimulatedFunding, debitSimulatedPayout } from '@/lib/ledger/operations';
import { writePlacements, type NodeCapacity, type Placement } from '@/lib/scheduler/schedule';
import { HISTORY_PAYOUT_MEMO, historyPayoutKey, payoutAmounts } from '@/simulator/history/payouts';

/**
 * Writes one simulated day through the live domain functions, with a manual clock set to each event's
 * simulated time: the day's sign-ups, their simulated funding (`creditSimulatedFunding`, ledger-only), and
 * each job launched that day, its whole life — `launchJob` (spec checks, the budget hold), the placement (`writePlacements`, without
 * GPU leases: the attempt ends in the same transaction), the running report, checkpoints settling the time
 * run so far (`settlePending`: captures to the supplier and the platform), and the end — `endAttempt`,
 * `requeueOrFail` after a lost host, `finishJob` (the unused budget back, the signed receipt) — then the demo
 * suppliers' withdrawals (`debitSimulatedPayout`, ledger-only; amounts from `payoutAmounts`). The caller
 * runs it in one transaction, so a day is written entirely or not at all, and no history job is ever
 * committed while queued (where the live scheduler would take it).
 */

/** Memo of the ledger-only funding of simulated customers (no on-chain transfer: published as simulated). */
export const HISTORY_FUNDING_MEMO = DEMO_FUNDING_MEMO;

export function historyFundingKey(deposit: HistoryDeposit): string {
  return `demo-history-funding:${deposit.customer.id}:${deposit.number}`;
}

export interface DayWritten {
  jobs: number;
  customers: number;
  /** The latest simulated instant written (a job may end days after the day it was launched). */
  lastEventAt: number;
}

/** The day's sign-ups, as demo accounts (both writers). */
export async function insertJoinedCustomers(tx: Db, day: HistoryDay): Promise<void> {
  if (day.joined.length)
    await tx.insert(accounts).values(
      day.joined.map((c) => ({
        id: c.id,
        walletAddress: c.walletAddress,
        displayName: c.displayName,
        isDemo: true,
        createdAt: new Date(c.joinAt),
      })),
    );
}

export async function writeHistoryDay(
  tx: Db,
  clock: ManualClock,
  config: OrchestrationConfig,
  day: HistoryDay,
): Promise<DayWritten> {
  await insertJoinedCustomers(tx, day);
  let lastEventAt = day.start;
  // Funding first when it happens at the same instant as a launch: the money is there before the hold.
  const items = [
    ...day.deposits.map((deposit) => ({ at: deposit.at, order: 0, deposit, job: null })),
    ...day.jobs.map((job) => ({ at: job.launchAt, order: 1, deposit: null, job })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  for (const item of items) {
    if (item.deposit) {
      clock.set(item.deposit.at);
      await creditSimulatedFunding(tx, clock, {
        customer: item.deposit.customer.id,
        amountMicros: item.deposit.amountMicros,
        memo: HISTORY_FUNDING_MEMO,
        idempotencyKey: historyFundingKey(item.deposit),
      });
    } else if (item.job) {
      await writeJobLife(tx, clock, config, item.job);
      lastEventAt = Math.max(lastEventAt, item.job.endedAt);
    }
  }
  // After the jobs: each withdrawal takes what its supplier had earned by its instant.
  for (const { payout, amountMicros } of await payoutAmounts(tx, day.payouts)) {
    clock.set(payout.at);
    await debitSimulatedPayout(tx, clock, {
      supplier: payout.supplier,
      amountMicros,
      memo: HISTORY_PAYOUT_MEMO,
      idempotencyKey: historyPayoutKey(payout),
    });
  }
  return { jobs: day.jobs.length, customers: day.joined.length, lastEventAt };
}

/**
 * A job's events, each with the simulated time it happened. The lifecycle functions push into `events` and
 * `finishJob` writes what it finds there at the job's end time, so everything before is written first, with
 * its own times, in one insert — the order of the ids is the order of the events.
 */
class EventLog {
  readonly events: NewJobEvent[] = [];
  private readonly timed: { event: NewJobEvent; at: number }[] = [];

  constructor(
    private readonly tx: Db,
    readonly jobId: string,
  ) {}

  push(type: NewJobEvent['type'], data: Record<string, unknown>): void {
    this.events.push({ jobId: this.jobId, type, data });
  }

  /** What is pending happened at `at`. */
  stamp(at: number): void {
    for (const event of this.events.splice(0)) this.timed.push({ event, at });
  }

  /** Writes the stamped events (before a lifecycle function writes its own). */
  async write(): Promise<void> {
    const rows = this.timed.splice(0);
    if (rows.length === 0) return;
    await this.tx.insert(jobEvents).values(
      rows.map(({ event, at }) => ({
        jobId: event.jobId,
        type: event.type,
        data: event.data ?? {},
        createdAt: new Date(at),
      })),
    );
  }
}

/** The attempt row `writePlacements` just inserted, as the lifecycle functions keep it in memory. */
function placedAttempt(placement: Placement, takeRateBp: number, at: Date): JobAttempt {
  return {
    id: placement.attemptId,
    jobId: placement.jobId,
    number: placement.attemptNumber,
    nodeId: placement.node.id,
    supplierAccountId: placement.node.ownerAccountId,
    gpuIndexes: placement.gpuIndexes,
    // Only the receipt reads serials, from the row.
    gpuSerials: [],
    gpuModel: placement.node.gpuModel,
    fencingToken: placement.fencingToken,
    pricePerGpuHourMicros: placement.pricePerGpuHourMicros,
    takeRateBp,
    state: 'assigned',
    endReason: null,
    resumedFromUnits: placement.resumeFromUnits,
    pendingMs: 0,
    meteredMs: 0,
    forfeitedMs: 0,
    chargedMicros: 0n,
    supplierMicros: 0n,
    feeMicros: 0n,
    resultDigest: null,
    lastReportAt: null,
    suspectAt: null,
    assignedAt: at,
    runningAt: null,
    endedAt: null,
  };
}

/** The node as the placement writer needs it (ranking is done: only identity and hardware matter here). */
function placedOn(life: AttemptLife): NodeCapacity {
  const { node } = life;
  return { ...node, score: 0, free: new Set(), reservedFor: null };
}

async function writeJobLife(
  tx: Db,
  clock: ManualClock,
  config: OrchestrationConfig,
  life: JobLife,
): Promise<void> {
  clock.set(life.launchAt);
  const job: Job = await launchJob(tx, clock, {
    accountId: life.customer.id,
    spec: life.planned.spec,
    simulated: true,
  });
  const log = new EventLog(tx, job.id);
  for (const attemptLife of life.attempts) {
    const ended = await writeAttempt(tx, clock, config, job, attemptLife, life, log);
    if (ended) break;
  }
  if (job.state === 'queued' && life.state === 'queued') {
    // Waiting for a GPU when the history ended: the live scheduler takes it from here.
    await log.write();
  } else if (job.state === 'queued') {
    // Cancelled while waiting for a GPU (nothing ran since the last requeue).
    clock.set(life.endedAt);
    await log.write();
    log.push('cancel_requested', {});
    await finishJob(tx, clock, job, 'cancelled', 'Cancelled by the customer.', log.events);
  }
  if (job.chargedMicros !== life.chargedMicros || job.state !== life.state)
    throw new Error(
      `History job ${life.seq} was written as ${job.state} charging ${job.chargedMicros}, ` +
        `but simulated as ${life.state} charging ${life.chargedMicros}.`,
    );
}

/** Why a history attempt still running at the history's end was stopped. */
export const HANDOVER_REASON =
  'The simulated history ended while this ran; the job continues on the live network from its last checkpoint.';

/** The state reason of a job handed to the live network. */
export function handedOverState(job: Pick<Job, 'attemptCount'>): string {
  return `Handed over from the simulated history; resuming from the last checkpoint (attempt ${job.attemptCount + 1} next).`;
}

/** Why an attempt ended with its host lost, as the liveness check words it. */
export function hostLostReason(life: AttemptLife): string {
  const { end } = life;
  const since = end.lastReportAt ?? life.assignedAt;
  const seconds = Math.round((end.at - since) / 1000);
  return end.lastReportAt === null
    ? `The agent did not start the assignment: no heartbeat for ${seconds} s, host lost.`
    : `No heartbeat for ${seconds} s: host lost.`;
}

/** Writes one attempt; answers whether the job has ended with it. */
async function writeAttempt(
  tx: Db,
  clock: ManualClock,
  config: OrchestrationConfig,
  job: Job,
  life: AttemptLife,
  jobLife: JobLife,
  log: EventLog,
): Promise<boolean> {
  const number = job.attemptCount + 1;
  const fencingToken = job.fencingToken + 1;
  // What happened before this placement (the previous attempt's end, the requeue) is written first, so the
  // job's events are in the order they happened.
  await log.write();
  const [placed] = await writePlacements(
    tx,
    new Date(life.assignedAt),
    config,
    [
      {
        jobId: job.id,
        attemptNumber: number,
        fencingToken,
        node: placedOn(life),
        gpuIndexes: life.gpuIndexes,
        resumeFromUnits: life.resumeFromUnits,
        pricePerGpuHourMicros: life.node.price,
      },
    ],
    { leases: false },
  );
  if (!placed) throw new Error(`History job ${jobLife.seq}: placement ${number} was not written.`);
  Object.assign(job, { state: 'scheduled', stateReason: null, fencingToken, attemptCount: number });
  const attempt = placedAttempt(placed, config.takeRateBp, new Date(life.assignedAt));
  let lastReportAt: number | null = null;

  /** A lease report at `at`: heartbeat-backed time since the previous one becomes pending, progress moves. */
  const report = (at: number, progressUnits: number) => {
    if (lastReportAt !== null) attempt.pendingMs += at - lastReportAt;
    lastReportAt = at;
    attempt.lastReportAt = new Date(at);
    if (progressUnits !== job.progressUnits) {
      job.progressUnits = progressUnits;
      log.push('progress', { attempt: number, progressUnits });
    }
  };

  if (life.runningAt !== null) {
    // The agent picked the assignment up: its first report starts the attempt running.
    const at = new Date(life.runningAt);
    // Its last report is known already: written once here rather than at every report.
    const last = new Date(life.end.lastReportAt ?? life.runningAt);
    await markAttemptRunning(tx, job, attempt, at, log.events, last);
    attempt.lastReportAt = at;
    report(life.runningAt, life.resumeFromUnits);
    log.stamp(life.runningAt);
  }

  for (const checkpoint of life.checkpoints) {
    clock.set(checkpoint.at);
    report(checkpoint.at, checkpoint.units);
    const ref = `ckpt-${checkpoint.units}`;
    Object.assign(job, { checkpointUnits: checkpoint.units, checkpointRef: ref });
    await tx
      .update(jobs)
      .set({
        progressUnits: checkpoint.units,
        checkpointUnits: checkpoint.units,
        checkpointRef: ref,
        updatedAt: new Date(checkpoint.at),
      })
      .where(eq(jobs.id, job.id));
    log.push('checkpoint', { attempt: number, units: checkpoint.units, ref });
    // The work up to here is saved: its time is charged and paid.
    await settlePending(tx, clock, job, attempt, log.events);
    log.stamp(checkpoint.at);
  }

  const { end } = life;
  if (end.lastReportAt !== null && end.lastReportAt !== lastReportAt) {
    report(end.lastReportAt, end.progressUnits);
    log.stamp(end.lastReportAt);
  }
  clock.set(end.at);
  const at = new Date(end.at);

  switch (end.kind) {
    case 'completed':
    case 'failed': {
      await settlePending(tx, clock, job, attempt, log.events);
      const ok = end.kind === 'completed';
      const reason = ok
        ? 'The workload finished.'
        : `The workload exited with code 1: ${jobLife.error ?? 'unknown error'}.`;
      await endAttempt(tx, at, job, attempt, ok ? 'completed' : 'failed', reason, log.events);
      log.stamp(end.at);
      await log.write();
      await finishJob(tx, clock, job, ok ? 'succeeded' : 'failed', reason, log.events);
      return true;
    }
    case 'out_of_budget': {
      await settlePending(tx, clock, job, attempt, log.events);
      const pct = Math.floor((job.progressUnits / job.workUnits) * 100);
      const reason = `Budget exhausted at ${pct} % progress.`;
      await endAttempt(tx, at, job, attempt, 'out_of_budget', reason, log.events);
      log.stamp(end.at);
      await log.write();
      await finishJob(tx, clock, job, 'out_of_budget', reason, log.events);
      return true;
    }
    case 'cancelled': {
      const reason = 'Cancelled by the customer.';
      log.push('cancel_requested', {});
      await settlePending(tx, clock, job, attempt, log.events);
      await endAttempt(tx, at, job, attempt, 'cancelled', reason, log.events);
      log.stamp(end.at);
      await log.write();
      await finishJob(tx, clock, job, 'cancelled', reason, log.events);
      return true;
    }
    case 'preempted': {
      // The history ended here: the job goes back to the queue from its last checkpoint, for the live network.
      await endAttempt(tx, at, job, attempt, 'preempted', HANDOVER_REASON, log.events);
      log.stamp(end.at);
      Object.assign(job, { state: 'queued', progressUnits: job.checkpointUnits, updatedAt: at });
      await tx
        .update(jobs)
        .set({
          state: 'queued',
          stateReason: handedOverState(job),
          progressUnits: job.checkpointUnits,
          updatedAt: at,
        })
        .where(eq(jobs.id, job.id));
      log.push('requeued', {
        attempt: number,
        reason: HANDOVER_REASON,
        resumeFromUnits: job.checkpointUnits,
      });
      log.stamp(end.at);
      await log.write();
      return true;
    }
    case 'host_lost': {
      await endAttempt(tx, at, job, attempt, 'host_lost', hostLostReason(life), log.events);
      log.stamp(end.at);
      // After its last placement the job fails here, and finishJob writes the events it finds.
      if (job.attemptCount >= config.maxAttempts) await log.write();
      await requeueOrFail(tx, clock, job, attempt, config.maxAttempts, log.events);
      log.stamp(end.at);
      return job.state !== 'queued';
    }
  }
}
