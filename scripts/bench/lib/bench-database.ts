import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { openDatabase, wrapPglite, type DatabaseHandle, type Db, type Engine } from '@/lib/db/client';
import * as schema from '@/lib/db/schema';
import { startPostgresServer } from '@/lib/testing/embedded-postgres';
import type { Cleanup } from '@/scripts/bench/lib/cleanup';

export interface CapturedStatement {
  text: string;
  params: unknown[];
}

/**
 * One engine as the benchmark sees it: the app's own drizzle handle (for loading and for timing
 * `searchOffers` exactly as the API runs it), a second drizzle over the same connection that records every
 * statement (so EXPLAIN runs the exact SQL `searchOffers` sends), and a raw query function for EXPLAIN.
 */
export interface BenchDatabase {
  engine: Engine;
  handle: DatabaseHandle;
  traced: Db;
  /** Statements the traced drizzle sent since the last call. */
  takeStatements(): CapturedStatement[];
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function recorder(): { logger: Logger; take(): CapturedStatement[] } {
  let statements: CapturedStatement[] = [];
  return {
    logger: { logQuery: (text, params) => statements.push({ text, params }) },
    take() {
      const taken = statements;
      statements = [];
      return taken;
    },
  };
}

/** PostgreSQL with the same pool size the API server is given, so in-process timings compare like for like. */
export async function openPostgresBench(url: string, poolSize: number): Promise<BenchDatabase> {
  const handle = await openDatabase({ engine: 'postgres', url, poolSize });
  const tracedPool = new pg.Pool({ connectionString: url, max: 1 });
  const { logger, take } = recorder();
  const traced = drizzlePg(tracedPool, { schema, logger }) as unknown as Db;
  return {
    engine: 'postgres',
    handle,
    traced,
    takeStatements: take,
    query: async <T>(text: string, params: unknown[] = []) =>
      (await tracedPool.query(text, params)).rows as T[],
    async close() {
      await tracedPool.end();
      await handle.close();
    },
  };
}

/**
 * PGlite on a directory. It allows one connection per directory, so both drizzle instances share one client;
 * `wrapPglite` builds the same drizzle the app's `openDatabase` does.
 */
export async function openPgliteBench(dataDir: string): Promise<BenchDatabase> {
  const client = await PGlite.create(dataDir);
  const handle = wrapPglite(client);
  const { logger, take } = recorder();
  const traced = drizzlePglite(client, { schema, logger }) as unknown as Db;
  return {
    engine: 'pglite',
    handle,
    traced,
    takeStatements: take,
    query: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    close: () => handle.close(),
  };
}

/**
 * A PostgreSQL server of the bench's own (embedded-postgres) with an empty `backfill_bench` database; the
 * server stops with the cleanup (or earlier through `stop`). Answers the database's URL.
 */
export async function startBenchPostgres(
  cleanup: Cleanup,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = await startPostgresServer();
  const stop = cleanup.add('PostgreSQL server', async () => {
    // pg-pool's end() resolves before its clients' connections have closed; stopping the server at once can
    // reach an idle client first, whose FATAL 57P01 would then be an unhandled error.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await server.stop();
  });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query('create database backfill_bench');
  } finally {
    await admin.end();
  }
  return { url: server.urlFor('backfill_bench'), stop };
}
