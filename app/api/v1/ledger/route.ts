import { pageQuerySchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { listLedgerEntries } from '@/lib/billing/ledger-entries';

export const GET = apiRoute({
  auth: 'required',
  query: pageQuerySchema,
  handler: async ({ ctx, principal, query }) => listLedgerEntries(ctx.db, principal.accountId, query),
});
