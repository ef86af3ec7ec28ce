import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { prefetchJobMonitor } from '@/app/jobs/[id]/prefetch';
import { JobMonitor } from '@/components/jobs/job-monitor';

export const metadata: Metadata = { title: 'Job' };

/** Per-visitor (session cookie) and live, so never prerendered. */
export const dynamic = 'force-dynamic';

type Params = Promise<{ id: string }>;

export default async function JobPage({ params }: { params: Params }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const { queryClient, demo, outcome } = await prefetchJobMonitor(id);
  if (outcome === 'missing') notFound();
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <JobMonitor key={id} jobId={id} demo={demo} />
    </HydrationBoundary>
  );
}
