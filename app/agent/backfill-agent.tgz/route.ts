import { loadAgentRelease } from '@/lib/agent/release';
import { agentPackageResponse } from '@/lib/agent/release-responses';

/** The bundled agent as an npm package: `npx <origin>/agent/backfill-agent.tgz --api … --token …`. */
export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  return agentPackageResponse(request, await loadAgentRelease());
}
