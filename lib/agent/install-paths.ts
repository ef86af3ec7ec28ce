/**
 * Where the marketplace serves the node agent and its companions (app/agent/…), shared by the routes, the
 * supplier page's install commands and the messages that tell an old agent where to get a new one. No
 * server-only imports: the browser builds the commands.
 */

/** The bundled agent's file name, in the build folder and in its URL. */
export const AGENT_FILE_NAME = 'backfill-agent.mjs';
/** The same file as an npm package (its only file, and its `backfill-agent` bin), for `npx`. */
export const AGENT_PACKAGE_NAME = 'backfill-agent.tgz';

export const AGENT_PATHS = {
  /** The bundled agent: one ES module that needs only Node.js. */
  bundle: `/agent/${AGENT_FILE_NAME}`,
  /** Its digest line, as `sha256sum` prints it. */
  sha256: `/agent/${AGENT_FILE_NAME}.sha256`,
  /** The npm package of it, runnable with `npx`. */
  package: `/agent/${AGENT_PACKAGE_NAME}`,
  /** The agent image's Dockerfile (deploy/agent/Dockerfile). */
  dockerfile: '/agent/Dockerfile',
  /** The systemd unit example (deploy/agent/backfill-agent.service). */
  systemdUnit: '/agent/backfill-agent.service',
} as const;
