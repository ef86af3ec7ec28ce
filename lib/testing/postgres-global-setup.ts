import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, openDatabase, wrapPglite } from '@/lib/db/client';
import { startPostgresServer, type PostgresServer } from '@/lib/testing/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection string of the real PostgreSQL server the integration tests use. */
    postgresAdminUrl: string;
    /** A migrated database on that server, the template every test database is created from. */
    postgresTemplate: string;
    /** A migrated PGlite data directory (an uncompressed tar) every PGlite test database is loaded from. */
    pgliteTemplatePath: string;
  }
}

async function adminQuery(adminUrl: string, query: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(query);
  } finally {
    await admin.end();
  }
}

/** Creates and migrates the template database once; tests copy it instead of migrating their own. */
async function createPostgresTemplate(adminUrl: string): Promise<string> {
  const name = `test_template_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 1 });
  try {
    await migrateDatabase(handle);
  } finally {
    // No connection may stay open to a template while databases are created from it.
    await handle.close();
  }
  return name;
}

/** Migrates an in-memory PGlite once and dumps its data directory for the test files to load. */
async function createPgliteTemplate(dir: string): Promise<string> {
  const client = await PGlite.create();
  try {
    await migrateDatabase(wrapPglite(client));
    const dump = await client.dumpDataDir('none');
    const file = path.join(dir, 'pglite-template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  } finally {
    await client.close();
  }
}

/**
 * Starts one real PostgreSQL server for the whole test run, unless TEST_DATABASE_URL points at one already,
 * and migrates a template for each engine once. Each test file then creates its own databases from them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  const server = external ? undefined : await startPostgresServer();
  const adminUrl = external || (server as PostgresServer).url;
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-test-templates-'));
  const [postgresTemplate, pgliteTemplatePath] = await Promise.all([
    createPostgresTemplate(adminUrl),
    createPgliteTemplate(dir),
  ]);
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplate', postgresTemplate);
  project.provide('pgliteTemplatePath', pgliteTemplatePath);
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (server) await server.stop();
    else await adminQuery(adminUrl, `drop database if exists ${postgresTemplate}`);
  };
}
