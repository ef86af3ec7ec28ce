/**
 * `npm run build:agent` — the node agent as one file that needs only Node.js, in dist/agent/
 * (backfill-agent.mjs and its manifest). `npm run build` and `npm start` run it after the app's build; the
 * marketplace serves the file at /agent/backfill-agent.mjs. See docs/agent.md.
 */
import path from 'node:path';
import { bundleAgent } from '@/scripts/lib/agent-bundle';

bundleAgent(process.cwd()).then(
  (built) =>
    console.log(
      `• agent ${built.version}: ${path.relative(process.cwd(), built.file)} (${Math.round(built.sizeBytes / 1024)} KiB, sha256 ${built.sha256})`,
    ),
  (error: unknown) => {
    console.error(`• agent build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
