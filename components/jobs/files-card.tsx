'use client';

import { Card } from '@/components/ui/card';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import { formatBytes } from '@/lib/format';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { fileDownloadPath, useJobOutputs } from '@/lib/queries/files';

/**
 * What the job read and wrote. Outputs are uploaded by the agent when the workload exits cleanly, each checked
 * by its sha256; the job succeeds only once they are all up. A deleted or expired output stays listed here
 * (and on the receipt) with its digest, without a download.
 */
export function FilesCard({ job }: { job: JobDetailView }) {
  const finished = job.finishedAt !== null;
  const stored = useJobOutputs(job.id, finished && job.outputs.length > 0);
  const available = new Map((stored.data?.items ?? []).map((file) => [file.id, file]));
  return (
    <Card className="flex min-w-0 flex-col gap-3">
      <h2 className="font-semibold">Files</h2>
      <section aria-labelledby={`inputs-${job.id}`} className="flex flex-col gap-1">
        <h3 id={`inputs-${job.id}`} className="text-sm font-medium">
          Inputs
        </h3>
        {job.inputs.length === 0 ? (
          <p className="text-sm text-muted-foreground">None: the job reads no files.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {job.inputs.map((input) => (
              <li key={input.name} className="flex flex-wrap gap-x-3">
                <span className="font-mono">{input.name}</span>
                {input.sizeBytes !== null ? (
                  <span className="text-muted-foreground">{formatBytes(input.sizeBytes)}</span>
                ) : null}
                <span className="font-mono text-xs break-all text-muted-foreground">
                  {input.sha256
                    ? `sha256 ${input.sha256}`
                    : `from ${input.url ?? ''} (not pinned to a digest)`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={`outputs-${job.id}`} className="flex flex-col gap-1">
        <h3 id={`outputs-${job.id}`} className="text-sm font-medium">
          Outputs
        </h3>
        {job.outputs.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {finished
              ? 'The job wrote no output files.'
              : 'Uploaded by the node when the workload finishes; listed here with their digests.'}
          </p>
        ) : (
          <ScrollRegion label="Output files">
            <table className="w-full text-sm">
              <TableHead columns={['Name', 'Size', 'sha256', 'Download']} />
              <tbody>
                {job.outputs.map((output) => {
                  const file = available.get(output.fileId);
                  return (
                    <tr key={output.fileId} data-output={output.name} className="border-t border-border">
                      <td className="py-1 pr-3 font-mono">{output.name}</td>
                      <td className="py-1 pr-3 whitespace-nowrap tabular-nums">
                        {formatBytes(output.sizeBytes)}
                      </td>
                      <td className="py-1 pr-3 font-mono text-xs break-all">{output.sha256}</td>
                      <td className="py-1 whitespace-nowrap">
                        {file ? (
                          <a
                            href={fileDownloadPath(file.id)}
                            download={output.name.split('/').pop()}
                            className="text-accent underline underline-offset-2"
                            aria-label={`Download ${output.name}`}
                          >
                            Download
                          </a>
                        ) : stored.isPending ? (
                          <span className="text-muted-foreground">…</span>
                        ) : (
                          <span className="text-muted-foreground">Deleted</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </Card>
  );
}
