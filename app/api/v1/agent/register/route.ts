import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { registerNode } from '@/lib/agent/register';
import { registerRequestSchema } from '@/lib/agent/schemas';
import { orchestrationConfig } from '@/lib/jobs/config';

/** A machine's agent registers with its supplier's one-time token and receives its node token. */
export const POST = apiRoute({
  cookieless: true,
  body: registerRequestSchema,
  rateLimit: RATE_LIMITS.nodeRegistration,
  status: 201,
  handler: async ({ ctx, body }) => registerNode(ctx.db, ctx.clock, orchestrationConfig(), body),
});
