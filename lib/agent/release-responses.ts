import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AGENT_FILE_NAME, AGENT_PACKAGE_NAME, AGENT_PATHS } from '@/lib/agent/install-paths';
import { sha256Line, type AgentRelease } from '@/lib/agent/release';
import { ifNoneMatchMatches } from '@/lib/server/conditional-get';

/**
 * The HTTP answers of the agent's download routes (app/agent/…). The URL names no version, so caches must
 * revalidate every time (`no-cache`): a cached older file would not match the sha256 the supplier page shows
 * now. The ETag is the file's sha256, so revalidation is a cheap 304.
 */

const NOT_BUILT =
  'The node agent has not been built on this server. Its operator runs `npm run build:agent` ' +
  '(`npm run build` and `npm start` do it too).\n';

function notBuilt(): Response {
  return new Response(NOT_BUILT, {
    status: 503,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': '60',
    },
  });
}

function releaseHeaders(release: AgentRelease, etag: string): Record<string, string> {
  return {
    etag,
    'cache-control': 'public, no-cache',
    'x-content-type-options': 'nosniff',
    'x-backfill-agent-version': release.version,
  };
}

/** The bytes with their digest as ETag; 304 when the client has them. */
function servedFile(
  request: Request,
  release: AgentRelease,
  file: { bytes: Uint8Array; sha256: string; type: string; name: string },
): Response {
  const etag = `"${file.sha256}"`;
  const headers = releaseHeaders(release, etag);
  if (ifNoneMatchMatches(request, etag)) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      ...headers,
      'content-type': file.type,
      'content-length': String(file.bytes.byteLength),
      'content-disposition': `attachment; filename="${file.name}"`,
    },
  });
}

/** GET /agent/backfill-agent.mjs: the bundled agent, or 503 when it is not built. */
export function agentBundleResponse(request: Request, release: AgentRelease | null): Response {
  if (!release) return notBuilt();
  return servedFile(request, release, {
    bytes: release.bytes,
    sha256: release.sha256,
    type: 'text/javascript; charset=utf-8',
    name: AGENT_FILE_NAME,
  });
}

/** GET /agent/backfill-agent.tgz: the same file as an npm package, for `npx`; 503 when not built. */
export function agentPackageResponse(request: Request, release: AgentRelease | null): Response {
  if (!release) return notBuilt();
  return servedFile(request, release, {
    bytes: release.package.bytes,
    sha256: release.package.sha256,
    type: 'application/gzip',
    name: AGENT_PACKAGE_NAME,
  });
}

/** GET /agent/backfill-agent.mjs.sha256: `<sha256>  backfill-agent.mjs`, as `sha256sum -c` reads it. */
export function agentSha256Response(request: Request, release: AgentRelease | null): Response {
  if (!release) return notBuilt();
  const etag = `"${release.sha256}.sha256"`;
  const headers = releaseHeaders(release, etag);
  if (ifNoneMatchMatches(request, etag)) return new Response(null, { status: 304, headers });
  return new Response(sha256Line(release.sha256), {
    headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** The deployment examples in the repository (deploy/agent/…), served so an install needs no checkout. */
const DEPLOY_FILES: Record<string, string> = {
  [AGENT_PATHS.dockerfile]: 'Dockerfile',
  [AGENT_PATHS.systemdUnit]: 'backfill-agent.service',
};

/** GET /agent/Dockerfile and /agent/backfill-agent.service: the files of deploy/agent as they are. */
export async function deployFileResponse(urlPath: string): Promise<Response> {
  const name = DEPLOY_FILES[urlPath];
  if (!name) return new Response('Not found\n', { status: 404 });
  // Scoped to deploy/agent in so many words, so the build traces that folder only.
  const text = await readFile(path.join(process.cwd(), 'deploy', 'agent', name), 'utf8');
  return new Response(text, {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    },
  });
}
