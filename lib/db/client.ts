import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { SQL } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from '@/lib/db/schema';
import { serverEnv } from '@/lib/env';

export type Schema = typeof schema;
/** A database or a transaction: repository functions accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
}

export type DatabaseTarget =
  { engine: 'postgres'; url: string; poolSize?: number } | { engine: 'pglite'; dataDir?: string };

/** Migrations live beside the schema and are committed; both engines run the same files. */
export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'lib', 'db', 'migrations');

/** Opens PGlite (a directory, or in memory when `dataDir` is omitted) or a node-postgres pool. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return { db, engine: 'postgres', close: () => pool.end() };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const client = await PGlite.create(target.dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, engine: 'pglite', close: () => client.close() };
}

/** Wraps an existing PGlite instance (used by tests that clone a migrated template). */
export function wrapPglite(client: PGlite): DatabaseHandle {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, engine: 'pglite', close: () => client.close() };
}

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (handle.engine === 'pglite') {
    await migratePglite(handle.db as unknown as Parameters<typeof migratePglite>[0], config);
  } else {
    await migratePg(handle.db as unknown as Parameters<typeof migratePg>[0], config);
  }
}

/** The configured target: PostgreSQL when DATABASE_URL is set, otherwise PGlite under DATA_DIR. */
export function configuredTarget(): DatabaseTarget {
  const env = serverEnv();
  if (env.DATABASE_URL)
    return { engine: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
  return { engine: 'pglite', dataDir: path.resolve(env.DATA_DIR, 'pglite') };
}

const globalForDb = globalThis as unknown as { backfillDb?: Promise<DatabaseHandle> };

/**
 * The process-wide database. PGlite is single-connection and in-process, so there is exactly one per
 * process; it is kept on globalThis so dev-server reloads reuse it.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.backfillDb ??= openDatabase(configuredTarget());
  return globalForDb.backfillDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{ rows }`; the generic database type can't know
 * that, so the cast lives here once.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * queryRows for a statement on a hot path: on PostgreSQL it is sent as a named (prepared) statement, which each
 * connection parses and plans once instead of on every call — for a heartbeat's single statement the server's
 * CPU drops from about 0.5 ms to 0.2 ms. `name` must belong to this statement's text alone. Inside a
 * transaction (which holds one connection of its own) and on PGlite it runs as queryRows does.
 */
export async function queryPreparedRows<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (db instanceof PgTransaction || !(client instanceof pg.Pool)) return queryRows(db, query);
  const { sql: text, params } = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query);
  const result = await client.query({ name, text, values: params });
  return result.rows as T[];
}
