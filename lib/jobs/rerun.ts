import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { jobs, nodes, type Job } from '@/lib/db/schema';
import { appendJobEvent } from '@/lib/jobs/events';
import { launchJob } from '@/lib/jobs/launch';
import { FINAL_JOB_STATES } from '@/lib/jobs/lifecycle';
import { isUniqueViolation } from '@/lib/ledger/post-transaction';
import type { JobSpec } from '@/lib/jobs/schemas';
import { getOwnJob } from '@/lib/jobs/views';
import { firstSuspectAttempt, trustedCheckpoint } from '@/lib/verification/remedies';

const RERUN_SUFFIX = ' (re-run)';
const MAX_NAME = 80;

/** The spec a job was launched with, as far as a re-run needs it (inputs by file id or URL, env values kept). */
function specOf(job: Job, dropPin: boolean): JobSpec {
  const base = job.name.slice(0, MAX_NAME - RERUN_SUFFIX.length);
  return {
    name: `${base}${RERUN_SUFFIX}`,
    template: job.template,
    image: job.image,
    command: job.command,
    env: job.env,
    workUnits: job.workUnits,
    inputs: job.inputs.map((input) =>
      input.fileId
        ? { fileId: input.fileId, name: input.name }
        : { url: input.url ?? '', name: input.name, ...(input.sha256 ? { sha256: input.sha256 } : {}) },
    ),
    budgetMicros: job.budgetMicros.toString(),
    requirements: {
      gpuModels: job.gpuModels as JobSpec['requirements']['gpuModels'],
      gpuCount: job.gpuCount,
      minVramGb: job.minVramGb,
      ...(job.region ? { region: job.region as JobSpec['requirements']['region'] } : {}),
      ...(job.maxPricePerGpuHourMicros
        ? { maxPricePerGpuHourMicros: job.maxPricePerGpuHourMicros.toString() }
        : {}),
      ...(job.pinnedNodeId && !dropPin ? { nodeId: job.pinnedNodeId } : {}),
    },
  };
}

/**
 * Re-runs a finished job whose work became suspect (a node that ran it was quarantined afterwards): a new job
 * with the same spec and budget, held from the available balance (where the refund went), that resumes from
 * the last checkpoint written before the first suspect attempt, or from the start when none is kept. A job pinned
 * to the quarantined node loses the pin. One re-run per job: a second request gets 409 with the first one's id.
 */
export async function rerunSuspectJob(
  db: Db,
  clock: Clock,
  input: { accountId: string; jobId: string },
): Promise<Job> {
  const job = await getOwnJob(db, input.accountId, input.jobId);
  if (!job.suspectAt)
    throw new AppError('conflict', 'Nothing of this job is suspect: there is nothing to re-run.');
  if (!(FINAL_JOB_STATES as readonly string[]).includes(job.state))
    throw new AppError(
      'conflict',
      'The job is still running: it already resumes from the last checkpoint a trusted node wrote.',
    );
  const [existing] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.rerunOfJobId, job.id));
  if (existing) throw new AppError('conflict', `This job was already re-run as ${existing.id}.`);
  const first = await firstSuspectAttempt(db, job.id);
  const checkpoint = first === null ? null : await trustedCheckpoint(db, job.id, first);
  let dropPin = false;
  if (job.pinnedNodeId) {
    const [pinned] = await db
      .select({ status: nodes.status })
      .from(nodes)
      .where(eq(nodes.id, job.pinnedNodeId));
    dropPin = pinned?.status === 'quarantined';
  }
  try {
    const rerun = await launchJob(db, clock, {
      accountId: input.accountId,
      spec: specOf(job, dropPin),
      simulated: job.simulated,
      rerun: { ofJobId: job.id, checkpoint },
    });
    await appendJobEvent(db, clock.now(), {
      jobId: job.id,
      type: 'rerun',
      data: { rerunJobId: rerun.id, resumeFromUnits: checkpoint?.units ?? 0 },
    });
    return rerun;
  } catch (error) {
    if (isUniqueViolation(error)) {
      const [winner] = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.rerunOfJobId, job.id));
      throw new AppError('conflict', `This job was already re-run as ${winner?.id ?? 'another job'}.`);
    }
    throw error;
  }
}
