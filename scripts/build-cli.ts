/**
 * `npm run build:cli` — the `backfill` command line as one file that needs only Node.js 20+:
 * dist/cli/backfill.mjs (`node dist/cli/backfill.mjs --help`). `npm run build` runs it too. See docs/cli.md.
 */
import path from 'node:path';
import { build } from 'esbuild';

const root = process.cwd();
const outfile = path.join(root, 'dist', 'cli', 'backfill.mjs');
const pkg = (await import(path.join(root, 'package.json'), { with: { type: 'json' } })) as {
  default: { version: string };
};

build({
  absWorkingDir: root,
  entryPoints: [path.join(root, 'clients', 'typescript', 'bin.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: false,
  legalComments: 'eof',
  banner: {
    js: `#!/usr/bin/env node\n// Backfill command line ${pkg.default.version}. Usage: node backfill.mjs --help`,
  },
  logLevel: 'warning',
}).then(
  () => console.log(`• cli: ${path.relative(root, outfile)}`),
  (error: unknown) => {
    console.error(`• cli build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
