import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { registerNode } from '@/lib/agent/register';
import { registerRequestSchema } from '@/lib/agent/schemas';
import { requireAgentVersion } from '@/lib/agent/version-policy';
import { serverEnv } from '@/lib/env';
import { callerOrigin } from '@/lib/files/transfer';
import { orchestrationConfig } from '@/lib/jobs/config';

/**
 * A machine's agent registers with its supplier's one-time token and receives its node token. An agent older
 * than MIN_AGENT_VERSION is refused (426) before the token is used.
 */
export const POST = apiRoute({
  cookieless: true,
  body: registerRequestSchema,
  rateLimit: RATE_LIMITS.nodeRegistration,
  status: 201,
  handler: async ({ ctx, request, body }) => {
    requireAgentVersion(
      body.agentVersion,
      serverEnv().MIN_AGENT_VERSION,
      callerOrigin(request, ctx.web.origins) ?? ctx.web.origins[0] ?? null,
    );
    return registerNode(ctx.db, ctx.clock, orchestrationConfig(), body);
  },
});
