import { createHash } from 'node:crypto';
import { uploadLeaseFile, type LeaseData, type UploadClient } from '@/lib/agent/lease-data';
import { TransferError } from '@/lib/agent/transfers';

/**
 * The simulated fleet's lease data: no disk, and no real workload to write files, but the same protocol as a
 * real agent. Inputs are downloaded and verified (and dropped); each checkpoint the virtual runner announces is
 * a small made-up file uploaded and acknowledged like a real one, so a simulated job's checkpoint is kept only
 * once the marketplace holds it; a finished job uploads one small `result.json` as its output.
 */
export function createVirtualLeaseData(options: { client: UploadClient; nodeToken: string }): LeaseData {
  const { client, nodeToken } = options;
  const bytes = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  return {
    async prepare(assignment) {
      const downloads = [
        ...assignment.inputs,
        ...(assignment.resumeFrom.checkpoint ? [assignment.resumeFrom.checkpoint] : []),
      ];
      for (const input of downloads) {
        const response = await client.fetcher(input.url, { redirect: 'error' });
        if (!response.ok) throw new TransferError(`GET ${input.name} answered ${response.status}`);
        const body = new Uint8Array(await response.arrayBuffer());
        const sha256 = createHash('sha256').update(body).digest('hex');
        if (input.sha256 !== null && sha256 !== input.sha256)
          throw new TransferError(`${input.name} has sha256 ${sha256}, expected ${input.sha256}`);
      }
    },
    async uploadCheckpoint(assignment, units, ref) {
      const name = ref.replace(/^sim:\/\/[^/]+\//, '').replace(/[^A-Za-z0-9._-]/g, '-') || `ckpt-${units}`;
      const { kept } = await uploadLeaseFile(
        client,
        nodeToken,
        assignment,
        { kind: 'checkpoint', name, units },
        {
          bytes: bytes({ simulated: true, jobId: assignment.jobId, attemptId: assignment.attemptId, units }),
        },
      );
      return { kept };
    },
    async uploadOutputs(assignment) {
      await uploadLeaseFile(
        client,
        nodeToken,
        assignment,
        { kind: 'output', name: 'result.json' },
        {
          bytes: bytes({ simulated: true, jobId: assignment.jobId, workUnits: assignment.workUnits }),
        },
      );
      return 1;
    },
    async release() {},
  };
}
