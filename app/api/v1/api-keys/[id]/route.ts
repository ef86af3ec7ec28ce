import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { revokeApiKey } from '@/lib/auth/api-keys';
import { requireWalletSession } from '@/lib/auth/require-session';

export const DELETE = apiRoute({
  auth: 'required',
  body: emptyBodySchema,
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params }) => {
    requireWalletSession(principal);
    return revokeApiKey(ctx.db, ctx.clock, principal.accountId, params.id);
  },
});
