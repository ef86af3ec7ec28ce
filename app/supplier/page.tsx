import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { toUrlSearchParams } from '@/app/jobs/search-params';
import { prefetchSupplier } from '@/app/supplier/prefetch';
import { CardSkeleton } from '@/components/billing/skeleton';
import { SupplierView } from '@/components/supplier/supplier-view';
import { loadAgentRelease } from '@/lib/agent/release';
import { readEarningsRange } from '@/lib/queries/supplier';

export const metadata: Metadata = { title: 'Supplier' };

/** Per-visitor (session cookie), so never prerendered. */
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SupplierPage({ searchParams }: { searchParams: SearchParams }) {
  const range = readEarningsRange(toUrlSearchParams(await searchParams));
  const [{ queryClient, demo }, release] = await Promise.all([prefetchSupplier(range), loadAgentRelease()]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Supplier</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Your machines on Backfill: add a node with the agent, watch it get verified and rented, set its
          price, and withdraw what it earned to your wallet.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Suspense fallback={<CardSkeleton title="Supplier console" />}>
          <SupplierView
            demo={demo}
            agentRelease={
              release
                ? { version: release.version, sha256: release.sha256, packageSha256: release.package.sha256 }
                : null
            }
          />
        </Suspense>
      </HydrationBoundary>
    </div>
  );
}
