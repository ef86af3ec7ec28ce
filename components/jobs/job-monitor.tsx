'use client';

import Link from 'next/link';
import { ErrorState } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { AttemptsTable } from '@/components/jobs/attempts-table';
import { CostCard } from '@/components/jobs/cost-card';
import { FilesCard } from '@/components/jobs/files-card';
import { JobHeader } from '@/components/jobs/job-header';
import { JobTimeline } from '@/components/jobs/job-timeline';
import { LogViewer } from '@/components/jobs/log-viewer';
import { ProgressCard } from '@/components/jobs/progress-card';
import { ReceiptCard } from '@/components/jobs/receipt-card';
import { SignInPrompt } from '@/components/layout/sign-in-prompt';
import { SuspectNotice } from '@/components/jobs/suspect-notice';
import { TelemetryPanel } from '@/components/jobs/telemetry-panel';
import { useJobLive } from '@/components/jobs/use-job-live';
import { Card } from '@/components/ui/card';
import { isApiError } from '@/lib/queries/api-client';
import { isJobActive, useJobDetail } from '@/lib/queries/jobs';
import { useSession } from '@/lib/queries/session';
import { useSimulationAccess } from '@/lib/queries/simulation';

/** While the live stream is down, the detail is re-read this often instead. */
const OFFLINE_POLL_MS = 10_000;

function Breadcrumb() {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <Link href="/jobs" className="text-accent underline-offset-2 hover:underline">
        ← Jobs
      </Link>
    </nav>
  );
}

/**
 * The job monitor: server-rendered from the prefetched detail and history, then live over one event
 * stream (see useJobLive). On the demo network, the demo's operators also get its failure switch.
 */
export function JobMonitor({ jobId, demo }: { jobId: string; demo: boolean }) {
  const session = useSession();
  const signedIn = !!session.data?.account;
  const simulation = useSimulationAccess(demo && signedIn);
  const { live, status } = useJobLive(jobId, signedIn);
  const detail = useJobDetail(jobId, {
    enabled: signedIn,
    pollMs: status === 'reconnecting' ? OFFLINE_POLL_MS : undefined,
  });

  if (session.isPending || (signedIn && detail.isPending))
    return (
      <div className="flex flex-col gap-6">
        <Breadcrumb />
        <h1 className="text-2xl font-semibold tracking-tight">Job</h1>
        <CardSkeleton title="Loading the job" lines={4} />
      </div>
    );
  if (!signedIn)
    return (
      <div className="flex flex-col gap-6">
        <Breadcrumb />
        <h1 className="text-2xl font-semibold tracking-tight">Job</h1>
        <SignInPrompt title="Sign in to see this job" />
      </div>
    );
  const job = detail.data;
  if (!job)
    return (
      <div className="flex flex-col gap-6">
        <Breadcrumb />
        <h1 className="text-2xl font-semibold tracking-tight">Job</h1>
        {detail.error && isApiError(detail.error) && detail.error.status === 404 ? (
          <p>There is no such job for your account.</p>
        ) : (
          <ErrorState
            message={`Could not load the job: ${detail.error?.message ?? 'unknown error'}`}
            onRetry={() => void detail.refetch()}
          />
        )}
      </div>
    );

  const state = live.data;
  return (
    <div className="flex flex-col gap-6">
      <Breadcrumb />
      <JobHeader job={job} status={status} simulationControls={demo && simulation.data?.operator === true} />
      <SuspectNotice job={job} />
      {job.rerunOfJobId ? (
        <p className="text-sm text-muted-foreground">
          This job re-runs{' '}
          <Link href={`/jobs/${job.rerunOfJobId}`} className="text-accent underline-offset-2 hover:underline">
            a job whose work became suspect
          </Link>
          .
        </p>
      ) : null}
      {live.error && !state ? (
        <ErrorState
          message={`Could not load the job's events: ${live.error.message}`}
          onRetry={() => void live.refetch()}
        />
      ) : null}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-2">
        <ProgressCard job={job} samples={state?.progress ?? []} fetchedAt={detail.dataUpdatedAt} />
        <CostCard job={job} />
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <Card className="flex flex-col gap-3">
          <h2 className="font-semibold">Timeline</h2>
          {state ? (
            <JobTimeline events={state.timeline} unit={job.unit} />
          ) : (
            <p className="text-sm text-muted-foreground">Loading…</p>
          )}
        </Card>
        <Card className="flex min-w-0 flex-col gap-3">
          <h2 className="font-semibold">Attempts</h2>
          <p className="text-sm text-muted-foreground">
            Each node the job ran on. A lost host&apos;s time since its last checkpoint is forfeited: never
            charged, never paid.
          </p>
          <AttemptsTable attempts={job.attempts} />
        </Card>
      </div>
      <FilesCard job={job} />
      <TelemetryPanel jobId={job.id} samples={state?.telemetry ?? []} running={isJobActive(job.state)} />
      <LogViewer jobId={job.id} lines={state?.logs ?? []} olderOmitted={state?.olderLogsOmitted ?? false} />
      {job.receiptAvailable ? <ReceiptCard jobId={job.id} specHash={job.specHash} /> : null}
    </div>
  );
}
