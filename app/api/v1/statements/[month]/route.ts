import { apiRoute } from '@/lib/api/route';
import { statementParamsSchema, statementQuerySchema } from '@/lib/billing/schemas';
import { monthlyStatement, monthlyStatementCsv } from '@/lib/billing/statement';
import { wantsCsv } from '@/lib/metrics/http';

/** Your statement for one month: JSON (balances and movements by account) or CSV (every posting). */
export const GET = apiRoute({
  auth: 'required',
  params: statementParamsSchema,
  query: statementQuerySchema,
  handler: async ({ ctx, principal, params, query, request }) => {
    if (!wantsCsv(query.format, request.headers.get('accept')))
      return monthlyStatement(ctx.db, principal.accountId, params.month, ctx.clock.now());
    return new Response(
      await monthlyStatementCsv(ctx.db, principal.accountId, params.month, ctx.clock.now()),
      {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="backfill-statement-${params.month}.csv"`,
          'Cache-Control': 'no-store',
        },
      },
    );
  },
});
