import Link from 'next/link';
import { formatTimestamp } from '@/components/billing/format';
import { formatMoney, formatUnits, gpuName, templateName } from '@/components/jobs/job-labels';
import { JobProgressBar } from '@/components/jobs/job-progress-bar';
import { JobStateBadge, SimulatedBadge } from '@/components/jobs/job-state-badge';
import { SuspectBadge } from '@/components/jobs/suspect-notice';
import { TableHead } from '@/components/ui/table-head';
import type { JobView } from '@/lib/jobs/schemas';

function gpus(job: JobView): string {
  const model = job.currentAttempt?.gpuModel;
  const { gpuCount, gpuModels } = job.requirements;
  if (model) return `${gpuCount}× ${gpuName(model)}`;
  // What was asked for, by name: "H100 80GB or A100 80GB", "H100 80GB or 3 more", never "2 models".
  const names = gpuModels.map(gpuName);
  const asked =
    names.length === 0
      ? 'any GPU'
      : names.length <= 2
        ? names.join(' or ')
        : `${names[0] ?? ''} or ${names.length - 1} more`;
  return `${gpuCount}× ${asked}`;
}

/** Charged plus metered-but-unsettled, against the budget cap. */
export function costSoFarMicros(job: Pick<JobView, 'chargedMicros' | 'pendingChargeMicros'>): bigint {
  return BigInt(job.chargedMicros) + BigInt(job.pendingChargeMicros);
}

/** My jobs, newest first: one row each, the name linking to the job's monitor. */
export function JobTable({ jobs }: { jobs: JobView[] }) {
  return (
    // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Jobs table">
      <table className="w-full min-w-[760px] text-sm">
        <caption className="sr-only">My jobs, newest first</caption>
        <TableHead
          columns={[
            'Name',
            'Template',
            'State',
            'Progress',
            'GPUs',
            { label: 'Cost so far / budget', align: 'right' },
            'Started',
          ]}
          cellClassName="py-1 pr-4"
        />
        <tbody className="tabular">
          {jobs.map((job) => (
            <tr key={job.id} data-job-id={job.id} className="border-t border-border align-top">
              <td className="py-2 pr-4">
                <span className="flex flex-wrap items-center gap-1.5">
                  <Link
                    href={`/jobs/${job.id}`}
                    className="font-medium text-accent underline-offset-2 hover:underline"
                  >
                    {job.name}
                  </Link>
                  {job.simulated ? <SimulatedBadge /> : null}
                </span>
              </td>
              <td className="py-2 pr-4 whitespace-nowrap">{templateName(job.template)}</td>
              <td className="py-2 pr-4">
                <span className="flex flex-wrap items-center gap-1.5">
                  <JobStateBadge state={job.state} />
                  {job.suspect ? <SuspectBadge refundedMicros={job.suspect.refundedMicros} /> : null}
                </span>
              </td>
              <td className="py-2 pr-4">
                <JobProgressBar progress={job.progress} label={`Progress of ${job.name}`} />
                <span className="block text-xs text-muted-foreground">
                  {job.progressUnits.toLocaleString('en-US')} / {formatUnits(job.workUnits, job.unit)}
                </span>
              </td>
              <td className="py-2 pr-4 whitespace-nowrap">{gpus(job)}</td>
              <td className="py-2 pr-4 text-right whitespace-nowrap">
                {formatMoney(costSoFarMicros(job))}
                <span className="text-muted-foreground"> / {formatMoney(job.budgetMicros)}</span>
              </td>
              <td className="py-2 pr-4 whitespace-nowrap">
                {job.startedAt ? (
                  formatTimestamp(job.startedAt)
                ) : (
                  <span className="text-muted-foreground">Queued {formatTimestamp(job.queuedAt)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
