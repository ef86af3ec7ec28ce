import { apiRoute } from '@/lib/api/route';
import { getBalanceView } from '@/lib/billing/balance';

export const GET = apiRoute({
  auth: 'required',
  handler: async ({ ctx, principal }) => getBalanceView(ctx.db, principal.accountId),
});
