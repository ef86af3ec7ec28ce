import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { AGENT_FILE_NAME, AGENT_PACKAGE_NAME } from '@/lib/agent/install-paths';
import { AGENT_MANIFEST_NAME, agentDistDir, type AgentManifest } from '@/lib/agent/release';
import { newestMtime } from '@/scripts/lib/build-freshness';

/** The Node.js release line the agent is built for: the oldest the project supports (package.json engines). */
export const AGENT_NODE_TARGET = 'node20';

/**
 * Bundles the node agent (scripts/agent.ts and everything it imports, zod included) into one ES module that
 * runs with Node.js alone — no checkout, no node_modules — and writes its manifest (version, sha256, size)
 * beside it. The `@/` paths resolve through tsconfig.json; the version is package.json's, inlined by the
 * bundler from lib/agent/version.ts. No dependency of the agent is CommonJS, so no `require` shim is needed:
 * a test runs the bundle from an empty directory to keep that true. The same file is also packed as an npm
 * package (`backfill-agent.tgz`: that file and its `backfill-agent` bin, no dependencies) for `npx`.
 */
export async function bundleAgent(
  root: string,
  outDir = agentDistDir(root),
): Promise<AgentManifest & { file: string }> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string };
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, AGENT_FILE_NAME);
  // Written beside the final name and renamed, so a server never serves half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'scripts', 'agent.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: AGENT_NODE_TARGET,
    tsconfig: path.join(root, 'tsconfig.json'),
    // Readable on purpose: suppliers may read what they run. Only dead code is dropped.
    minify: false,
    legalComments: 'eof',
    banner: {
      js: `#!/usr/bin/env node\n// Backfill node agent ${pkg.version}. Usage: node ${AGENT_FILE_NAME} --help`,
    },
    logLevel: 'warning',
    write: true,
  });
  if (result.errors.length) throw new Error(`the agent bundle failed: ${result.errors[0]?.text}`);
  const packed = await packAgent(temporary, pkg.version, outDir);
  await rename(temporary, file);
  const bytes = await readFile(file);
  const manifest: AgentManifest = {
    version: pkg.version,
    sha256: sha256Of(bytes),
    sizeBytes: bytes.byteLength,
    builtAt: new Date().toISOString(),
    package: { sha256: sha256Of(packed), sizeBytes: packed.byteLength },
  };
  await writeFile(path.join(outDir, AGENT_MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
  return { ...manifest, file };
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * `npm pack` of a package holding only the bundled file, as `backfill-agent.tgz` in `outDir` (renamed into
 * place, so it is never served half-written). npm writes fixed timestamps, so the same bundle packs to the
 * same bytes.
 */
async function packAgent(bundle: string, version: string, outDir: string): Promise<Buffer> {
  const stage = await mkdtemp(path.join(os.tmpdir(), 'backfill-agent-pack-'));
  try {
    await copyFile(bundle, path.join(stage, AGENT_FILE_NAME));
    const manifest = {
      name: 'backfill-agent',
      version,
      description:
        'The Backfill node agent: registers a GPU machine with a Backfill marketplace and runs its jobs.',
      type: 'module',
      bin: { 'backfill-agent': AGENT_FILE_NAME },
      files: [AGENT_FILE_NAME],
      engines: { node: '>=20' },
    };
    await writeFile(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // npm itself: the one running this script when there is one, else the one on PATH.
    const npm = process.env.npm_execpath
      ? { file: process.execPath, args: [process.env.npm_execpath] }
      : { file: 'npm', args: [] };
    const { stdout } = await promisify(execFile)(
      npm.file,
      [...npm.args, 'pack', '--json', '--ignore-scripts', '--pack-destination', stage],
      { cwd: stage, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' } },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error('npm pack wrote no package');
    const target = path.join(outDir, AGENT_PACKAGE_NAME);
    const temporary = `${target}.${process.pid}.tmp`;
    await copyFile(path.join(stage, packed.filename), temporary);
    await rename(temporary, target);
    return await readFile(target);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** What goes into the agent's bundle; a change to any of these makes it stale. */
const AGENT_INPUTS = ['lib', path.join('scripts', 'agent.ts'), 'package.json', 'tsconfig.json'];

/** True when the agent was never bundled (or its manifest is missing), or a source changed since. */
export function agentBundleIsStale(root: string, outDir = agentDistDir(root)): boolean {
  const file = path.join(outDir, AGENT_FILE_NAME);
  for (const name of [AGENT_FILE_NAME, AGENT_PACKAGE_NAME, AGENT_MANIFEST_NAME])
    if (!existsSync(path.join(outDir, name))) return true;
  const builtAt = statSync(file).mtimeMs;
  return AGENT_INPUTS.some((input) => newestMtime(path.join(root, input)) > builtAt);
}
