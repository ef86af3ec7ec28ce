import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { requireWalletSession } from '@/lib/auth/require-session';
import { createApiKeyRequestSchema } from '@/lib/auth/schemas';

export const GET = apiRoute({
  auth: 'required',
  handler: async ({ ctx, principal }) => ({ items: await listApiKeys(ctx.db, principal.accountId) }),
});

export const POST = apiRoute({
  auth: 'required',
  body: createApiKeyRequestSchema,
  rateLimit: RATE_LIMITS.apiKeys,
  status: 201,
  handler: async ({ ctx, principal, body }) => {
    requireWalletSession(principal);
    return createApiKey(ctx.db, ctx.clock, principal.accountId, body.name, body.scopes);
  },
});
