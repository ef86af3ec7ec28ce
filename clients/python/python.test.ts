import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

/**
 * The Python package's own unit tests (standard-library unittest), run by the unit suite so `npm test` covers
 * both clients. Its end-to-end test against the running stack is e2e/cli.spec.ts.
 */
it('the Python package passes its unit tests', () => {
  const root = path.join(process.cwd(), 'clients', 'python');
  const run = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  expect(run.error, 'python3 is needed (scripts/ensure-python.sh installs it)').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/^Ran \d+ tests? in [\d.]+s\n\nOK/m);
});
