import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_VERSION } from '@/lib/agent/version';
import { agentBundleIsStale, bundleAgent } from '@/scripts/lib/agent-bundle';

/** The bundled agent runs with Node.js alone, from a directory with no checkout and no node_modules. */
describe('the bundled agent', () => {
  let out: string;
  let empty: string;
  let built: Awaited<ReturnType<typeof bundleAgent>>;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'backfill-agent-bundle-'));
    empty = await mkdtemp(path.join(os.tmpdir(), 'backfill-agent-empty-'));
    built = await bundleAgent(process.cwd(), out);
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  const runBundle = (args: string[]) =>
    spawnSync(process.execPath, [built.file, ...args], {
      cwd: empty,
      // Only node itself: no npm, no tsx, no checkout on any path.
      env: { PATH: path.dirname(process.execPath), HOME: empty } as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8',
    });

  it('is one ES module whose only imports are Node.js built-ins', async () => {
    const text = await readFile(built.file, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const imported = [...text.matchAll(/^import\s.*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(imported.length).toBeGreaterThan(0);
    for (const specifier of imported) expect(specifier).toMatch(/^node:/);
    expect(text).not.toMatch(/\brequire\(["'](?!node:)/);
  });

  it('records its version and sha256 in the manifest', async () => {
    const bytes = await readFile(built.file);
    expect(built.version).toBe(AGENT_VERSION);
    expect(built.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(built.sizeBytes).toBe(bytes.byteLength);
    const manifest = JSON.parse(await readFile(path.join(out, 'backfill-agent.json'), 'utf8')) as unknown;
    expect(manifest).toMatchObject({ version: AGENT_VERSION, sha256: built.sha256 });
    expect(agentBundleIsStale(process.cwd(), out)).toBe(false);
  });

  it('prints its version and usage from an empty directory', () => {
    const version = runBundle(['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(AGENT_VERSION);
    const help = runBundle(['--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: node backfill-agent.mjs [options]');
  });

  it('is packed as an npm package that npx runs from the file', async () => {
    const packed = await readFile(path.join(out, 'backfill-agent.tgz'));
    expect(built.package.sha256).toBe(createHash('sha256').update(packed).digest('hex'));
    await copyFile(path.join(out, 'backfill-agent.tgz'), path.join(empty, 'backfill-agent.tgz'));
    const npx = spawnSync('npx', ['--yes', './backfill-agent.tgz', '--version'], {
      cwd: empty,
      env: {
        ...process.env,
        HOME: empty,
        npm_config_cache: path.join(empty, '.npm'),
        npm_config_update_notifier: 'false',
      },
      encoding: 'utf8',
    });
    expect(npx.status, npx.stderr).toBe(0);
    expect(npx.stdout.trim()).toBe(AGENT_VERSION);
  });

  it('refuses bad flags the way the checkout agent does (status 2)', () => {
    const refused = runBundle(['--runner', 'kubernetes']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--runner must be "docker" or "process"');
  });
});
