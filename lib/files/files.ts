import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import { decodeCreatedCursor, olderThan, toPage } from '@/lib/api/page-cursor';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, jobs, storedFiles, type FileKind, type StoredFile } from '@/lib/db/schema';
import type { JobInputRecord } from '@/lib/db/schema/jobs';
import type { FilesConfig } from '@/lib/files/config';
import type {
  JobInputSpec,
  SignedTransfer,
  StoredFileView,
  createFileRequestSchema,
  fileListQuerySchema,
} from '@/lib/files/schemas';
import { signTransfer } from '@/lib/files/transfer';
import { formatBytes } from '@/lib/format';
import { isStorageError } from '@/lib/storage/errors';
import type { BlobStore } from '@/lib/storage/store';
import type { z } from 'zod';

/**
 * Stored files: the rows that say who owns which object of the blob store, and the rules around them.
 *
 * An upload is two steps. Creating the file reserves its size against the owner's quota (checked under a lock
 * of the account row, so two uploads at once cannot both squeeze in) and returns a signed PUT URL that accepts
 * exactly the announced bytes; completing it checks that the store holds exactly those bytes (size and
 * sha256) and makes the file ready. Only ready files can be used by jobs, downloaded or kept as checkpoints.
 */

export function fileView(row: StoredFile): StoredFileView {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    name: row.name,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    contentType: row.contentType,
    jobId: row.jobId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

/** Where a file's bytes live in the store: under its owner's prefix, named by the file id (never its name). */
export function storageKeyFor(ownerAccountId: string, fileId: string): string {
  return `accounts/${ownerAccountId}/files/${fileId}`;
}

export async function storageUsedBytes(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ used: sql<string>`coalesce(sum(${storedFiles.sizeBytes}), 0)` })
    .from(storedFiles)
    .where(eq(storedFiles.ownerAccountId, accountId));
  return Number(row?.used ?? 0);
}

export interface NewFile {
  ownerAccountId: string;
  kind: FileKind;
  name: string;
  sizeBytes: number;
  sha256: string;
  contentType?: string;
  jobId?: string;
  attemptId?: string;
  checkpointUnits?: number;
}

/**
 * Reserves a pending file: the per-file limit and the owner's quota are checked with the account row locked
 * (413-like 422 `unprocessable`, 409 `conflict` when the quota is full). Runs in the caller's transaction.
 */
export async function reserveFile(
  tx: Db,
  clock: Clock,
  config: FilesConfig,
  file: NewFile,
): Promise<StoredFile> {
  if (file.sizeBytes > config.maxFileBytes)
    throw new AppError('unprocessable', `A file may be at most ${formatBytes(config.maxFileBytes)}.`, {
      fields: [{ field: 'sizeBytes', message: `at most ${config.maxFileBytes}` }],
    });
  await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.id, file.ownerAccountId))
    .for('update');
  const used = await storageUsedBytes(tx, file.ownerAccountId);
  if (used + file.sizeBytes > config.quotaBytes)
    throw new AppError(
      'conflict',
      `Storage quota exceeded: ${formatBytes(used)} of ${formatBytes(config.quotaBytes)} used, and this file ` +
        `needs ${formatBytes(file.sizeBytes)}. Delete inputs or outputs you no longer need.`,
      { fields: [{ field: 'sizeBytes', message: 'over the storage quota' }] },
    );
  const now = clock.now();
  const id = crypto.randomUUID();
  const [row] = await tx
    .insert(storedFiles)
    .values({
      id,
      ownerAccountId: file.ownerAccountId,
      kind: file.kind,
      state: 'pending',
      name: file.name,
      storageKey: storageKeyFor(file.ownerAccountId, id),
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      contentType: file.contentType ?? 'application/octet-stream',
      jobId: file.jobId ?? null,
      attemptId: file.attemptId ?? null,
      checkpointUnits: file.checkpointUnits ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + config.uploadUrlSeconds * 1000),
    })
    .returning();
  return row as StoredFile;
}

/** The signed PUT for a pending file: exactly its size and sha256, until its upload deadline. */
export function uploadTransfer(
  store: BlobStore,
  origin: string | null,
  config: FilesConfig,
  file: StoredFile,
): Promise<SignedTransfer> {
  return signTransfer(store, origin, {
    key: file.storageKey,
    method: 'PUT',
    expiresInSeconds: config.uploadUrlSeconds,
    sha256: file.sha256,
    size: file.sizeBytes,
    contentType: file.contentType,
  });
}

export function downloadTransfer(
  store: BlobStore,
  origin: string | null,
  file: Pick<StoredFile, 'storageKey'>,
  seconds: number,
): Promise<SignedTransfer> {
  return signTransfer(store, origin, { key: file.storageKey, method: 'GET', expiresInSeconds: seconds });
}

/**
 * Checks that the store holds exactly the announced bytes; throws 409 when nothing arrived yet and 422 when
 * something else did (that object is removed, so the URL can be used again).
 */
export async function assertUploaded(store: BlobStore, file: StoredFile): Promise<void> {
  const info = await store.head(file.storageKey);
  if (!info)
    throw new AppError('conflict', 'The upload has not arrived yet: PUT the bytes to the upload URL first.');
  if (info.size !== file.sizeBytes || info.sha256 !== file.sha256) {
    await store.delete(file.storageKey);
    throw new AppError(
      'unprocessable',
      `The stored bytes (${info.size} bytes, sha256 ${info.sha256}) are not the announced ones; upload again.`,
    );
  }
}

export async function lockFile(tx: Db, id: string): Promise<StoredFile | undefined> {
  const [row] = await tx.select().from(storedFiles).where(eq(storedFiles.id, id)).for('update');
  return row;
}

/** A customer's own file, or 404 (another account's file is indistinguishable from none). */
async function ownFile(db: Db, accountId: string, id: string): Promise<StoredFile> {
  const [row] = await db
    .select()
    .from(storedFiles)
    .where(and(eq(storedFiles.id, id), eq(storedFiles.ownerAccountId, accountId)));
  if (!row || row.kind === 'checkpoint') throw new AppError('not_found', 'No such file.');
  return row;
}

export async function createInputFile(
  db: Db,
  clock: Clock,
  store: BlobStore,
  config: FilesConfig,
  origin: string | null,
  accountId: string,
  request: z.infer<typeof createFileRequestSchema>,
): Promise<{ file: StoredFileView; upload: SignedTransfer }> {
  const file = await db.transaction((tx) =>
    reserveFile(tx, clock, config, { ownerAccountId: accountId, kind: 'input', ...request }),
  );
  return { file: fileView(file), upload: await uploadTransfer(store, origin, config, file) };
}

/** Confirms a customer's upload: the store must hold exactly the announced bytes. Idempotent. */
export async function completeInputFile(
  db: Db,
  clock: Clock,
  store: BlobStore,
  config: FilesConfig,
  accountId: string,
  id: string,
): Promise<StoredFileView> {
  const file = await ownFile(db, accountId, id);
  if (file.kind !== 'input')
    throw new AppError('conflict', 'Only inputs are completed here; outputs are uploaded by the node.');
  if (file.state === 'ready') return fileView(file);
  await assertUploaded(store, file);
  const now = clock.now();
  const [row] = await db
    .update(storedFiles)
    .set({
      state: 'ready',
      readyAt: now,
      expiresAt: config.inputRetentionMs === null ? null : new Date(now.getTime() + config.inputRetentionMs),
    })
    .where(and(eq(storedFiles.id, id), eq(storedFiles.state, 'pending')))
    .returning();
  return fileView(row ?? (await ownFile(db, accountId, id)));
}

export async function listFiles(
  db: Db,
  config: FilesConfig,
  accountId: string,
  query: z.infer<typeof fileListQuerySchema>,
) {
  const conditions: SQL[] = [
    eq(storedFiles.ownerAccountId, accountId),
    query.kind ? eq(storedFiles.kind, query.kind) : inArray(storedFiles.kind, ['input', 'output']),
  ];
  if (query.jobId) conditions.push(eq(storedFiles.jobId, query.jobId));
  if (query.sha256) conditions.push(eq(storedFiles.sha256, query.sha256));
  if (query.cursor)
    conditions.push(olderThan(storedFiles.createdAt, storedFiles.id, decodeCreatedCursor(query.cursor)));
  const rows = await db
    .select()
    .from(storedFiles)
    .where(and(...conditions))
    .orderBy(desc(storedFiles.createdAt), desc(storedFiles.id))
    .limit(query.limit + 1);
  return {
    ...toPage(rows, query.limit, fileView),
    usage: { usedBytes: await storageUsedBytes(db, accountId), quotaBytes: config.quotaBytes },
  };
}

export async function getFileDetail(
  db: Db,
  store: BlobStore,
  config: FilesConfig,
  origin: string | null,
  accountId: string,
  id: string,
) {
  const file = await ownFile(db, accountId, id);
  return {
    ...fileView(file),
    download:
      file.state === 'ready' ? await downloadTransfer(store, origin, file, config.downloadUrlSeconds) : null,
  };
}

/** A URL to download one of the caller's ready files (the browser follows it from a link). */
export async function fileDownloadUrl(
  db: Db,
  store: BlobStore,
  config: FilesConfig,
  origin: string | null,
  accountId: string,
  id: string,
): Promise<string> {
  const file = await ownFile(db, accountId, id);
  if (file.state !== 'ready') throw new AppError('conflict', 'The file has not been uploaded yet.');
  return (await downloadTransfer(store, origin, file, config.downloadUrlSeconds)).url;
}

/** Jobs that will still read an input: queued or running ones that name it. */
async function activeJobsUsing(db: Db, fileId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(
      and(
        inArray(jobs.state, ['queued', 'scheduled', 'running']),
        sql`${jobs.inputs} @> ${JSON.stringify([{ fileId }])}::jsonb`,
      ),
    );
  return row?.count ?? 0;
}

/** Deletes one of the caller's files and its bytes. An input a queued or running job still reads is kept (409). */
export async function deleteFile(db: Db, store: BlobStore, accountId: string, id: string): Promise<void> {
  await ownFile(db, accountId, id);
  // The row locked: a launch naming this input either committed first (and is seen here) or waits.
  const file = await db.transaction(async (tx) => {
    const row = await lockFile(tx, id);
    if (!row) throw new AppError('not_found', 'No such file.');
    if (row.kind === 'input' && (await activeJobsUsing(tx, id)) > 0)
      throw new AppError(
        'conflict',
        'A queued or running job still reads this input; cancel it or wait for it to end.',
      );
    if (row.kind === 'output') {
      const [job] = row.jobId
        ? await tx.select({ state: jobs.state }).from(jobs).where(eq(jobs.id, row.jobId))
        : [];
      if (job && ['queued', 'scheduled', 'running'].includes(job.state))
        throw new AppError(
          'conflict',
          'The job is still running; its outputs can be deleted once it has ended.',
        );
    }
    await tx.delete(storedFiles).where(eq(storedFiles.id, id));
    return row;
  });
  await deleteObjectQuietly(store, file.storageKey);
}

/**
 * A spec's inputs as the job records them: uploaded files must be the caller's own and ready (their size and
 * sha256 are copied, so the spec hash commits to the bytes); URLs are kept with their optional digest. Names
 * must be unique: they are paths in one directory.
 */
export async function resolveJobInputs(
  db: Db,
  accountId: string,
  specs: readonly JobInputSpec[],
): Promise<JobInputRecord[]> {
  const ids = specs.flatMap((spec) => ('fileId' in spec ? [spec.fileId] : []));
  const files = ids.length
    ? await db
        .select()
        .from(storedFiles)
        .where(and(inArray(storedFiles.id, ids), eq(storedFiles.ownerAccountId, accountId)))
        // Locked: a delete of one of them waits until the launch has committed, and then sees the job.
        .for('share')
    : [];
  const byId = new Map(files.map((f) => [f.id, f]));
  const records = specs.map((spec, index): JobInputRecord => {
    if ('fileId' in spec) {
      const file = byId.get(spec.fileId);
      if (!file || file.kind !== 'input' || file.state !== 'ready')
        throw new AppError('unprocessable', 'An input names a file that is not a ready input of yours.', {
          fields: [{ field: `inputs.${index}.fileId`, message: 'not a ready input file of yours' }],
        });
      return {
        name: spec.name ?? file.name,
        fileId: file.id,
        url: null,
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
      };
    }
    return { name: spec.name, fileId: null, url: spec.url, sha256: spec.sha256 ?? null, sizeBytes: null };
  });
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const lower = record.name.toLowerCase();
    const clash = [...seen].some(
      (other) => other === lower || other.startsWith(`${lower}/`) || lower.startsWith(`${other}/`),
    );
    if (clash)
      throw new AppError('unprocessable', `Two inputs would be written to the same path (${record.name}).`, {
        fields: [{ field: `inputs.${index}.name`, message: 'clashes with another input' }],
      });
    seen.add(lower);
  });
  return records;
}

/** Deletes a stored object, tolerating one that is already gone. */
export async function deleteObjectQuietly(store: BlobStore, key: string): Promise<void> {
  try {
    await store.delete(key);
  } catch (error) {
    if (!isStorageError(error, 'not_found')) throw error;
  }
}
