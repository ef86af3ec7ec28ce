import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/lib/db/client';
import { ledgerPostings, ledgerTransactions, type LedgerTransactionKind } from '@/lib/db/schema';
import { assertBalanced, type LedgerEntry } from '@/lib/ledger/post-transaction';

/**
 * Many balanced ledger transactions in a few statements, for writers that post hundreds at once (an incentive
 * epoch's credits to every supplier, the demo history's days). The same rows as `postTransaction` one at a
 * time: each transaction is checked to balance before anything is written, its accounts are created on first
 * use, and its postings go in in the order given — the database's triggers apply each to its account's balance,
 * refuse an overdraft, and check every transaction balances at commit. Unlike `postTransaction` a key is not
 * looked up first: the caller owns fresh keys (a reused one fails the whole statement on the unique index),
 * and it must run inside the caller's transaction, so all of them are written or none.
 */

export interface BulkLedgerTransaction {
  /** Chosen by the caller when it needs to refer to the transaction (a receipt, an event); else generated. */
  id?: string;
  kind: LedgerTransactionKind;
  idempotencyKey: string;
  memo: string;
  at: Date;
  entries: LedgerEntry[];
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Rows per statement: parameters stay far below PostgreSQL's limit, JSON documents stay small. */
const CHUNK = 2_000;

async function chunks<T>(rows: readonly T[], size: number, run: (chunk: T[]) => Promise<void>) {
  for (let i = 0; i < rows.length; i += size) await run(rows.slice(i, i + size));
}

/** Posts the transactions in the order given; answers their ids in that order. */
export async function postTransactionsBulk(
  tx: Db,
  transactions: readonly BulkLedgerTransaction[],
): Promise<string[]> {
  if (transactions.length === 0) return [];
  for (const t of transactions) assertBalanced(t.entries);
  const rows = transactions.map((t) => ({ ...t, id: t.id ?? randomUUID() }));
  const accounts = new Map<string, [string | null, string, string]>();
  for (const t of rows)
    for (const { account } of t.entries)
      accounts.set(`${account.owner ?? ''}:${account.kind}:${account.currency}`, [
        account.owner,
        account.kind,
        account.currency,
      ]);
  await tx.execute(sql`
    insert into ledger_accounts (owner_account_id, kind, currency)
    select (r->>0)::uuid, (r->>1)::ledger_account_kind, (r->>2)::ledger_currency
      from json_array_elements(${json([...accounts.values()])}::json) as r
    on conflict do nothing`);
  await chunks(rows, CHUNK, async (chunk) => {
    await tx.insert(ledgerTransactions).values(
      chunk.map((t) => ({
        id: t.id,
        kind: t.kind,
        memo: t.memo,
        idempotencyKey: t.idempotencyKey,
        createdAt: t.at,
      })),
    );
  });
  // The accounts' ids, looked up once by owner (the unique index) rather than joined per posting.
  const owners = [...new Set([...accounts.values()].flatMap(([owner]) => (owner ? [owner] : [])))];
  const found = await queryRows<{ id: string; owner: string | null; kind: string; currency: string }>(
    tx,
    sql`select id, owner_account_id as owner, kind, currency from ledger_accounts
         where owner_account_id is null
            or owner_account_id in (select (jsonb_array_elements_text(${json(owners)}::jsonb))::uuid)`,
  );
  const ids = new Map(found.map((a) => [`${a.owner ?? ''}:${a.kind}:${a.currency}`, a.id]));
  const postings = rows.flatMap((t) =>
    t.entries.map(({ account, amountMicros }) => {
      const id = ids.get(`${account.owner ?? ''}:${account.kind}:${account.currency}`);
      if (!id) throw new Error(`No ledger account ${account.kind}/${account.currency} for ${account.owner}.`);
      return {
        transactionId: t.id,
        ledgerAccountId: id,
        currency: account.currency,
        amountMicros,
        createdAt: t.at,
      };
    }),
  );
  // In the order given: the balance trigger applies them one by one.
  await chunks(postings, CHUNK * 2, async (chunk) => {
    await tx.insert(ledgerPostings).values(chunk);
  });
  return rows.map((t) => t.id);
}
