/**
 * `npm run agent -- --api <url> --token <registration token> [--spec file] [--runner docker|process]
 * [--state-dir dir]` — the node agent: registers this machine once, then heartbeats and runs the work the
 * marketplace assigns. See docs/agent.md.
 */
import { runAgent } from '@/lib/agent/cli';

runAgent(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
  onStopSignal: (listener) => {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
  },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`agent: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
