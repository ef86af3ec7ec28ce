import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorResponses, json } from '@/lib/api/openapi-helpers';
import { agentReleaseSchema } from '@/lib/agent/release-view';

/** Where to get the node agent: the release this marketplace hands out. */
export function registerAgentReleasePaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/v1/agent/release',
    operationId: 'getAgentRelease',
    tags: ['Agent'],
    summary: 'The node agent to install',
    description:
      'The bundled node agent this marketplace serves — one file that needs only Node.js 20 or later — with its ' +
      'version, sha256 and size, its download URL (`/agent/backfill-agent.mjs`, with the digest at ' +
      '`/agent/backfill-agent.mjs.sha256`), and the oldest agent version the marketplace accepts. 404 when the ' +
      'agent has not been built on this server. Public; `Cache-Control: public, no-cache`.',
    responses: { 200: json(agentReleaseSchema, 'The release.'), ...errorResponses(404, 500) },
  });
}
