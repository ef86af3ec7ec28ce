import { and, eq, inArray } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { jobAttempts, jobs, nodes, type JobAttempt, type Node } from '@/lib/db/schema';
import { setNodeStatus } from '@/lib/agent/node-status';
import type {
  Assignment,
  Cancellation,
  HeartbeatRequest,
  HeartbeatResponse,
  LeaseReport,
} from '@/lib/agent/schemas';
import type { FilesConfig } from '@/lib/files/config';
import { leaseDownloads, recordAttemptOutputs } from '@/lib/files/lease-files';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import type { BlobStore } from '@/lib/storage/store';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import { loseAttempt } from '@/lib/jobs/liveness';
import {
  ACTIVE_ATTEMPT_STATES,
  attemptCostMicros,
  endAttempt,
  finishJob,
  isActiveAttempt,
  lockAttempt,
  markAttemptRunning,
  settlePending,
} from '@/lib/jobs/lifecycle';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { syncOfferCapacity } from '@/lib/scheduler/offer-capacity';
import { judgeCanary, maybeQueueCanary, type CanaryVerdict } from '@/lib/verification/canary';
import { answerChallenge, deliverChallenge } from '@/lib/verification/challenges';
import { quarantineNode } from '@/lib/verification/quarantine';

/** How often an idle node heartbeats: less often than a busy one, but at least three times per window. */
export function idleHeartbeatIntervalMs(config: OrchestrationConfig): number {
  return Math.max(
    config.heartbeatIntervalMs,
    Math.min(3 * config.heartbeatIntervalMs, Math.floor(config.lostAfterMs / 3)),
  );
}

/** Why an agent must stop a workload it reported, from the attempt's final state. */
function cancellationReason(attempt: JobAttempt): Cancellation['reason'] {
  if (attempt.state === 'cancelled') return 'cancelled';
  if (attempt.state === 'out_of_budget') return 'out_of_budget';
  return 'lease_lost';
}

/**
 * Processes one heartbeat of an authenticated node as one unit, in one transaction: its lease reports are
 * applied — fenced: a report whose token is not the job's current one, or for a lease that has ended, changes
 * nothing and earns nothing — then the node is marked alive (a lost or offline node comes back online) and its
 * telemetry stored, and the reply carries the node's assignments and the workloads it must stop. If any part
 * fails, nothing is recorded — liveness included: a node whose reports cannot be accepted goes silent and its
 * leases fail over, instead of looking alive while its leases freeze.
 */
export function processHeartbeat(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  files: LeaseFileAccess,
  node: Node,
  request: HeartbeatRequest,
): Promise<HeartbeatResponse> {
  return db.transaction((tx) => applyHeartbeat(tx, clock, config, files, { ...node }, request));
}

/** The blob store and limits a heartbeat needs: outputs to record, and signed URLs for each assignment. */
export interface LeaseFileAccess {
  store: BlobStore;
  config: FilesConfig;
  /** The origin the agent called, for the embedded store's URLs (null: the configured one). */
  origin: string | null;
}

async function applyHeartbeat(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  files: LeaseFileAccess,
  node: Node,
  request: HeartbeatRequest,
): Promise<HeartbeatResponse> {
  const now = clock.now();
  const cancellations: Cancellation[] = [];
  const freed = new Set<string>();
  /** Why the node must be quarantined after this heartbeat, if a check it just finished failed. */
  let failedCheck: string | null = null;
  for (const report of request.leases) {
    const outcome = await applyLeaseReport(db, clock, config, files, node, report, request.telemetry);
    if (outcome.cancel) cancellations.push({ attemptId: report.attemptId, reason: outcome.cancel });
    if (outcome.freedGpus) freed.add(node.id);
    if (outcome.canary?.result === 'fail') failedCheck = outcome.canary.detail;
  }
  if (request.benchmark) {
    const verdict = await answerChallenge(db, clock, config, node, request.benchmark);
    if (verdict?.result === 'fail') failedCheck = verdict.detail;
  }
  if (failedCheck && node.status !== 'quarantined') {
    await quarantineNode(db, clock, config, node.id, failedCheck);
    node.status = 'quarantined';
  }
  // Liveness last: only a heartbeat whose reports were all accepted counts.
  const wanted = request.status === 'draining' ? 'offline' : 'online';
  const statusChanged = node.status !== wanted && node.status !== 'quarantined';
  await db
    .update(nodes)
    .set({
      lastHeartbeatAt: now,
      lastTelemetry: request.telemetry,
      ...(request.agentVersion ? { agentVersion: request.agentVersion } : {}),
    })
    .where(eq(nodes.id, node.id));
  if (statusChanged) {
    await setNodeStatus(db, node.id, wanted, now);
    await refreshOffers(db, clock, [node.id]);
  }

  const reported = new Set(request.leases.map((l) => l.attemptId));
  // The node's active attempts with their jobs, in one query: those it no longer reports are failed over,
  // those still waiting to be picked up are handed out.
  const active = await db
    .select({ attempt: jobAttempts, job: jobs })
    .from(jobAttempts)
    .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
    .where(and(eq(jobAttempts.nodeId, node.id), inArray(jobAttempts.state, [...ACTIVE_ATTEMPT_STATES])));
  const assigned: typeof active = [];
  // A lease the agent no longer reports is gone (the agent restarted, or the host was replaced): fail it over
  // now rather than wait for a silence that will never come. So is an assignment never picked up.
  for (const row of active) {
    const { attempt } = row;
    if (reported.has(attempt.id)) continue;
    const dropped = attempt.state === 'running';
    const ignored = now.getTime() - attempt.assignedAt.getTime() > config.lostAfterMs;
    if (!dropped && !ignored) {
      assigned.push(row);
      continue;
    }
    const outcome = await loseAttempt(db, clock, config, attempt, () =>
      dropped
        ? 'The agent stopped reporting this lease (restarted or replaced): host lost.'
        : `The agent did not start the assignment within ${config.lostAfterMs / 1000} s.`,
    );
    if (outcome) {
      freed.add(node.id);
      cancellations.push({ attemptId: attempt.id, reason: 'lease_lost' });
    }
  }
  if (freed.size) await syncOfferCapacity(db, clock, [...freed]);
  const assignments: Assignment[] = [];
  for (const { attempt, job } of assigned) {
    const downloads = await leaseDownloads(
      db,
      files.store,
      files.config,
      files.origin,
      job,
      attempt.resumedFromUnits,
    );
    assignments.push({
      attemptId: attempt.id,
      jobId: job.id,
      fencingToken: attempt.fencingToken,
      template: job.template,
      image: job.image,
      command: job.command,
      env: job.env,
      gpuIndexes: attempt.gpuIndexes,
      workUnits: job.workUnits,
      inputs: downloads.inputs,
      resumeFrom: {
        units: attempt.resumedFromUnits,
        ref: attempt.resumedFromUnits > 0 ? (downloads.checkpoint?.name ?? job.checkpointRef) : null,
        checkpoint: attempt.resumedFromUnits > 0 ? downloads.checkpoint : null,
      },
    });
  }
  const benchmark = node.status === 'quarantined' ? null : await deliverChallenge(db, clock, config, node.id);
  return {
    serverTime: now.toISOString(),
    // An idle node checks in less often (still three times per lost-after window); a busy or benchmarking
    // one reports often.
    heartbeatIntervalMs:
      assignments.length || request.leases.length || benchmark
        ? config.heartbeatIntervalMs
        : idleHeartbeatIntervalMs(config),
    assignments,
    cancellations,
    benchmark,
  };
}

interface ReportOutcome {
  cancel: Cancellation['reason'] | null;
  freedGpus: boolean;
  /** A canary's verdict, when this report finished one. */
  canary?: CanaryVerdict | null;
}

async function applyLeaseReport(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  files: LeaseFileAccess,
  node: Node,
  report: LeaseReport,
  telemetry: HeartbeatRequest['telemetry'],
): Promise<ReportOutcome> {
  // Already inside the heartbeat's transaction: a failure here fails the whole heartbeat, so no savepoint.
  const now = clock.now();
  // The job, locked, found through the attempt — only if it is this node's lease.
  const [job] = await db
    .select()
    .from(jobs)
    .where(
      inArray(
        jobs.id,
        db
          .select({ id: jobAttempts.jobId })
          .from(jobAttempts)
          .where(and(eq(jobAttempts.id, report.attemptId), eq(jobAttempts.nodeId, node.id))),
      ),
    )
    .for('update');
  // Not this node's lease (or none at all): nothing to apply, and nothing to earn.
  if (!job) return { cancel: 'stale_token', freedGpus: false };
  const attempt = (await lockAttempt(db, report.attemptId)) as JobAttempt;
  if (attempt.fencingToken !== report.fencingToken || job.fencingToken !== report.fencingToken)
    return { cancel: 'stale_token', freedGpus: false };
  if (!isActiveAttempt(attempt)) return { cancel: cancellationReason(attempt), freedGpus: false };

  const events: NewJobEvent[] = [];
  if (attempt.state === 'assigned') {
    await markAttemptRunning(db, job, attempt, now, events);
  } else if (attempt.lastReportAt) {
    // Heartbeat-backed time: never more than the lost-after window between two reports.
    const gap = Math.min(now.getTime() - attempt.lastReportAt.getTime(), config.lostAfterMs);
    attempt.pendingMs += Math.max(0, gap);
  }
  attempt.lastReportAt = now;
  await db
    .update(jobAttempts)
    .set({ lastReportAt: now, pendingMs: attempt.pendingMs })
    .where(eq(jobAttempts.id, attempt.id));

  const progress = Math.min(job.workUnits, Math.max(attempt.resumedFromUnits, report.progressUnits));
  if (progress !== job.progressUnits) {
    job.progressUnits = progress;
    await db.update(jobs).set({ progressUnits: progress, updatedAt: now }).where(eq(jobs.id, job.id));
    events.push({
      jobId: job.id,
      type: 'progress',
      data: { attempt: attempt.number, progressUnits: progress },
    });
  }
  if (report.logs.length)
    events.push({ jobId: job.id, type: 'log', data: { attempt: attempt.number, lines: report.logs } });
  const gpus = telemetry.filter((t) => attempt.gpuIndexes.includes(t.index));
  if (gpus.length)
    events.push({
      jobId: job.id,
      type: 'telemetry',
      data: { attempt: attempt.number, nodeId: node.id, gpus },
    });

  if (report.state === 'completed' || report.state === 'failed') {
    await settlePending(db, clock, job, attempt, events);
    const ok = report.state === 'completed';
    if (ok) {
      // What the workload wrote and the agent uploaded (each acknowledged before this report was sent).
      job.outputs = await recordAttemptOutputs(db, clock, files.config, attempt);
      await db.update(jobs).set({ outputs: job.outputs }).where(eq(jobs.id, job.id));
    }
    if (ok && report.result) {
      attempt.resultDigest = report.result;
      await db.update(jobAttempts).set({ resultDigest: report.result }).where(eq(jobAttempts.id, attempt.id));
    }
    const reason = ok
      ? 'The workload finished.'
      : `The workload exited with code ${report.exitCode ?? 'unknown'}${report.error ? `: ${report.error}` : ''}.`;
    await endAttempt(db, now, job, attempt, ok ? 'completed' : 'failed', reason, events);
    await finishJob(db, clock, job, ok ? 'succeeded' : 'failed', reason, events);
    const canary = await judgeCanary(db, clock, job, attempt, { completed: ok, result: report.result });
    await maybeQueueCanary(db, clock, config, attempt);
    return { cancel: null, freedGpus: true, canary };
  }

  // Canaries are unpaid: no budget to run out of.
  if (job.kind === 'canary') {
    await appendJobEvents(db, now, events);
    return { cancel: null, freedGpus: false };
  }
  // Stop before the budget runs out: keep a margin of two heartbeats of spend.
  const chargedElsewhere = job.chargedMicros - attempt.chargedMicros;
  const projected =
    chargedElsewhere + attemptCostMicros(attempt, job.gpuCount, 2 * config.heartbeatIntervalMs);
  if (projected >= job.budgetMicros) {
    await settlePending(db, clock, job, attempt, events);
    const pct = Math.floor((job.progressUnits / job.workUnits) * 100);
    const reason = `Budget exhausted at ${pct} % progress.`;
    await endAttempt(db, now, job, attempt, 'out_of_budget', reason, events);
    await finishJob(db, clock, job, 'out_of_budget', reason, events);
    return { cancel: 'out_of_budget', freedGpus: true };
  }
  await appendJobEvents(db, now, events);
  return { cancel: null, freedGpus: false };
}
