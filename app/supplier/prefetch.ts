import type { QueryClient } from '@tanstack/react-query';
import { prefetchJobsSession } from '@/app/jobs/prefetch';
import { chainInfo, requireChainDeps } from '@/lib/billing/chain-info';
import { serverEnv } from '@/lib/env';
import { listPayouts } from '@/lib/payouts/views';
import { queryKeys } from '@/lib/queries/keys';
import { PAYOUTS_PAGE_SIZE } from '@/lib/queries/transfers-out';
import { SUPPLIER_NODES_PAGE_SIZE, supplierKeys, type EarningsRange } from '@/lib/queries/supplier';
import { supplierViewConfig } from '@/lib/supplier/config';
import { getSupplierEarnings } from '@/lib/supplier/earnings';
import { listSupplierNodes } from '@/lib/supplier/nodes';
import { resolveRange } from '@/lib/supplier/range';

export interface SupplierPrefetch {
  queryClient: QueryClient;
  /** Whether the data is the simulated demo network. */
  demo: boolean;
}

/**
 * Fills a query cache with what the supplier console shows first, under the keys and page sizes its hooks
 * use: the session, the chain, and for a signed-in account the first page of its nodes, the earnings report
 * of the range in the URL and the first page of its payouts. Whatever fails here is left to the browser,
 * which asks the API and shows the API's error (an invalid range, for one, is the API's 400).
 */
export async function prefetchSupplier(range: EarningsRange): Promise<SupplierPrefetch> {
  const { queryClient, ctx, accountId } = await prefetchJobsSession();
  const demo = ctx.simulated;
  if (ctx.chain)
    queryClient.setQueryData(queryKeys.chain, chainInfo(ctx, serverEnv().WALLETCONNECT_PROJECT_ID ?? null));
  if (!accountId) return { queryClient, demo };

  const report = (() => {
    try {
      return resolveRange(range, ctx.clock.now());
    } catch {
      return null;
    }
  })();
  const chainDeps = (() => {
    try {
      return requireChainDeps(ctx);
    } catch {
      return null;
    }
  })();
  const [nodes, earnings, payouts] = await Promise.all([
    listSupplierNodes(ctx.db, ctx.clock, supplierViewConfig(), accountId, {
      limit: SUPPLIER_NODES_PAGE_SIZE,
    }).catch(() => null),
    report ? getSupplierEarnings(ctx.db, accountId, report).catch(() => null) : null,
    chainDeps ? listPayouts(chainDeps, accountId, { limit: PAYOUTS_PAGE_SIZE }).catch(() => null) : null,
  ]);
  if (nodes) queryClient.setQueryData(supplierKeys.nodes, { pages: [nodes], pageParams: [null] });
  if (earnings) queryClient.setQueryData(supplierKeys.earnings(range), earnings);
  if (payouts) queryClient.setQueryData(supplierKeys.payouts, { pages: [payouts], pageParams: [null] });
  return { queryClient, demo };
}
