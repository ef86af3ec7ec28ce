import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '@/lib/db/client';
import * as schema from '@/lib/db/schema';
import type { BenchDatabase } from '@/scripts/bench/lib/bench-database';

export interface StatementPlan {
  sql: string;
  executionMs: number;
  /** EXPLAIN (ANALYZE, BUFFERS) in text form. */
  plan: string;
}

/**
 * Runs `work` on the tracing drizzle to capture every statement it sends, then EXPLAIN (ANALYZE, BUFFERS) of
 * each with its parameters, in order, inside one transaction that is rolled back: reads are explained as
 * they are, and a refresh's deletes and inserts run (and are timed) without changing anything. The tracing
 * pool has one connection, so the transaction and the statements share it.
 */
export async function explainStatements(
  db: BenchDatabase,
  work: (traced: Db) => Promise<unknown>,
): Promise<StatementPlan[]> {
  db.takeStatements();
  await work(db.traced);
  // Transaction control of the work itself is left out: everything runs in the one rolled-back transaction.
  const statements = db
    .takeStatements()
    .filter((s) => !/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(s.text));
  const plans: StatementPlan[] = [];
  await db.query('begin');
  try {
    for (const statement of statements) {
      const rows = await db.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers) ${statement.text}`,
        statement.params,
      );
      const lines = rows.map((r) => r['QUERY PLAN']);
      const execution = lines.map((l) => /^Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
      plans.push({
        sql: statement.text.replace(/\s+/g, ' ').trim(),
        executionMs: execution?.[1] ? Number(execution[1]) : Number.NaN,
        plan: lines.join('\n'),
      });
    }
  } finally {
    await db.query('rollback');
  }
  return plans;
}

/** A drizzle handle on one connection that runs every write under EXPLAIN ANALYZE, and the plans it saw. */
export interface ExplainingDatabase {
  db: Db;
  plans: StatementPlan[];
  close(): Promise<void>;
}

/** A statement that writes (a refresh's deletes and inserts, possibly behind a WITH). */
const WRITE = /^\s*(insert|delete|update)\b|^\s*with\b[\s\S]*\b(insert|delete|update)\b/i;

type QueryConfig = string | { text?: string; values?: unknown[] };

/**
 * For work that writes and would be too long to run twice (a full rebuild): each write runs once, as
 * EXPLAIN (ANALYZE, BUFFERS) of itself — which performs it — and answers no rows (the rollups never read
 * what their writes return); reads and transaction control run as they are. Timing every plan node adds some
 * overhead, so the per-statement times are a breakdown rather than a second measurement.
 */
export async function explainingDatabase(url: string): Promise<ExplainingDatabase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const plans: StatementPlan[] = [];
  const run = client.query.bind(client) as unknown as (
    config: QueryConfig,
    values?: unknown[],
  ) => Promise<pg.QueryResult>;
  const explaining = async (config: QueryConfig, values?: unknown[]) => {
    const text = typeof config === 'string' ? config : (config.text ?? '');
    if (!WRITE.test(text)) return run(config, values);
    const params = values ?? (typeof config === 'string' ? undefined : config.values);
    const result = await run({ text: `explain (analyze, buffers) ${text}`, values: params });
    const lines = result.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
    const execution = lines.map((l) => /^Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
    plans.push({
      sql: text.replace(/\s+/g, ' ').trim(),
      executionMs: execution?.[1] ? Number(execution[1]) : Number.NaN,
      plan: lines.join('\n'),
    });
    return { ...result, rows: [], rowCount: 0 };
  };
  (client as unknown as { query: typeof explaining }).query = explaining;
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, plans, close: () => client.end() };
}
