import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { quoteJob } from '@/lib/jobs/quote';
import { quoteRequestSchema } from '@/lib/jobs/schemas';

/** A quote changes nothing, so anyone may ask; a signed-in caller also gets runway against their balance. */
export const POST = apiRoute({
  auth: 'optional',
  scope: 'jobs',
  body: quoteRequestSchema,
  rateLimit: RATE_LIMITS.quotes,
  handler: async ({ ctx, principal, body }) => quoteJob(ctx.db, principal?.accountId ?? null, body),
});
