import { apiRoute } from '@/lib/api/route';
import { processHeartbeat } from '@/lib/agent/heartbeat';
import { answerIdleHeartbeat } from '@/lib/agent/idle-heartbeat';
import { authenticateNode, nodeTokenOf } from '@/lib/agent/node-auth';
import { heartbeatRequestSchema } from '@/lib/agent/schemas';
import { agentUpdateNeeded } from '@/lib/agent/version';
import { requireAgentVersion } from '@/lib/agent/version-policy';
import { serverEnv } from '@/lib/env';
import { filesConfig } from '@/lib/files/config';
import { callerOrigin } from '@/lib/files/transfer';
import { orchestrationConfig } from '@/lib/jobs/config';

/**
 * Status, telemetry and lease reports in; assignments and cancellations out. Authenticated by the node token.
 * An agent older than MIN_AGENT_VERSION is answered 426 and nothing of its heartbeat counts. An idle node's
 * heartbeat, the common case, is answered in one statement (lib/agent/idle-heartbeat.ts).
 */
export const POST = apiRoute({
  cookieless: true,
  body: heartbeatRequestSchema,
  maxBodyBytes: 1024 * 1024,
  handler: async ({ ctx, request, body }) => {
    const config = orchestrationConfig();
    const minimum = serverEnv().MIN_AGENT_VERSION;
    if (!agentUpdateNeeded(body.agentVersion, minimum)) {
      const idle = await answerIdleHeartbeat(ctx.db, ctx.clock, config, nodeTokenOf(request), body);
      if (idle) return idle;
    }
    const node = await authenticateNode(ctx.db, request);
    const files = {
      store: ctx.storage,
      config: filesConfig(),
      origin: callerOrigin(request, ctx.web.origins),
    };
    requireAgentVersion(body.agentVersion, minimum, files.origin ?? ctx.web.origins[0] ?? null);
    return processHeartbeat(ctx.db, ctx.clock, config, files, node, body);
  },
});
