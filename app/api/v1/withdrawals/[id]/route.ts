import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { requireChainDeps } from '@/lib/billing/chain-info';
import { getPayout } from '@/lib/payouts/views';

export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params }) =>
    getPayout(requireChainDeps(ctx), principal.accountId, params.id, 'customer_balance'),
});
