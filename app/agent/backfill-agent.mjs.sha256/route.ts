import { loadAgentRelease } from '@/lib/agent/release';
import { agentSha256Response } from '@/lib/agent/release-responses';

/** The bundled agent's sha256, in `sha256sum` format. */
export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  return agentSha256Response(request, await loadAgentRelease());
}
