import { chmod, mkdir, readdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { AgentClient } from '@/lib/agent/client';
import type { Assignment } from '@/lib/agent/schemas';
import {
  downloadToFile,
  openContained,
  sourceDigest,
  TransferError,
  uploadSource,
  type UploadSource,
} from '@/lib/agent/transfers';
import { fileNameProblem, MAX_JOB_OUTPUTS } from '@/lib/files/schemas';

/**
 * A lease's data on the node: its inputs downloaded and verified before the workload starts, its checkpoints
 * uploaded as the workload announces them, its outputs uploaded when it exits cleanly — each acknowledged by
 * the marketplace before the agent relies on it. The real agent keeps the files on disk (`createDiskLeaseData`);
 * the simulated fleet makes its bytes up, and both upload through `uploadLeaseFile`, the same protocol.
 */
export interface LeaseData {
  /** Downloads the inputs and the checkpoint to resume from; rejects when one cannot be fetched or verified. */
  prepare(assignment: Assignment, signal?: AbortSignal): Promise<void>;
  /** Uploads the checkpoint the workload announced; resolves once acknowledged, with whether it was kept. */
  uploadCheckpoint(assignment: Assignment, units: number, ref: string): Promise<{ kept: boolean }>;
  /**
   * Uploads every output; resolves with their count once each one is acknowledged. A file it cannot take (a
   * name the marketplace refuses, a link) is skipped and `note` says so in the job's log.
   */
  uploadOutputs(assignment: Assignment, note?: (text: string) => void): Promise<number>;
  /** Removes what the lease left on this node. */
  release(assignment: Assignment): Promise<void>;
}

/** Tries of one PUT (the first included). */
const PUT_ATTEMPTS = 4;

export type UploadClient = Pick<AgentClient, 'createUpload' | 'completeUpload' | 'fetcher'>;

/** One file of a lease up to the marketplace: ask for a signed URL, PUT the bytes, have them acknowledged. */
export async function uploadLeaseFile(
  client: UploadClient,
  nodeToken: string,
  assignment: Pick<Assignment, 'attemptId' | 'fencingToken'>,
  file: { kind: 'output' | 'checkpoint'; name: string; units?: number },
  source: UploadSource,
): Promise<{ fileId: string; kept: boolean }> {
  const digest = await sourceDigest(source);
  const { fileId, upload } = await client.createUpload(nodeToken, {
    attemptId: assignment.attemptId,
    fencingToken: assignment.fencingToken,
    ...file,
    ...digest,
  });
  // The signed URL takes the same bytes again: a dropped connection or a 5xx is retried with backoff.
  for (let attempt = 1; ; attempt++) {
    try {
      await uploadSource(client.fetcher, upload, source);
      break;
    } catch (error) {
      const transient = error instanceof TransferError ? error.transient : error instanceof TypeError;
      if (!transient || attempt >= PUT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** attempt));
    }
  }
  return client.completeUpload(nodeToken, fileId, assignment.fencingToken);
}

/** Where a lease's files live on this node: one directory per attempt, removed when the lease ends. */
export interface LeaseDirs {
  root: string;
  input: string;
  output: string;
  checkpoints: string;
  work: string;
}

export function leaseDirs(stateDir: string, attemptId: string): LeaseDirs {
  const root = path.join(stateDir, 'leases', attemptId);
  return {
    root,
    input: path.join(root, 'input'),
    output: path.join(root, 'output'),
    checkpoints: path.join(root, 'checkpoints'),
    work: path.join(root, 'work'),
  };
}

/** A path under `dir` for a relative name that the schema already checked; refuses anything else. */
function inside(dir: string, name: string): string {
  const problem = fileNameProblem(name);
  const full = path.resolve(dir, name);
  if (problem || !full.startsWith(dir + path.sep)) throw new TransferError(`refused the file name "${name}"`);
  return full;
}

/** Every regular file under `dir`, as relative names, in name order; symbolic links and the like are skipped. */
async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (sub: string) => {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      const name = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(name);
      else if (entry.isFile()) found.push(name);
    }
  };
  await walk('');
  return found.sort();
}

export interface DiskLeaseDataOptions {
  stateDir: string;
  client: UploadClient;
  nodeToken: string;
  /** The most bytes accepted for an https input whose size is not known. */
  maxInputBytes?: number;
}

export function createDiskLeaseData(options: DiskLeaseDataOptions): LeaseData {
  const maxInputBytes = options.maxInputBytes ?? 50 * 1024 ** 3;
  const fetcher = options.client.fetcher;
  return {
    async prepare(assignment, signal) {
      const dirs = leaseDirs(options.stateDir, assignment.attemptId);
      for (const dir of [dirs.input, dirs.output, dirs.checkpoints, dirs.work])
        await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const input of assignment.inputs) {
        const dest = inside(dirs.input, input.name);
        await downloadToFile(fetcher, input.url, dest, { ...input, maxBytes: maxInputBytes }, signal);
        await chmod(dest, 0o444);
      }
      const checkpoint = assignment.resumeFrom.checkpoint;
      if (checkpoint)
        await downloadToFile(
          fetcher,
          checkpoint.url,
          inside(dirs.checkpoints, checkpoint.name),
          { ...checkpoint, maxBytes: checkpoint.sizeBytes },
          signal,
        );
      // Inputs are read-only to the workload: files 0444, directories 0555.
      await lockDown(dirs.input);
    },

    async uploadCheckpoint(assignment, units, ref) {
      const dirs = leaseDirs(options.stateDir, assignment.attemptId);
      const handle = await openContained(dirs.checkpoints, inside(dirs.checkpoints, ref));
      try {
        const { kept } = await uploadLeaseFile(
          options.client,
          options.nodeToken,
          assignment,
          { kind: 'checkpoint', name: ref, units },
          { handle },
        );
        return { kept };
      } finally {
        await handle.close();
      }
    },

    async uploadOutputs(assignment, note) {
      const dirs = leaseDirs(options.stateDir, assignment.attemptId);
      const names = await listFiles(dirs.output);
      const accepted = names.filter((name) => {
        const problem = fileNameProblem(name);
        if (problem) note?.(`output "${name}" skipped: its name is not accepted (${problem})`);
        return !problem;
      });
      if (accepted.length > MAX_JOB_OUTPUTS)
        throw new TransferError(
          `the workload wrote ${accepted.length} files; at most ${MAX_JOB_OUTPUTS} are accepted`,
        );
      let uploaded = 0;
      for (const name of accepted) {
        let handle: FileHandle;
        try {
          handle = await openContained(dirs.output, path.join(dirs.output, name));
        } catch (error) {
          note?.(`output "${name}" skipped: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        try {
          await uploadLeaseFile(
            options.client,
            options.nodeToken,
            assignment,
            { kind: 'output', name },
            { handle },
          );
          uploaded += 1;
        } finally {
          await handle.close();
        }
      }
      return uploaded;
    },

    async release(assignment) {
      const dirs = leaseDirs(options.stateDir, assignment.attemptId);
      // Read-only input directories must be writable again to be removed.
      await unlock(dirs.input).catch(() => undefined);
      await rm(dirs.root, { recursive: true, force: true });
    },
  };
}

async function lockDown(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isDirectory()) await lockDown(path.join(dir, entry.name));
  await chmod(dir, 0o555);
}

async function unlock(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true }))
    if (entry.isDirectory()) await unlock(path.join(dir, entry.name));
}
