import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { loadAgentRelease } from '@/lib/agent/release';
import { toAgentReleaseView } from '@/lib/agent/release-view';
import { serverEnv } from '@/lib/env';
import { callerOrigin } from '@/lib/files/transfer';

/** The agent this marketplace hands out (version, sha256, download URL) and the oldest version it accepts. */
export const GET = apiRoute({
  cacheControl: 'public, no-cache',
  handler: async ({ ctx, request }) => {
    const release = await loadAgentRelease();
    if (!release)
      throw new AppError(
        'not_found',
        'The node agent has not been built on this server (npm run build:agent).',
      );
    const origin = callerOrigin(request, ctx.web.origins) ?? ctx.web.origins[0] ?? '';
    return toAgentReleaseView(release, origin, serverEnv().MIN_AGENT_VERSION ?? null);
  },
});
