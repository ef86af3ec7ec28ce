import { AGENT_PATHS } from '@/lib/agent/install-paths';
import { deployFileResponse } from '@/lib/agent/release-responses';

/** The systemd unit example (deploy/agent/backfill-agent.service). */
export async function GET() {
  return deployFileResponse(AGENT_PATHS.systemdUnit);
}
