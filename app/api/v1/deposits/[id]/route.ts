import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { requireChainDeps } from '@/lib/billing/chain-info';
import { getDeposit } from '@/lib/deposits/views';

export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params }) =>
    getDeposit(requireChainDeps(ctx), principal.accountId, params.id),
});
