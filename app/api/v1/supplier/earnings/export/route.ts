import { apiRoute } from '@/lib/api/route';
import { csvResponse, earningsCsv } from '@/lib/supplier/csv';
import { resolveRange } from '@/lib/supplier/range';
import { dayRangeQuerySchema } from '@/lib/supplier/schemas';

/** Every earning of the range as CSV, with its USD value at the time, for accounting. */
export const GET = apiRoute({
  auth: 'required',
  query: dayRangeQuerySchema,
  handler: async ({ ctx, principal, query }) => {
    const range = resolveRange(query, ctx.clock.now());
    return await csvResponse(
      earningsCsv(ctx.db, principal.accountId, range),
      `backfill-earnings-${range.from}-${range.to}.csv`,
    );
  },
});
