import { loadAgentRelease } from '@/lib/agent/release';
import { agentBundleResponse } from '@/lib/agent/release-responses';

/** The node agent as one file that needs only Node.js (docs/agent.md, "Install"). */
export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  return agentBundleResponse(request, await loadAgentRelease());
}
