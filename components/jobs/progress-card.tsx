'use client';

import { formatDuration, formatUnits } from '@/components/jobs/job-labels';
import type { ProgressSample } from '@/components/jobs/job-events';
import { liveEtaSeconds } from '@/components/jobs/job-events';
import { JobProgressBar } from '@/components/jobs/job-progress-bar';
import { useNow } from '@/components/jobs/use-now';
import { Card } from '@/components/ui/card';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { isJobActive } from '@/lib/queries/jobs';

function etaText(job: JobDetailView, seconds: number | null): string {
  if (job.state === 'succeeded') return 'Done';
  if (!isJobActive(job.state)) return 'Stopped';
  if (job.state !== 'running') return 'Starts when a node takes the job';
  if (seconds === null) return 'Estimating…';
  return seconds <= 0 ? 'Any moment now' : `About ${formatDuration(seconds * 1000)} left`;
}

/** How far the job got, and how long it should take from here (live progress, or the server's estimate). */
export function ProgressCard({
  job,
  samples,
  fetchedAt,
}: {
  job: JobDetailView;
  samples: readonly ProgressSample[];
  /** When the detail (and its `etaSeconds`) was read. */
  fetchedAt: number;
}) {
  const now = useNow(1_000);
  const seconds =
    now === null
      ? job.etaSeconds
      : liveEtaSeconds({
          samples,
          workUnits: job.workUnits,
          server: { etaSeconds: job.etaSeconds, atMs: fetchedAt },
          nowMs: now,
        });
  return (
    <Card className="flex flex-col gap-3">
      <h2 className="font-semibold">Progress</h2>
      <JobProgressBar
        progress={job.progress}
        label="Job progress"
        className="[&_progress]:h-3 [&_progress]:w-full"
      />
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted-foreground">Done</dt>
        <dd className="tabular">
          {job.progressUnits.toLocaleString('en-US')} of {formatUnits(job.workUnits, job.unit)}
        </dd>
        <dt className="text-muted-foreground">Last checkpoint</dt>
        <dd className="tabular">{formatUnits(job.checkpointUnits, job.unit)}</dd>
        <dt className="text-muted-foreground">Time left</dt>
        <dd className="tabular">{etaText(job, seconds)}</dd>
      </dl>
    </Card>
  );
}
