import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateDatabase, openDatabase, wrapPglite, type DatabaseHandle, type Engine } from '@/lib/db/client';

let template: Promise<PGlite> | undefined;

/** A fresh, migrated in-memory PGlite: clones one migrated template per test file (clone ≈ 0.4 s). */
export async function createPgliteTestDb(): Promise<DatabaseHandle> {
  template ??= (async () => {
    const client = await PGlite.create();
    await migrateDatabase(wrapPglite(client));
    return client;
  })();
  const clone = await (await template).clone();
  return wrapPglite(clone as PGlite);
}

/** A fresh, migrated database on the real PostgreSQL server started by the global setup. */
export async function createPostgresTestDb(): Promise<DatabaseHandle> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 8 });
  await migrateDatabase(handle);
  return handle;
}

export const TEST_ENGINES: Engine[] = ['pglite', 'postgres'];

export function createTestDb(engine: Engine): Promise<DatabaseHandle> {
  return engine === 'pglite' ? createPgliteTestDb() : createPostgresTestDb();
}
