import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { AGENT_FILE_NAME } from '@/lib/agent/install-paths';
import { AGENT_MANIFEST_NAME, agentDistDir, type AgentManifest } from '@/lib/agent/release';
import { newestMtime } from '@/scripts/lib/build-freshness';

/** The Node.js release line the agent is built for: the oldest the project supports (package.json engines). */
export const AGENT_NODE_TARGET = 'node20';

/**
 * Bundles the node agent (scripts/agent.ts and everything it imports, zod included) into one ES module that
 * runs with Node.js alone — no checkout, no node_modules — and writes its manifest (version, sha256, size)
 * beside it. The `@/` paths resolve through tsconfig.json; the version is package.json's, inlined by the
 * bundler from lib/agent/version.ts. No dependency of the agent is CommonJS, so no `require` shim is needed:
 * a test runs the bundle from an empty directory to keep that true.
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
  await rename(temporary, file);
  const bytes = await readFile(file);
  const manifest: AgentManifest = {
    version: pkg.version,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sizeBytes: bytes.byteLength,
    builtAt: new Date().toISOString(),
  };
  await writeFile(path.join(outDir, AGENT_MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
  return { ...manifest, file };
}

/** What goes into the agent's bundle; a change to any of these makes it stale. */
const AGENT_INPUTS = ['lib', path.join('scripts', 'agent.ts'), 'package.json', 'tsconfig.json'];

/** True when the agent was never bundled (or its manifest is missing), or a source changed since. */
export function agentBundleIsStale(root: string, outDir = agentDistDir(root)): boolean {
  const file = path.join(outDir, AGENT_FILE_NAME);
  if (!existsSync(file) || !existsSync(path.join(outDir, AGENT_MANIFEST_NAME))) return true;
  const builtAt = statSync(file).mtimeMs;
  return AGENT_INPUTS.some((input) => newestMtime(path.join(root, input)) > builtAt);
}
