import { sql } from 'drizzle-orm';
import { bigint, check, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '@/lib/db/schema/accounts';
import { timestamptz } from '@/lib/db/schema/columns';
import { jobAttempts, jobs } from '@/lib/db/schema/jobs';
import { FILE_KINDS, FILE_STATES } from '@/lib/enums';

/** input: uploaded by a customer for jobs to read. output: written by a job. checkpoint: a job's saved state. */
export const fileKind = pgEnum('file_kind', FILE_KINDS);
/** pending: a signed upload URL is out, the bytes are not confirmed yet. ready: stored and verified. */
export const fileState = pgEnum('file_state', FILE_STATES);

export type FileKind = (typeof fileKind.enumValues)[number];
export type FileState = (typeof fileState.enumValues)[number];

/**
 * Files in the blob store (lib/storage), one row per object: who owns it, what it is, and its verified size and
 * sha256. A row is created `pending` with the upload URL (its size counts against the owner's quota from
 * then on) and becomes `ready` only once the store holds exactly those bytes. Deleting a file deletes its row
 * and its object.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The customer whose quota it counts against: the uploader of an input, the job's owner otherwise. */
    ownerAccountId: uuid('owner_account_id')
      .notNull()
      .references(() => accounts.id),
    kind: fileKind('kind').notNull(),
    state: fileState('state').notNull(),
    /** The file name as the customer or the workload gave it (`frame-0001.png`, `data/part-1.jsonl`). */
    name: text('name').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    /** The job that wrote it (outputs, checkpoints). */
    jobId: uuid('job_id').references(() => jobs.id),
    /** The attempt (lease) that wrote it. */
    attemptId: uuid('attempt_id').references(() => jobAttempts.id),
    /** Work units a checkpoint covers. */
    checkpointUnits: bigint('checkpoint_units', { mode: 'number' }),
    createdAt: timestamptz('created_at').notNull(),
    readyAt: timestamptz('ready_at'),
    /** When it is deleted unless used: the upload deadline while pending, the retention end once ready. */
    expiresAt: timestamptz('expires_at'),
  },
  (t) => [
    index('stored_files_owner_idx').on(t.ownerAccountId, t.kind, t.createdAt),
    index('stored_files_job_idx').on(t.jobId, t.kind),
    index('stored_files_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} is not null`),
    check('stored_files_size', sql`${t.sizeBytes} >= 0`),
    check('stored_files_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

export type StoredFile = typeof storedFiles.$inferSelect;
