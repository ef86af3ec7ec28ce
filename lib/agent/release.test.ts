import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_FILE_NAME, AGENT_PACKAGE_NAME, AGENT_PATHS } from '@/lib/agent/install-paths';
import { AGENT_MANIFEST_NAME, loadAgentRelease } from '@/lib/agent/release';
import {
  agentBundleResponse,
  agentPackageResponse,
  agentSha256Response,
  deployFileResponse,
} from '@/lib/agent/release-responses';
import { toAgentReleaseView } from '@/lib/agent/release-view';

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const get = (headers: Record<string, string> = {}) =>
  new Request(`http://localhost:3000${AGENT_PATHS.bundle}`, { headers });

describe('the agent download', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'backfill-agent-release-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const PACKAGE = 'a gzip of the package';

  async function writeBuild(text: string, manifest: unknown = manifestOf(text)) {
    await writeFile(path.join(dir, AGENT_FILE_NAME), text);
    await writeFile(path.join(dir, AGENT_PACKAGE_NAME), PACKAGE);
    await writeFile(path.join(dir, AGENT_MANIFEST_NAME), JSON.stringify(manifest));
  }

  function manifestOf(text: string) {
    return {
      version: '0.1.0',
      sha256: sha256(text),
      sizeBytes: text.length,
      builtAt: '2026-12-07T01:00:00.000Z',
      package: { sha256: sha256(PACKAGE), sizeBytes: PACKAGE.length },
    };
  }

  it('is absent until built: 503 with a clear message, never cached', async () => {
    expect(await loadAgentRelease(dir)).toBeNull();
    const answer = agentBundleResponse(get(), await loadAgentRelease(dir));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.text()).toContain('npm run build:agent');
    expect(agentSha256Response(get(), null).status).toBe(503);
    // A file without its manifest (a build that stopped half-way) is not served either.
    await writeFile(path.join(dir, AGENT_FILE_NAME), 'console.log(1);\n');
    expect(await loadAgentRelease(dir)).toBeNull();
  });

  it('serves the bytes as JavaScript with their sha256 as ETag, revalidated every time; 304 when unchanged', async () => {
    const text = '#!/usr/bin/env node\nconsole.log("agent");\n';
    await writeBuild(text);
    const release = await loadAgentRelease(dir);
    expect(release).toMatchObject({ version: '0.1.0', sha256: sha256(text), sizeBytes: text.length });

    const answer = agentBundleResponse(get(), release);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(answer.headers.get('etag')).toBe(`"${sha256(text)}"`);
    expect(answer.headers.get('cache-control')).toBe('public, no-cache');
    expect(answer.headers.get('x-backfill-agent-version')).toBe('0.1.0');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await answer.text()).toBe(text);

    const again = agentBundleResponse(get({ 'if-none-match': `W/"x", "${sha256(text)}"` }), release);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(agentBundleResponse(get({ 'if-none-match': '"other"' }), release).status).toBe(200);
  });

  it('answers the digest in sha256sum format, computed from the bytes served (not taken from the manifest)', async () => {
    const text = 'console.log("served");\n';
    await writeBuild(text, { ...manifestOf(text), sha256: 'f'.repeat(64), sizeBytes: 1 });
    const release = await loadAgentRelease(dir);
    const answer = agentSha256Response(get(), release);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await answer.text()).toBe(`${sha256(text)}  backfill-agent.mjs\n`);
  });

  it('serves the npm package for npx the same way, with its own digest', async () => {
    await writeBuild('console.log(1);\n');
    const release = await loadAgentRelease(dir);
    const answer = agentPackageResponse(get(), release);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/gzip');
    expect(answer.headers.get('etag')).toBe(`"${sha256(PACKAGE)}"`);
    expect(await answer.text()).toBe(PACKAGE);
    expect(agentPackageResponse(get({ 'if-none-match': `"${sha256(PACKAGE)}"` }), release).status).toBe(304);
    expect(agentPackageResponse(get(), null).status).toBe(503);
  });

  it('picks up a rebuild', async () => {
    await writeBuild('console.log(1);\n');
    const first = await loadAgentRelease(dir);
    await writeBuild('console.log(22);\n');
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(dir, AGENT_FILE_NAME), later, later);
    const second = await loadAgentRelease(dir);
    expect(second?.sha256).toBe(sha256('console.log(22);\n'));
    expect(second?.sha256).not.toBe(first?.sha256);
  });

  it('describes the release with absolute URLs on the caller’s origin', async () => {
    await writeBuild('console.log(1);\n');
    const release = await loadAgentRelease(dir);
    if (!release) throw new Error('no release');
    expect(toAgentReleaseView(release, 'https://backfill.example.com', '0.1.0')).toEqual({
      version: '0.1.0',
      sha256: release.sha256,
      sizeBytes: release.sizeBytes,
      builtAt: '2026-12-07T01:00:00.000Z',
      downloadUrl: 'https://backfill.example.com/agent/backfill-agent.mjs',
      sha256Url: 'https://backfill.example.com/agent/backfill-agent.mjs.sha256',
      packageUrl: 'https://backfill.example.com/agent/backfill-agent.tgz',
      packageSha256: sha256(PACKAGE),
      minimumVersion: '0.1.0',
    });
  });

  it('serves the Dockerfile and the systemd unit of deploy/agent as they are, and nothing else', async () => {
    for (const [urlPath, file] of [
      [AGENT_PATHS.dockerfile, 'deploy/agent/Dockerfile'],
      [AGENT_PATHS.systemdUnit, 'deploy/agent/backfill-agent.service'],
    ] as const) {
      const answer = await deployFileResponse(urlPath);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await answer.text()).toBe(await readFile(file, 'utf8'));
    }
    expect((await deployFileResponse('/agent/../package.json')).status).toBe(404);
  });
});
