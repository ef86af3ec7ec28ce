import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiskLeaseData, leaseDirs, type UploadClient } from '@/lib/agent/lease-data';
import type { Assignment } from '@/lib/agent/schemas';
import { openContained } from '@/lib/agent/transfers';

/** A client that must never be reached: every case here is refused on the node, before any request. */
const unreachable: UploadClient = {
  createUpload: () => Promise.reject(new Error('no upload may be attempted')),
  completeUpload: () => Promise.reject(new Error('no upload may be attempted')),
  fetcher: () => Promise.reject(new Error('no request may be made')),
};

const assignment = {
  attemptId: '3f0c8f8e-2d6a-4e8e-9a51-1b2c3d4e5f60',
  jobId: '9b1d2c3e-4f50-4a6b-8c7d-8e9fa0b1c2d3',
  fencingToken: 1,
  inputs: [],
  resumeFrom: { units: 0, ref: null, checkpoint: null },
} as unknown as Assignment;

describe('a workload cannot make the agent upload files of the host', () => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'backfill-lease-data-'));
  const secret = path.join(stateDir, 'node.json');
  writeFileSync(secret, '{"nodeToken":"bfn_secret"}');
  const dirs = leaseDirs(stateDir, assignment.attemptId);
  for (const dir of [dirs.input, dirs.output, dirs.checkpoints]) mkdirSync(dir, { recursive: true });
  const data = createDiskLeaseData({ stateDir, client: unreachable, nodeToken: 'bfn_test' });

  it('refuses a checkpoint that is a symbolic link, or behind a linked directory', async () => {
    symlinkSync(secret, path.join(dirs.checkpoints, 'c'));
    await expect(data.uploadCheckpoint(assignment, 1, 'c')).rejects.toThrow(/symbolic link|cannot be read/);
    symlinkSync(stateDir, path.join(dirs.checkpoints, 'up'));
    await expect(data.uploadCheckpoint(assignment, 1, 'up/node.json')).rejects.toThrow(
      /outside its directory/,
    );
    await expect(data.uploadCheckpoint(assignment, 1, '../../../node.json')).rejects.toThrow(/refused/);
  });

  it('skips linked outputs and names the marketplace refuses, saying so, and uploads nothing of them', async () => {
    symlinkSync(secret, path.join(dirs.output, 'token.txt'));
    symlinkSync(stateDir, path.join(dirs.output, 'host'));
    writeFileSync(path.join(dirs.output, '.DS_Store'), 'x');
    const notes: string[] = [];
    await expect(data.uploadOutputs(assignment, (text) => notes.push(text))).resolves.toBe(0);
    expect(notes).toEqual([expect.stringMatching(/^output "\.DS_Store" skipped: its name is not accepted/)]);
  });

  it('opens a regular file inside its directory', async () => {
    writeFileSync(path.join(dirs.checkpoints, 'real.ckpt'), 'state');
    const handle = await openContained(dirs.checkpoints, path.join(dirs.checkpoints, 'real.ckpt'));
    expect((await handle.stat()).size).toBe(5);
    await handle.close();
  });
});
