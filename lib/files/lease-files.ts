import { and, eq, inArray, lt, ne } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import { isUuid } from '@/lib/api/page-cursor';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  jobAttempts,
  storedFiles,
  type Job,
  type JobAttempt,
  type Node,
  type StoredFile,
} from '@/lib/db/schema';
import type { JobOutputRecord } from '@/lib/db/schema/jobs';
import type { FilesConfig } from '@/lib/files/config';
import {
  assertUploaded,
  deleteObjectQuietly,
  downloadTransfer,
  lockFile,
  reserveFile,
  uploadTransfer,
} from '@/lib/files/files';
import { MAX_JOB_OUTPUTS, type AgentUploadRequest, type SignedTransfer } from '@/lib/files/schemas';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import { isActiveAttempt, keepCheckpoint, lockAttempt, lockJob } from '@/lib/jobs/lifecycle';
import type { BlobStore } from '@/lib/storage/store';

/**
 * A node's side of stored files. A node may write only the outputs and checkpoints of a lease it holds now
 * (its node, the job's current fencing token, the attempt still active) and read only the inputs and the
 * resume checkpoint of such a lease, through URLs signed for exactly those objects. A checkpoint is kept — the
 * job resumes from it and the time before it is charged — only once the store holds its bytes and the
 * marketplace has checked them (`completeLeaseUpload`).
 */

/** The job and attempt of a lease the node holds now, locked; 409 when it has ended or moved on. */
async function lockHeldLease(
  tx: Db,
  node: Pick<Node, 'id'>,
  attemptId: string,
  fencingToken: number,
): Promise<{ job: Job; attempt: JobAttempt }> {
  const [ref] = await tx
    .select({ jobId: jobAttempts.jobId })
    .from(jobAttempts)
    .where(and(eq(jobAttempts.id, attemptId), eq(jobAttempts.nodeId, node.id)));
  if (!ref) throw new AppError('not_found', 'No such lease on this node.');
  const job = (await lockJob(tx, ref.jobId)) as Job;
  const attempt = (await lockAttempt(tx, attemptId)) as JobAttempt;
  if (attempt.fencingToken !== fencingToken || job.fencingToken !== fencingToken || !isActiveAttempt(attempt))
    throw new AppError('conflict', 'This lease has ended or moved to another node: stop the workload.');
  return { job, attempt };
}

export async function createLeaseUpload(
  db: Db,
  clock: Clock,
  store: BlobStore,
  config: FilesConfig,
  origin: string | null,
  node: Pick<Node, 'id'>,
  request: AgentUploadRequest,
): Promise<{ fileId: string; upload: SignedTransfer }> {
  if (request.kind === 'checkpoint' && request.units === undefined)
    throw new AppError('bad_request', 'A checkpoint says how many work units it covers.', {
      fields: [{ field: 'units', message: 'required for a checkpoint' }],
    });
  const { file, replaced } = await db.transaction(async (tx) => {
    const { job, attempt } = await lockHeldLease(tx, node, request.attemptId, request.fencingToken);
    let replaced: StoredFile[] = [];
    if (request.kind === 'output') {
      const written = await tx
        .select({ id: storedFiles.id, name: storedFiles.name })
        .from(storedFiles)
        .where(and(eq(storedFiles.attemptId, attempt.id), eq(storedFiles.kind, 'output')));
      // Sending an output again (a retry after a lost answer) replaces the earlier one.
      const again = written.filter((f) => f.name === request.name).map((f) => f.id);
      if (written.length - again.length >= MAX_JOB_OUTPUTS)
        throw new AppError('unprocessable', `A job may write at most ${MAX_JOB_OUTPUTS} output files.`);
      if (again.length) replaced = await dropRows(tx, again);
    }
    const reserved = await reserveFile(tx, clock, config, {
      ownerAccountId: job.ownerAccountId,
      kind: request.kind,
      name: request.name,
      sizeBytes: request.sizeBytes,
      sha256: request.sha256,
      jobId: job.id,
      attemptId: attempt.id,
      checkpointUnits: request.units,
    });
    return { file: reserved, replaced };
  });
  // Bytes go only once the rows are gone for good: a refused reservation rolls back and keeps them.
  for (const old of replaced) await deleteObjectQuietly(store, old.storageKey);
  return { fileId: file.id, upload: await uploadTransfer(store, origin, config, file) };
}

/**
 * The node says an upload is done: the bytes are checked in the store, and the file becomes ready. A
 * checkpoint that covers more than the job's current one is kept at once, in the same transaction, and the
 * checkpoints it supersedes are deleted.
 */
export async function completeLeaseUpload(
  db: Db,
  clock: Clock,
  store: BlobStore,
  node: Pick<Node, 'id'>,
  fileId: string,
  fencingToken: number,
): Promise<{ fileId: string; kept: boolean }> {
  const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, fileId));
  if (!row?.attemptId || row.kind === 'input')
    throw new AppError('not_found', 'No such upload of this node.');
  const [owner] = await db
    .select({ nodeId: jobAttempts.nodeId })
    .from(jobAttempts)
    .where(eq(jobAttempts.id, row.attemptId));
  if (owner?.nodeId !== node.id) throw new AppError('not_found', 'No such upload of this node.');
  if (row.state === 'pending') await assertUploaded(store, row);
  const result = await db.transaction(async (tx) => {
    const { job, attempt } = await lockHeldLease(tx, node, row.attemptId as string, fencingToken);
    const file = (await lockFile(tx, fileId)) as StoredFile | undefined;
    if (!file) throw new AppError('not_found', 'No such upload of this node.');
    const now = clock.now();
    if (file.state === 'pending')
      await tx
        .update(storedFiles)
        .set({ state: 'ready', readyAt: now, expiresAt: null })
        .where(eq(storedFiles.id, file.id));
    if (file.kind !== 'checkpoint') return { kept: false, superseded: [] as StoredFile[] };
    const events: NewJobEvent[] = [];
    const kept = await keepCheckpoint(
      tx,
      clock,
      job,
      attempt,
      { units: file.checkpointUnits ?? 0, ref: file.id },
      events,
    );
    await appendJobEvents(tx, now, events);
    // Older checkpoints of the job are no longer needed once a newer one is kept — except the newest one each
    // earlier attempt wrote: if this node is caught cheating later, its work resumes from one of those
    // (lib/verification/remedies.ts). At most one file per attempt stays.
    const older = kept
      ? await tx
          .select()
          .from(storedFiles)
          .where(
            and(
              eq(storedFiles.jobId, job.id),
              eq(storedFiles.kind, 'checkpoint'),
              ne(storedFiles.id, file.id),
              lt(storedFiles.checkpointUnits, file.checkpointUnits ?? 0),
            ),
          )
      : [];
    const newestOfEarlierAttempt = new Map<string, StoredFile>();
    for (const f of older)
      if (f.attemptId !== attempt.id && f.state === 'ready') {
        const best = newestOfEarlierAttempt.get(f.attemptId ?? '');
        if (!best || (best.checkpointUnits ?? 0) < (f.checkpointUnits ?? 0))
          newestOfEarlierAttempt.set(f.attemptId ?? '', f);
      }
    const keep = new Set([...newestOfEarlierAttempt.values()].map((f) => f.id));
    const superseded = older.filter((f) => !keep.has(f.id));
    if (superseded.length)
      await dropRows(
        tx,
        superseded.map((f) => f.id),
      );
    return { kept, superseded };
  });
  for (const file of result.superseded) await deleteObjectQuietly(store, file.storageKey);
  return { fileId, kept: result.kept };
}

/** Deletes file rows and returns them; their objects are deleted by the caller once the transaction commits. */
function dropRows(tx: Db, ids: string[]): Promise<StoredFile[]> {
  return tx.delete(storedFiles).where(inArray(storedFiles.id, ids)).returning();
}

/**
 * When an attempt completes: its ready outputs become the job's outputs (recorded on the job for the receipt,
 * kept for the retention period); uploads it never completed are dropped.
 */
export async function recordAttemptOutputs(
  tx: Db,
  clock: Clock,
  config: FilesConfig,
  attempt: Pick<JobAttempt, 'id'>,
): Promise<JobOutputRecord[]> {
  const files = await tx
    .select()
    .from(storedFiles)
    .where(and(eq(storedFiles.attemptId, attempt.id), eq(storedFiles.kind, 'output')));
  const now = clock.now();
  const ready = files
    .filter((f) => f.state === 'ready')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (ready.length)
    await tx
      .update(storedFiles)
      .set({
        expiresAt:
          config.outputRetentionMs === null ? null : new Date(now.getTime() + config.outputRetentionMs),
      })
      .where(
        inArray(
          storedFiles.id,
          ready.map((f) => f.id),
        ),
      );
  // Pending ones are left to expire (their objects, if any, go with them in the storage sweep).
  return ready.map((f) => ({ fileId: f.id, name: f.name, sizeBytes: f.sizeBytes, sha256: f.sha256 }));
}

/** What an assignment carries to fetch: each input and the checkpoint to resume from, with signed URLs. */
export interface LeaseDownloads {
  inputs: { name: string; url: string; sha256: string | null; sizeBytes: number | null }[];
  checkpoint: { name: string; url: string; sha256: string; sizeBytes: number } | null;
}

export async function leaseDownloads(
  db: Db,
  store: BlobStore,
  config: FilesConfig,
  origin: string | null,
  job: Pick<Job, 'inputs' | 'checkpointRef'>,
  resumeUnits: number,
): Promise<LeaseDownloads> {
  const ids = job.inputs.flatMap((input) => (input.fileId ? [input.fileId] : []));
  const checkpointId =
    resumeUnits > 0 && job.checkpointRef && isUuid(job.checkpointRef) ? job.checkpointRef : null;
  if (checkpointId) ids.push(checkpointId);
  const files = ids.length ? await db.select().from(storedFiles).where(inArray(storedFiles.id, ids)) : [];
  const byId = new Map(files.map((f) => [f.id, f]));
  const inputs: LeaseDownloads['inputs'] = [];
  for (const input of job.inputs) {
    const file = input.fileId ? byId.get(input.fileId) : undefined;
    // A file that is gone (it cannot be deleted while the job may run) goes without a URL: the agent fails the
    // lease saying so, rather than running the workload without it.
    inputs.push({
      name: input.name,
      url: file
        ? (await downloadTransfer(store, origin, file, config.leaseUrlSeconds)).url
        : (input.url ?? ''),
      sha256: input.sha256,
      sizeBytes: input.sizeBytes,
    });
  }
  const ckpt = checkpointId ? byId.get(checkpointId) : undefined;
  return {
    inputs,
    checkpoint: ckpt
      ? {
          name: ckpt.name,
          url: (await downloadTransfer(store, origin, ckpt, config.leaseUrlSeconds)).url,
          sha256: ckpt.sha256,
          sizeBytes: ckpt.sizeBytes,
        }
      : null,
  };
}
