import { AGENT_PATHS } from '@/lib/agent/install-paths';
import { deployFileResponse } from '@/lib/agent/release-responses';

/** The agent image's Dockerfile (deploy/agent/Dockerfile), for `docker build` without a checkout. */
export async function GET() {
  return deployFileResponse(AGENT_PATHS.dockerfile);
}
