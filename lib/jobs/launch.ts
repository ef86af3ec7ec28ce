import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, jobs, nodes, storedFiles, type Job } from '@/lib/db/schema';
import { placeHold } from '@/lib/ledger/operations';
import { appendJobEvent } from '@/lib/jobs/events';
import type { JobSpec } from '@/lib/jobs/schemas';
import { specHash } from '@/lib/jobs/spec-hash';
import { resolveJobInputs } from '@/lib/files/files';
import { jobTemplate } from '@/lib/jobs/templates';

export interface LaunchInput {
  accountId: string;
  spec: JobSpec;
  /** Launched by the simulated demand stream (shown as simulated); by default, whether the account is a demo one. */
  simulated?: boolean;
  /** A re-run of suspect work (lib/jobs/rerun.ts): the job it re-runs, and the checkpoint it starts from. */
  rerun?: { ofJobId: string; checkpoint: { fileId: string; units: number } | null };
}

/** Checks a spec beyond its shape: template limits and a pinned node that exists and fits. */
export async function validateSpec(db: Db, spec: JobSpec): Promise<void> {
  const template = jobTemplate(spec.template);
  const { requirements } = spec;
  if (requirements.gpuCount < template.minGpuCount)
    throw new AppError('unprocessable', `${template.name} needs at least ${template.minGpuCount} GPUs.`, {
      fields: [{ field: 'requirements.gpuCount', message: `at least ${template.minGpuCount}` }],
    });
  if (requirements.nodeId) {
    const [node] = await db
      .select({ gpuCount: nodes.gpuCount, status: nodes.status })
      .from(nodes)
      .where(eq(nodes.id, requirements.nodeId))
      .limit(1);
    if (!node)
      throw new AppError('unprocessable', 'The pinned node does not exist.', {
        fields: [{ field: 'requirements.nodeId', message: 'unknown node' }],
      });
    if (node.gpuCount < requirements.gpuCount)
      throw new AppError('unprocessable', `The pinned node has only ${node.gpuCount} GPUs.`, {
        fields: [{ field: 'requirements.gpuCount', message: `at most ${node.gpuCount} on this node` }],
      });
    if (node.status === 'quarantined')
      throw new AppError('unprocessable', 'The pinned node is quarantined and takes no jobs.', {
        fields: [{ field: 'requirements.nodeId', message: 'quarantined' }],
      });
  }
}

/**
 * Launches a job: validates the spec, holds the whole budget from the available balance (402 when it isn't
 * there) and queues the job — in one transaction, so a job never exists without its hold or vice versa.
 * The route makes it idempotent per `Idempotency-Key`.
 */
export async function launchJob(db: Db, clock: Clock, input: LaunchInput): Promise<Job> {
  const { spec } = input;
  await validateSpec(db, spec);
  const now = clock.now();
  const budget = BigInt(spec.budgetMicros);
  const [owner] = await db
    .select({ isDemo: accounts.isDemo })
    .from(accounts)
    .where(eq(accounts.id, input.accountId));
  const simulated = input.simulated ?? owner?.isDemo ?? false;
  return db.transaction(async (tx) => {
    // Inputs by their bytes: the spec hash (and so the receipt) commits to each input's sha256. Resolved in
    // the launch's transaction with their rows locked, so none can be deleted before the job exists.
    const inputs = await resolveJobInputs(tx, input.accountId, spec.inputs ?? []);
    const hashed = inputs.length ? { ...spec, inputs } : { ...spec, inputs: undefined };
    const [job] = await tx
      .insert(jobs)
      .values({
        ownerAccountId: input.accountId,
        name: spec.name,
        template: spec.template,
        image: spec.image,
        command: spec.command,
        env: spec.env,
        inputs,
        gpuModels: spec.requirements.gpuModels,
        gpuCount: spec.requirements.gpuCount,
        minVramGb: spec.requirements.minVramGb,
        region: spec.requirements.region ?? null,
        pinnedNodeId: spec.requirements.nodeId ?? null,
        maxPricePerGpuHourMicros: spec.requirements.maxPricePerGpuHourMicros
          ? BigInt(spec.requirements.maxPricePerGpuHourMicros)
          : null,
        budgetMicros: budget,
        workUnits: spec.workUnits,
        specHash: specHash(hashed),
        state: 'queued',
        simulated,
        rerunOfJobId: input.rerun?.ofJobId ?? null,
        checkpointUnits: input.rerun?.checkpoint?.units ?? 0,
        checkpointRef: input.rerun?.checkpoint?.fileId ?? null,
        progressUnits: input.rerun?.checkpoint?.units ?? 0,
        queuedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!job) throw new Error('insert returned no job');
    await placeHold(tx, clock, {
      customer: input.accountId,
      amountMicros: budget,
      memo: `Budget hold for job "${spec.name}"`,
      idempotencyKey: `job-hold:${job.id}`,
    });
    if (input.rerun?.checkpoint)
      // The checkpoint now belongs to the re-run, so it lives as long as the re-run needs it.
      await tx
        .update(storedFiles)
        .set({ jobId: job.id })
        .where(eq(storedFiles.id, input.rerun.checkpoint.fileId));
    await appendJobEvent(tx, now, {
      jobId: job.id,
      type: 'queued',
      data: input.rerun ? { reason: 'rerun', rerunOf: input.rerun.ofJobId } : { reason: 'launched' },
    });
    return job;
  });
}
