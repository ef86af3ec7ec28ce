import { apiRoute } from '@/lib/api/route';
import { csvResponse, payoutsCsv } from '@/lib/supplier/csv';
import { resolveRange } from '@/lib/supplier/range';
import { dayRangeQuerySchema } from '@/lib/supplier/schemas';

/** Every payout requested in the range as CSV, with its USD value, chain and transaction, for accounting. */
export const GET = apiRoute({
  auth: 'required',
  query: dayRangeQuerySchema,
  handler: async ({ ctx, principal, query }) => {
    const range = resolveRange(query, ctx.clock.now());
    return await csvResponse(
      payoutsCsv(ctx.db, principal.accountId, range),
      `backfill-payouts-${range.from}-${range.to}.csv`,
    );
  },
});
