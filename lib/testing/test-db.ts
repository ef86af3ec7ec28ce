import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, wrapPglite, type DatabaseHandle, type Engine } from '@/lib/db/client';

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A fresh, migrated in-memory PGlite, loaded from the data directory the global setup migrated once for the
 * whole run (lib/testing/postgres-global-setup.ts).
 */
export async function createPgliteTestDb(): Promise<DatabaseHandle> {
  pgliteTemplate ??= readFile(inject('pgliteTemplatePath')).then((tar) => new Blob([tar]));
  const client = await PGlite.create({ loadDataDir: await pgliteTemplate });
  return wrapPglite(client);
}

/**
 * A fresh, migrated database on the real PostgreSQL server started by the global setup: a copy of the
 * template database it migrated once for the whole run.
 */
export async function createPostgresTestDb(): Promise<DatabaseHandle> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 8 });
}

export const TEST_ENGINES: Engine[] = ['pglite', 'postgres'];

export function createTestDb(engine: Engine): Promise<DatabaseHandle> {
  return engine === 'pglite' ? createPgliteTestDb() : createPostgresTestDb();
}
