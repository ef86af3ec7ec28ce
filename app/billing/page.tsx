import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { BillingView } from '@/components/billing/billing-view';
import { prefetchBilling } from '@/app/billing/prefetch';

export const metadata: Metadata = { title: 'Billing' };

/** Per-visitor (session cookie), so never prerendered. */
export const dynamic = 'force-dynamic';

export default async function BillingPage() {
  const queryClient = await prefetchBilling();
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Your balance in USDC, deposits from your wallet and every ledger entry behind them.
        </p>
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <BillingView />
      </HydrationBoundary>
    </div>
  );
}
