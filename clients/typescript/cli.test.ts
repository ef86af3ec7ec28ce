import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileNameProblem } from '@/lib/files/schemas';
import { safeJoin } from './client';
import { main } from './cli';

/** The CLI with captured output, a config file of its own and no network beyond a closed local port. */
async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-cli-'));
  const code = await main(args, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    readLine: async () => '',
    env: { BACKFILL_CONFIG: path.join(dir, 'config.json'), ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), dir };
}

// Port 9 (discard) is closed here: a request to it fails at once, as an unreachable marketplace would.
const CLOSED = 'http://127.0.0.1:9';

describe('backfill CLI', () => {
  it('lists its commands with --help, and exits 2 without one', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('launch SPEC') });
    expect(await run([])).toMatchObject({ code: 2 });
  });

  it('refuses wrong usage with exit code 2 and says what is wrong', async () => {
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(await run(['job'])).toMatchObject({ code: 2, err: expect.stringContaining('job takes ID') });
    expect(await run(['jobs', '--colour'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("'--colour'"),
    });
    expect(await run(['offers', '--limit', 'ten'], { BACKFILL_API_KEY: 'bfk_x' })).toMatchObject({
      code: 2,
      err: expect.stringContaining('--limit must be a whole number'),
    });
    expect(await run(['offers', '--min-ram', 'lots'], { BACKFILL_API_KEY: 'bfk_x' })).toMatchObject({
      code: 2,
      err: expect.stringContaining('--min-ram must be a whole number'),
    });
    expect(await run(['login', '--api-url', CLOSED])).toMatchObject({
      code: 2,
      err: expect.stringContaining('login needs a key'),
    });
  });

  it('asks for a login when there is no key, before any request', async () => {
    expect(await run(['jobs'])).toMatchObject({
      code: 1,
      err: 'backfill: no API key: run `backfill login` (or set BACKFILL_API_KEY)',
    });
  });

  it('names an unreachable marketplace, and saves nothing when login cannot check the key', async () => {
    const refused = await run(['login', '--api-url', CLOSED, '--key', 'bfk_x']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^backfill: that key was refused: could not reach http:\/\/127\.0\.0\.1:9/);
    expect(await run(['jobs', '--api-url', CLOSED], { BACKFILL_API_KEY: 'bfk_x' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^backfill: could not reach http:\/\/127\.0\.0\.1:9/),
    });
  });

  it('says when a spec file is missing or not JSON', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-spec-'));
    const env = { BACKFILL_API_KEY: 'bfk_x', BACKFILL_API_URL: CLOSED };
    expect(await run(['launch', path.join(dir, 'none.json')], env)).toMatchObject({
      code: 1,
      err: expect.stringContaining('cannot read the spec'),
    });
    writeFileSync(path.join(dir, 'bad.json'), '{ name: ');
    expect(await run(['quote', path.join(dir, 'bad.json')], env)).toMatchObject({
      code: 1,
      err: expect.stringContaining('is not JSON'),
    });
  });

  it('logs out, keeping the marketplace address', async () => {
    const first = await run(['logout']);
    expect(first).toMatchObject({ code: 0, out: 'Signed out.' });
  });
});

describe('safeJoin', () => {
  const names = [
    'frame-0001.png',
    'frames/f 1.png',
    '',
    '.',
    '..',
    '../x',
    'a/../b',
    '/abs',
    'a\\b',
    'x\0',
    '.hidden',
    'a//b',
    'trailing ',
    `${'d/'.repeat(8)}x`,
  ];

  it('keeps output names inside the folder, sub-folders included', () => {
    expect(safeJoin('/out', 'frame-0001.png')).toBe('/out/frame-0001.png');
    expect(safeJoin('/out', 'frames/f 1.png')).toBe('/out/frames/f 1.png');
    for (const name of names.slice(2))
      expect(() => safeJoin('/out', name)).toThrow(/not a relative file path/);
  });

  it('accepts exactly the names the marketplace accepts', () => {
    for (const name of names) {
      const accepted = (() => {
        try {
          safeJoin('/out', name);
          return true;
        } catch {
          return false;
        }
      })();
      expect(accepted, name).toBe(fileNameProblem(name) === null);
    }
  });
});
