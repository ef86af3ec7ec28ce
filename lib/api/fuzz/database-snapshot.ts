import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/lib/db/client';
import { auditLedger } from '@/lib/ledger/operations';

/** Tables a refused request may touch by design, and how each is checked instead (see fuzz-check.ts). */
export const BOOKKEEPING_TABLES = new Set([
  // Rate-limit counters are incremented before validation (and wiped before each request, so the fuzz
  // reaches validation instead of answering 429 after the first few requests).
  'rate_limit_buckets',
  // A refusal by the handler is stored for replay under its Idempotency-Key: checked row by row.
  'idempotency_records',
]);

/** What "the database did not change" compares: writes per table, the ledger audit, replay records. */
export interface Snapshot {
  /** Per table: rows inserted, deleted or really changed (an update to the same values does not count). */
  tables: Record<string, string>;
  ledger: string;
  idempotencyRows: number;
}

export interface Snapshotter {
  snapshot(): Promise<Snapshot>;
  /** The stored status of an account's Idempotency-Key: a number, null while running, undefined if none. */
  idempotencyStatus(accountId: string, key: string): Promise<number | null | undefined>;
}

/**
 * Watches every table of the public schema with row triggers that count real writes into a side schema of
 * this test database, so a snapshot is one small query however many tables and rows there are, and an
 * update (a revoked key, a changed price) shows as well as an insert or a delete.
 */
export async function createSnapshotter(db: Db): Promise<Snapshotter> {
  const tables = (
    await queryRows<{ name: string }>(
      db,
      sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`,
    )
  )
    .map((t) => t.name)
    .filter((t) => !BOOKKEEPING_TABLES.has(t));
  await db.execute(sql`create schema if not exists fuzz_watch`);
  await db.execute(
    sql`create table if not exists fuzz_watch.writes (table_name text primary key, n bigint not null)`,
  );
  await db.execute(
    sql.raw(`create or replace function fuzz_watch.count_write() returns trigger language plpgsql as $$
      begin
        insert into fuzz_watch.writes as w (table_name, n) values (TG_TABLE_NAME, 1)
          on conflict (table_name) do update set n = w.n + 1;
        return null;
      end $$`),
  );
  for (const table of tables) {
    const t = sql.identifier(table);
    await db.execute(
      sql`create trigger fuzz_watch_rows after insert or delete on ${t} for each row execute function fuzz_watch.count_write()`,
    );
    await db.execute(
      sql`create trigger fuzz_watch_updates after update on ${t} for each row when (old::text is distinct from new::text) execute function fuzz_watch.count_write()`,
    );
    await db.execute(
      sql`create trigger fuzz_watch_truncate after truncate on ${t} for each statement execute function fuzz_watch.count_write()`,
    );
  }
  return {
    async snapshot() {
      const [writes, [idempotency], audit] = await Promise.all([
        queryRows<{ table_name: string; n: string }>(
          db,
          sql`select table_name, n::text from fuzz_watch.writes`,
        ),
        queryRows<{ n: string }>(db, sql`select count(*)::text as n from idempotency_records`),
        auditLedger(db),
      ]);
      return {
        tables: Object.fromEntries(writes.map((w) => [w.table_name, w.n])),
        ledger: JSON.stringify(audit, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
        idempotencyRows: Number(idempotency?.n ?? 0),
      };
    },
    async idempotencyStatus(accountId, key) {
      const [row] = await queryRows<{ status: number | null }>(
        db,
        sql`select status from idempotency_records where account_id = ${accountId} and key = ${key}`,
      );
      return row ? row.status : undefined;
    },
  };
}
