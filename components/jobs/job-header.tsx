import { CancelJob } from '@/components/jobs/cancel-job';
import { templateName } from '@/components/jobs/job-labels';
import { JobStateBadge, SimulatedBadge } from '@/components/jobs/job-state-badge';
import { LiveIndicator } from '@/components/jobs/live-indicator';
import { SimulateHostFailure } from '@/components/jobs/simulate-failure';
import type { LiveStatus } from '@/components/jobs/use-job-live';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { isJobActive } from '@/lib/queries/jobs';

/**
 * Name, state with its reason, what kind of job, whether it is live; Cancel, and the demo's failure switch for
 * the demo's operators (`simulationControls`).
 */
export function JobHeader({
  job,
  status,
  simulationControls,
}: {
  job: JobDetailView;
  status: LiveStatus;
  simulationControls: boolean;
}) {
  const attempt = job.currentAttempt;
  return (
    <header className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight break-words">{job.name}</h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <JobStateBadge state={job.state} />
          <span>{templateName(job.template)}</span>
          {job.simulated ? <SimulatedBadge /> : null}
          <LiveIndicator status={status} />
        </p>
        {job.stateReason ? (
          <p className="mt-1 text-sm" data-testid="state-reason">
            {job.stateReason}
          </p>
        ) : null}
        <p className="mt-1 font-mono text-xs break-all text-muted-foreground">
          {job.image} · {job.command.join(' ')}
        </p>
      </div>
      <div className="flex flex-wrap items-start gap-3">
        {simulationControls && job.state === 'running' && attempt ? (
          <SimulateHostFailure key={attempt.id} nodeId={attempt.nodeId} nodeName={attempt.nodeName} />
        ) : null}
        {isJobActive(job.state) ? <CancelJob jobId={job.id} jobName={job.name} /> : null}
      </div>
    </header>
  );
}
