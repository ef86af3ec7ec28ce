import { and, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { jobAttempts, jobs, storedFiles } from '@/lib/db/schema';
import { deleteObjectQuietly } from '@/lib/files/files';
import { FINAL_JOB_STATES } from '@/lib/jobs/lifecycle';
import type { BlobStore } from '@/lib/storage/store';

/** Files removed per sweep: a backlog drains over a few sweeps instead of one long transaction. */
const SWEEP_BATCH = 200;

/**
 * How long an ended job keeps its checkpoints: long enough that if a node that ran it is caught cheating
 * afterwards (a node is benchmarked again at least weekly), the re-run resumes from one a trusted node wrote.
 */
export const ENDED_JOB_CHECKPOINT_MS = 7 * 24 * 3_600_000;

/**
 * The storage sweep (a housekeeping loop): deletes what no one needs any more, rows first and then bytes, so
 * a crash in between leaves at most an orphaned object, never a row pointing at nothing:
 * - uploads never completed before their URL expired;
 * - outputs past their retention (STORAGE_OUTPUT_RETENTION_DAYS after the job finished), and what an attempt
 *   that did not complete wrote (it never became the job's outputs);
 * - inputs past their retention that no queued or running job reads;
 * - checkpoints of jobs that ended more than ENDED_JOB_CHECKPOINT_MS ago (a re-run of suspect work may still
 *   resume from them until then).
 * Returns how many files it removed.
 */
export async function sweepStoredFiles(db: Db, store: BlobStore, clock: Clock): Promise<number> {
  const now = clock.now();
  // Inputs named by a job that may still run (URL inputs have no file id: a NULL would void NOT IN).
  const activeInputIds = sql`(select (input ->> 'fileId')::uuid from ${jobs},
    jsonb_array_elements(${jobs.inputs}) as input
    where ${jobs.state} in ('queued', 'scheduled', 'running') and input ->> 'fileId' is not null)`;
  const endedJobIds = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.state, [...FINAL_JOB_STATES]),
        lt(jobs.finishedAt, new Date(now.getTime() - ENDED_JOB_CHECKPOINT_MS)),
      ),
    );
  const unfinishedAttemptIds = db
    .select({ id: jobAttempts.id })
    .from(jobAttempts)
    .where(inArray(jobAttempts.state, ['host_lost', 'preempted', 'failed', 'cancelled', 'out_of_budget']));
  const expired = and(isNotNull(storedFiles.expiresAt), lt(storedFiles.expiresAt, now));
  const unneeded = or(
    and(eq(storedFiles.state, 'pending'), expired),
    and(eq(storedFiles.kind, 'output'), expired),
    and(eq(storedFiles.kind, 'output'), inArray(storedFiles.attemptId, unfinishedAttemptIds)),
    and(eq(storedFiles.kind, 'input'), expired, sql`${storedFiles.id} not in ${activeInputIds}`),
    and(eq(storedFiles.kind, 'checkpoint'), inArray(storedFiles.jobId, endedJobIds)),
  );
  const doomed = await db.select({ id: storedFiles.id }).from(storedFiles).where(unneeded).limit(SWEEP_BATCH);
  if (doomed.length === 0) return 0;
  // The conditions again: a file completed, or a job launched, between the two statements stays.
  const removed = await db
    .delete(storedFiles)
    .where(
      and(
        inArray(
          storedFiles.id,
          doomed.map((f) => f.id),
        ),
        unneeded,
      ),
    )
    .returning({ storageKey: storedFiles.storageKey });
  for (const file of removed) await deleteObjectQuietly(store, file.storageKey);
  return removed.length;
}
