'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { EmptyState, ErrorState, ListSkeleton, LoadMore } from '@/components/billing/list-states';
import { CardSkeleton } from '@/components/billing/skeleton';
import { JobFilters } from '@/components/jobs/job-filters';
import { JobTable } from '@/components/jobs/job-table';
import { SignInPrompt } from '@/components/layout/sign-in-prompt';
import { StorageUse } from '@/components/jobs/storage-use';
import { buttonClasses } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { jobFiltersToSearchParams, readJobFilters, useJobs, type JobListFilters } from '@/lib/queries/jobs';
import { useSession } from '@/lib/queries/session';

/**
 * "My jobs": filters in the URL (shareable; changed through the History API, so the page never reloads),
 * keyset "Load more", and the first page server-rendered through the hydrated query cache.
 */
export function JobsView() {
  const session = useSession();
  const account = session.data?.account ?? null;
  const searchParams = useSearchParams();
  const filters = useMemo(() => readJobFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  const jobs = useJobs(filters, account !== null);

  const onFilters = useCallback((next: JobListFilters) => {
    const query = jobFiltersToSearchParams(next).toString();
    window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
  }, []);

  if (session.isPending) return <CardSkeleton title="Jobs" />;
  if (session.error && !session.data)
    return (
      <ErrorState
        message={`Could not check your session: ${session.error.message}`}
        onRetry={() => void session.refetch()}
      />
    );
  if (!account) return <SignInPrompt title="Sign in to see your jobs" />;

  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filters.state !== undefined || filters.template !== undefined;
  const status = jobs.isPending
    ? 'Loading jobs…'
    : jobs.error && items.length === 0
      ? 'Could not load jobs.'
      : jobs.isPlaceholderData
        ? 'Updating…'
        : items.length === 0
          ? filtered
            ? 'No jobs match these filters.'
            : 'No jobs yet.'
          : `Showing ${items.length} job${items.length === 1 ? '' : 's'}${jobs.hasNextPage ? ' (more below)' : ''}.`;

  return (
    <Card className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 className="sr-only">Jobs</h2>
        <JobFilters filters={filters} onChange={onFilters} />
        <Link href="/jobs/new" className={buttonClasses('primary')}>
          Launch a job
        </Link>
      </div>
      <div className="flex flex-wrap justify-between gap-2 text-sm text-muted-foreground">
        <p role="status" aria-live="polite">
          {status}
        </p>
        <StorageUse />
      </div>
      {jobs.isPending ? (
        <ListSkeleton rows={5} />
      ) : jobs.error && items.length === 0 ? (
        <ErrorState
          message={`Could not load jobs: ${jobs.error.message}`}
          onRetry={() => void jobs.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState>
          {filtered ? (
            <>
              No jobs match these filters.{' '}
              <button
                type="button"
                className="text-accent underline underline-offset-2"
                onClick={() => onFilters({})}
              >
                Show all jobs
              </button>
            </>
          ) : (
            <span className="flex flex-col items-center gap-3">
              <span>
                You have not launched a job yet. Pick a template, see a live quote, and launch in a minute.
              </span>
              <Link href="/jobs/new" className={buttonClasses('primary')}>
                Launch a job
              </Link>
            </span>
          )}
        </EmptyState>
      ) : (
        <div
          aria-busy={jobs.isPlaceholderData || undefined}
          className={jobs.isPlaceholderData ? 'opacity-60' : undefined}
        >
          <JobTable jobs={items} />
        </div>
      )}
      <LoadMore
        label="Load more jobs"
        hasMore={jobs.hasNextPage}
        loading={jobs.isFetchingNextPage}
        onLoad={() => void jobs.fetchNextPage()}
      />
    </Card>
  );
}
