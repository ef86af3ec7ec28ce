/**
 * `backfill` — the Backfill command line: `npm run cli -- <command>` in this repository, or the one-file build
 * (`npm run build:cli`, then `node dist/cli/backfill.mjs <command>`). `backfill --help` lists the commands.
 */
import { createInterface } from 'node:readline';
import { main } from './cli';

const readLine = () =>
  new Promise<string>((resolve) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    if (process.stdin.isTTY) process.stderr.write('API key: ');
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    lines.once('close', () => resolve(''));
  });

main(process.argv.slice(2), {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  readLine,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`backfill: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
