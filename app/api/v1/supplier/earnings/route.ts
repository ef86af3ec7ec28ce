import { apiRoute } from '@/lib/api/route';
import { getSupplierEarnings } from '@/lib/supplier/earnings';
import { resolveRange } from '@/lib/supplier/range';
import { dayRangeQuerySchema } from '@/lib/supplier/schemas';

/** Paid work and incentives per UTC day and per node, totals, and the balances now. */
export const GET = apiRoute({
  auth: 'required',
  query: dayRangeQuerySchema,
  handler: async ({ ctx, principal, query }) =>
    getSupplierEarnings(ctx.db, principal.accountId, resolveRange(query, ctx.clock.now())),
});
