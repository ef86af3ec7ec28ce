import { apiRoute } from '@/lib/api/route';
import { exportLedgerCsv } from '@/lib/billing/ledger-entries';

export const GET = apiRoute({
  auth: 'required',
  handler: async ({ ctx, principal }) =>
    new Response(await exportLedgerCsv(ctx.db, principal.accountId), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="backfill-ledger.csv"',
        'Cache-Control': 'no-store',
      },
    }),
});
