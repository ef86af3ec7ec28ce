import { apiRoute } from '@/lib/api/route';
import { RECONCILIATION_CACHE_CONTROL, chainReconciliation } from '@/lib/reconciliation/service';

/**
 * The ledger reconciled with the chain itself: the treasury's USDC balance and transfers against the ledger's
 * deposits, simulated funding and payouts, every difference, and the status. Public.
 */
export const GET = apiRoute({
  cacheControl: RECONCILIATION_CACHE_CONTROL,
  handler: async ({ ctx }) => chainReconciliation(ctx),
});
