import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { prefetchJobList } from '@/app/jobs/prefetch';
import { toUrlSearchParams } from '@/app/jobs/search-params';
import { CardSkeleton } from '@/components/billing/skeleton';
import { JobsView } from '@/components/jobs/jobs-view';
import { readJobFilters } from '@/lib/queries/jobs';

export const metadata: Metadata = { title: 'Jobs' };

/** Per-visitor (session cookie), so never prerendered. */
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function JobsPage({ searchParams }: { searchParams: SearchParams }) {
  const filters = readJobFilters(toUrlSearchParams(await searchParams));
  const queryClient = await prefetchJobList(filters);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Jobs</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Everything you have launched: where it runs, how far it got and what it has cost against its budget.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense fallback={<CardSkeleton title="Jobs" />}>
          <JobsView />
        </Suspense>
      </HydrationBoundary>
    </div>
  );
}
