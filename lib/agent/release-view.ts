import { z } from 'zod';
import { isoDateSchema } from '@/lib/api/common-schemas';
import { AGENT_PATHS } from '@/lib/agent/install-paths';
import type { AgentRelease } from '@/lib/agent/release';

/** GET /api/v1/agent/release: the agent this marketplace hands out, and the oldest it accepts. */
export const agentReleaseSchema = z
  .object({
    version: z.string().meta({ description: 'The bundled agent’s version.' }),
    sha256: z.string().meta({ description: 'Of the file served at `downloadUrl`.' }),
    sizeBytes: z.number().int(),
    builtAt: isoDateSchema,
    downloadUrl: z
      .string()
      .meta({ description: 'The agent: one ES module that runs with Node.js 20 or later.' }),
    sha256Url: z.string().meta({ description: 'Its digest in `sha256sum` format.' }),
    packageUrl: z.string().meta({
      description: 'The same file as an npm package (its `backfill-agent` bin), for `npx <packageUrl>`.',
    }),
    packageSha256: z.string().meta({ description: 'Of the package served at `packageUrl`.' }),
    minimumVersion: z.string().nullable().meta({
      description: 'Agents older than this are refused (426); null: any version is accepted.',
    }),
  })
  .meta({ id: 'AgentRelease' });
export type AgentReleaseView = z.infer<typeof agentReleaseSchema>;

/** The release as the API shows it, with absolute URLs on `origin`. */
export function toAgentReleaseView(
  release: AgentRelease,
  origin: string,
  minimumVersion: string | null,
): AgentReleaseView {
  return {
    version: release.version,
    sha256: release.sha256,
    sizeBytes: release.sizeBytes,
    builtAt: release.builtAt,
    downloadUrl: `${origin}${AGENT_PATHS.bundle}`,
    sha256Url: `${origin}${AGENT_PATHS.sha256}`,
    packageUrl: `${origin}${AGENT_PATHS.package}`,
    packageSha256: release.package.sha256,
    minimumVersion,
  };
}
