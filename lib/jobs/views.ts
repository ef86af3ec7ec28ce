import { and, asc, desc, eq, gt, inArray, isNotNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '@/lib/api/errors';
import { decodeCreatedCursor, isUuid, olderThan, toPage } from '@/lib/api/page-cursor';
import type { Db } from '@/lib/db/client';
import {
  attemptRefunds,
  jobAttempts,
  jobEvents,
  jobReceipts,
  jobs,
  nodes,
  type Job,
  type JobAttempt,
} from '@/lib/db/schema';
import { getAmendments } from '@/lib/receipts/amendment';
import { trustedCheckpoint } from '@/lib/verification/remedies';
import {
  JOB_EVENT_TYPES,
  type AttemptView,
  type JobDetailView,
  type JobEventType,
  type JobEventView,
  type JobView,
  type jobListQuerySchema,
} from '@/lib/jobs/schemas';
import { FINAL_JOB_STATES, heldMicros, isActiveAttempt } from '@/lib/jobs/lifecycle';
import { expectedUnitsPerHour, jobTemplate } from '@/lib/jobs/templates';
import { costOfMs } from '@/lib/scheduler/ranking';

type AttemptRow = { attempt: JobAttempt; nodeName: string; region: string };

function toAttemptView({ attempt: a, nodeName, region }: AttemptRow): AttemptView {
  return {
    id: a.id,
    number: a.number,
    nodeId: a.nodeId,
    nodeName,
    region,
    gpuModel: a.gpuModel,
    gpuIndexes: a.gpuIndexes,
    gpuSerials: a.gpuSerials,
    state: a.state,
    endReason: a.endReason,
    pricePerGpuHourMicros: a.pricePerGpuHourMicros.toString(),
    meteredMs: a.meteredMs,
    pendingMs: a.pendingMs,
    forfeitedMs: a.forfeitedMs,
    chargedMicros: a.chargedMicros.toString(),
    supplierMicros: a.supplierMicros.toString(),
    feeMicros: a.feeMicros.toString(),
    assignedAt: a.assignedAt.toISOString(),
    runningAt: a.runningAt?.toISOString() ?? null,
    endedAt: a.endedAt?.toISOString() ?? null,
    suspectAt: a.suspectAt?.toISOString() ?? null,
  };
}

type SuspectNotice = NonNullable<JobView['suspect']>;

/**
 * The suspect-work notice of each job that has one (a node that ran it was quarantined afterwards): which
 * attempts, what was refunded and not, where a re-run would resume, and the re-run once launched.
 */
async function suspectNotices(db: Db, list: readonly Job[]): Promise<Map<string, SuspectNotice>> {
  const notices = new Map<string, SuspectNotice>();
  const suspect = list.filter((j) => j.suspectAt);
  if (suspect.length === 0) return notices;
  const ids = suspect.map((j) => j.id);
  const [attempts, refunds, reruns] = await Promise.all([
    db
      .select({ jobId: jobAttempts.jobId, number: jobAttempts.number })
      .from(jobAttempts)
      .where(and(inArray(jobAttempts.jobId, ids), isNotNull(jobAttempts.suspectAt)))
      .orderBy(asc(jobAttempts.number)),
    db
      .select({ jobId: attemptRefunds.jobId, uncovered: attemptRefunds.uncoveredMicros })
      .from(attemptRefunds)
      .where(inArray(attemptRefunds.jobId, ids)),
    db
      .select({ id: jobs.id, of: jobs.rerunOfJobId, createdAt: jobs.createdAt })
      .from(jobs)
      .where(inArray(jobs.rerunOfJobId, ids))
      .orderBy(asc(jobs.createdAt)),
  ]);
  for (const job of suspect) {
    const numbers = attempts.filter((a) => a.jobId === job.id).map((a) => a.number);
    const first = numbers[0];
    const trusted = first === undefined ? null : await trustedCheckpoint(db, job.id, first);
    notices.set(job.id, {
      at: (job.suspectAt as Date).toISOString(),
      attempts: numbers,
      refundedMicros: job.refundedMicros.toString(),
      uncoveredMicros: refunds
        .filter((r) => r.jobId === job.id)
        .reduce((total, r) => total + r.uncovered, 0n)
        .toString(),
      trustedCheckpointUnits: trusted?.units ?? 0,
      rerunJobId: reruns.find((r) => r.of === job.id)?.id ?? null,
    });
  }
  return notices;
}

/**
 * Seconds left at the current attempt's observed rate (progress since it started over its running time), or
 * at the reference rate for its GPUs before there is a rate to observe; null when not running.
 */
function etaSeconds(job: Job, attempt: JobAttempt | null): number | null {
  if (!attempt || attempt.state !== 'running' || !attempt.runningAt) return null;
  const remaining = Math.max(0, job.workUnits - job.progressUnits);
  const elapsedMs = (attempt.lastReportAt ?? attempt.runningAt).getTime() - attempt.runningAt.getTime();
  const done = job.progressUnits - attempt.resumedFromUnits;
  const perHour =
    done > 0 && elapsedMs > 0
      ? (done / elapsedMs) * 3_600_000
      : expectedUnitsPerHour(job.template, attempt.gpuModel, job.gpuCount);
  return perHour > 0 ? Math.round((remaining / perHour) * 3_600) : null;
}

export function toJobView(job: Job, current: AttemptRow | null, suspect: SuspectNotice | null): JobView {
  const attempt = current?.attempt ?? null;
  const running = attempt?.state === 'running';
  return {
    id: job.id,
    name: job.name,
    template: job.template,
    unit: jobTemplate(job.template).unit,
    image: job.image,
    command: job.command,
    envKeys: Object.keys(job.env).sort(),
    inputs: job.inputs,
    outputs: job.outputs,
    requirements: {
      gpuModels: job.gpuModels,
      gpuCount: job.gpuCount,
      minVramGb: job.minVramGb,
      region: job.region,
      maxPricePerGpuHourMicros: job.maxPricePerGpuHourMicros?.toString() ?? null,
      nodeId: job.pinnedNodeId,
    },
    budgetMicros: job.budgetMicros.toString(),
    workUnits: job.workUnits,
    specHash: job.specHash,
    state: job.state,
    stateReason: job.stateReason,
    progressUnits: job.progressUnits,
    checkpointUnits: job.checkpointUnits,
    progress: job.workUnits > 0 ? Math.min(1, job.progressUnits / job.workUnits) : 0,
    etaSeconds: etaSeconds(job, attempt),
    chargedMicros: job.chargedMicros.toString(),
    releasedMicros: job.releasedMicros.toString(),
    heldMicros: heldMicros(job).toString(),
    pendingChargeMicros:
      attempt && isActiveAttempt(attempt)
        ? (
            costOfMs(attempt.meteredMs + attempt.pendingMs, job.gpuCount, attempt.pricePerGpuHourMicros) -
            attempt.chargedMicros
          ).toString()
        : '0',
    burnMicrosPerHour: running ? (attempt.pricePerGpuHourMicros * BigInt(job.gpuCount)).toString() : '0',
    attemptCount: job.attemptCount,
    simulated: job.simulated,
    suspect,
    rerunOfJobId: job.rerunOfJobId,
    currentAttempt: current && isActiveAttempt(current.attempt) ? toAttemptView(current) : null,
    queuedAt: job.queuedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

async function attemptsOf(db: Db, jobIds: string[]): Promise<AttemptRow[]> {
  if (jobIds.length === 0) return [];
  return db
    .select({ attempt: jobAttempts, nodeName: nodes.name, region: nodes.region })
    .from(jobAttempts)
    .innerJoin(nodes, eq(nodes.id, jobAttempts.nodeId))
    .where(inArray(jobAttempts.jobId, jobIds))
    .orderBy(asc(jobAttempts.jobId), asc(jobAttempts.number));
}

/** The caller's job, or 404 — also for another account's job, so ids reveal nothing. */
export async function getOwnJob(db: Db, accountId: string, jobId: string): Promise<Job> {
  if (!isUuid(jobId)) throw new AppError('not_found', 'No such job.');
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.ownerAccountId, accountId)));
  if (!job) throw new AppError('not_found', 'No such job.');
  return job;
}

export async function getJobDetail(db: Db, accountId: string, jobId: string): Promise<JobDetailView> {
  const job = await getOwnJob(db, accountId, jobId);
  const [attempts, receipt, notices] = await Promise.all([
    attemptsOf(db, [job.id]),
    db.select({ jobId: jobReceipts.jobId }).from(jobReceipts).where(eq(jobReceipts.jobId, job.id)),
    suspectNotices(db, [job]),
  ]);
  return {
    ...toJobView(job, attempts.at(-1) ?? null, notices.get(job.id) ?? null),
    attempts: attempts.map(toAttemptView),
    receiptAvailable: receipt.length > 0,
  };
}

const ACTIVE = ['queued', 'scheduled', 'running'] as const;

/** The caller's jobs, newest first, keyset-paginated, filtered by state (or state group) and template. */
export async function listJobs(
  db: Db,
  accountId: string,
  query: z.infer<typeof jobListQuerySchema>,
): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCreatedCursor(query.cursor) : null;
  const conditions: (SQL | undefined)[] = [eq(jobs.ownerAccountId, accountId)];
  if (query.state === 'active') conditions.push(inArray(jobs.state, [...ACTIVE]));
  else if (query.state === 'finished') conditions.push(inArray(jobs.state, [...FINAL_JOB_STATES]));
  else if (query.state) conditions.push(eq(jobs.state, query.state));
  if (query.template) conditions.push(eq(jobs.template, query.template));
  if (after) conditions.push(olderThan(jobs.createdAt, jobs.id, after));
  const rows = await db
    .select()
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(query.limit + 1);
  const shown = rows.slice(0, query.limit);
  const [attempts, notices] = await Promise.all([
    attemptsOf(
      db,
      shown.map((r) => r.id),
    ),
    suspectNotices(db, shown),
  ]);
  const latest = new Map<string, AttemptRow>();
  for (const row of attempts) latest.set(row.attempt.jobId, row);
  return toPage(rows, query.limit, (job) =>
    toJobView(job, latest.get(job.id) ?? null, notices.get(job.id) ?? null),
  );
}

function toEventView(row: typeof jobEvents.$inferSelect): JobEventView {
  return {
    id: row.id,
    jobId: row.jobId,
    type: row.type as JobEventType,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Events of a job after an id, oldest first (the stream's backlog, the log viewer's pages). */
export async function listJobEvents(
  db: Db,
  jobId: string,
  options: { after: number; types?: readonly string[]; limit: number },
): Promise<{ items: JobEventView[]; lastId: number }> {
  const types = options.types?.filter((t): t is JobEventType =>
    (JOB_EVENT_TYPES as readonly string[]).includes(t),
  );
  const rows = await db
    .select()
    .from(jobEvents)
    .where(
      and(
        eq(jobEvents.jobId, jobId),
        gt(jobEvents.id, options.after),
        types?.length ? inArray(jobEvents.type, types) : undefined,
      ),
    )
    .orderBy(asc(jobEvents.id))
    .limit(options.limit);
  const items = rows.map(toEventView);
  return { items, lastId: items.at(-1)?.id ?? options.after };
}

/** The newest `limit` log events of a job, oldest first (the first paint of the log viewer). */
export async function recentLogEvents(db: Db, jobId: string, limit: number): Promise<JobEventView[]> {
  const rows = await db
    .select()
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.type, 'log')))
    .orderBy(desc(jobEvents.id))
    .limit(limit);
  return rows.reverse().map(toEventView);
}

/** All log lines of a job as text: `<time> <attempt> <stream> <line>`. */
export async function jobLogText(db: Db, jobId: string): Promise<string> {
  const out: string[] = [];
  let after = 0;
  for (;;) {
    const page = await listJobEvents(db, jobId, { after, types: ['log'], limit: 1_000 });
    for (const event of page.items) {
      const data = event.data as { attempt?: number; lines?: { at: string; stream: string; text: string }[] };
      for (const line of data.lines ?? [])
        out.push(`${line.at} #${data.attempt ?? '?'} ${line.stream} ${line.text}`);
    }
    if (page.items.length < 1_000) break;
    after = page.lastId;
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export async function getReceipt(db: Db, jobId: string) {
  const [row] = await db.select().from(jobReceipts).where(eq(jobReceipts.jobId, jobId));
  if (!row) throw new AppError('not_found', 'The receipt is issued when the job ends.');
  return {
    payload: row.payload,
    signer: row.signer,
    signature: row.signature,
    receipt: JSON.parse(row.payload) as Record<string, unknown>,
    amendments: await getAmendments(db, jobId),
  };
}
