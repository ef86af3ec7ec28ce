import { emptyBodySchema } from '@/lib/api/common-schemas';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { issueRegistrationToken } from '@/lib/agent/register';

/** A one-time token for `npm run agent -- --token …` on a new machine; it expires in an hour. */
export const POST = apiRoute({
  auth: 'required',
  scope: 'supplier',
  body: emptyBodySchema,
  rateLimit: RATE_LIMITS.registrationTokens,
  status: 201,
  handler: async ({ ctx, principal }) => issueRegistrationToken(ctx.db, ctx.clock, principal.accountId),
});
