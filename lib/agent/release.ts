import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AGENT_FILE_NAME, AGENT_PACKAGE_NAME } from '@/lib/agent/install-paths';

/**
 * The bundled node agent the marketplace hands out: one ES module that needs only Node.js, and the same file
 * as an npm package for `npx` (`npm run build:agent` writes both, and `npm run build` and `npm start` build
 * them with the app). Served at `/agent/backfill-agent.mjs` and `/agent/backfill-agent.tgz` with their sha256,
 * so a supplier installs the agent without a checkout.
 */

/** Where the build writes it, relative to the app's root. */
export const AGENT_DIST_DIR = path.join('dist', 'agent');
/** The build's note of what it bundled, beside the file. */
export const AGENT_MANIFEST_NAME = 'backfill-agent.json';

export const agentManifestSchema = z.object({
  version: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().positive(),
  builtAt: z.iso.datetime(),
  package: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), sizeBytes: z.number().int().positive() }),
});
export type AgentManifest = z.infer<typeof agentManifestSchema>;

export interface AgentRelease {
  version: string;
  /** Of the bytes served (computed from them, not taken from the manifest). */
  sha256: string;
  sizeBytes: number;
  builtAt: string;
  bytes: Uint8Array;
  /** The npm package (backfill-agent.tgz), its digest computed from its bytes too. */
  package: { sha256: string; sizeBytes: number; bytes: Uint8Array };
}

export function agentDistDir(root = process.cwd()): string {
  return path.join(root, AGENT_DIST_DIR);
}

/** The served file's digest line, as `sha256sum` prints it and `sha256sum -c` reads it. */
export function sha256Line(sha256: string, fileName = AGENT_FILE_NAME): string {
  return `${sha256}  ${fileName}\n`;
}

let cached: { key: string; release: AgentRelease } | null = null;

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The built agent, or null when it has not been built (or its manifest is missing or damaged). Read once
 * and kept while the file is unchanged (same size and modification time), so a rebuild is picked up.
 */
export async function loadAgentRelease(dir = agentDistDir()): Promise<AgentRelease | null> {
  const file = path.join(dir, AGENT_FILE_NAME);
  const packageFile = path.join(dir, AGENT_PACKAGE_NAME);
  let key: string;
  try {
    const [info, packageInfo] = await Promise.all([stat(file), stat(packageFile)]);
    key = `${file}:${info.size}:${info.mtimeMs}:${packageInfo.size}:${packageInfo.mtimeMs}`;
  } catch {
    return null;
  }
  if (cached?.key === key) return cached.release;
  let manifest: AgentManifest;
  try {
    manifest = agentManifestSchema.parse(
      JSON.parse(await readFile(path.join(dir, AGENT_MANIFEST_NAME), 'utf8')),
    );
  } catch {
    return null;
  }
  const bytes = new Uint8Array(await readFile(file));
  const packageBytes = new Uint8Array(await readFile(packageFile));
  const release: AgentRelease = {
    version: manifest.version,
    sha256: sha256Of(bytes),
    sizeBytes: bytes.byteLength,
    builtAt: manifest.builtAt,
    bytes,
    package: { sha256: sha256Of(packageBytes), sizeBytes: packageBytes.byteLength, bytes: packageBytes },
  };
  cached = { key, release };
  return release;
}
