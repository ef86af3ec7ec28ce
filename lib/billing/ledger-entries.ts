import { and, desc, eq, lt } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Db } from '@/lib/db/client';
import { ledgerAccounts, ledgerPostings, ledgerTransactions } from '@/lib/db/schema';
import type { LedgerEntryView } from '@/lib/billing/schemas';
import { csvField } from '@/lib/csv';

const POSTING_CURSOR = /^\d{1,19}$/;

/** Cursors are the last posting id of a page, opaque to clients. */
export function encodeLedgerCursor(postingId: string): string {
  return Buffer.from(`p:${postingId}`).toString('base64url');
}

export function decodeLedgerCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('p:') ? text.slice(2) : '';
  // Posting ids are PostgreSQL bigints: anything larger is not one of ours.
  if (!POSTING_CURSOR.test(id) || BigInt(id) > 2n ** 63n - 1n)
    throw new AppError('bad_request', 'Invalid cursor.', {
      fields: [{ field: 'cursor', message: 'malformed' }],
    });
  return BigInt(id);
}

/** One page of the postings on an account's own ledger accounts, newest first (keyset on posting id). */
export async function listLedgerEntries(
  db: Db,
  accountId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: LedgerEntryView[]; nextCursor: string | null }> {
  const before = page.cursor ? decodeLedgerCursor(page.cursor) : null;
  const rows = await db
    .select({
      id: ledgerPostings.id,
      transactionId: ledgerPostings.transactionId,
      kind: ledgerTransactions.kind,
      account: ledgerAccounts.kind,
      currency: ledgerPostings.currency,
      amountMicros: ledgerPostings.amountMicros,
      memo: ledgerTransactions.memo,
      createdAt: ledgerPostings.createdAt,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.ledgerAccountId))
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerPostings.transactionId))
    .where(
      and(
        eq(ledgerAccounts.ownerAccountId, accountId),
        before === null ? undefined : lt(ledgerPostings.id, before),
      ),
    )
    .orderBy(desc(ledgerPostings.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).map((row) => ({
    id: row.id.toString(),
    transactionId: row.transactionId,
    kind: row.kind,
    account: row.account,
    currency: row.currency,
    amountMicros: row.amountMicros.toString(),
    memo: row.memo,
    createdAt: row.createdAt.toISOString(),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeLedgerCursor(last.id) : null };
}

const CSV_HEADER = [
  'posting_id',
  'created_at',
  'transaction_id',
  'kind',
  'account',
  'currency',
  'amount_micros',
  'memo',
];

/** The whole ledger of an account as CSV, read page by page so memory stays flat. */
export async function exportLedgerCsv(db: Db, accountId: string): Promise<string> {
  const lines = [CSV_HEADER.join(',')];
  let cursor: string | undefined;
  for (;;) {
    const page = await listLedgerEntries(db, accountId, { cursor, limit: 1000 });
    for (const e of page.items)
      lines.push(
        [e.id, e.createdAt, e.transactionId, e.kind, e.account, e.currency, e.amountMicros, e.memo]
          .map(csvField)
          .join(','),
      );
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return `${lines.join('\n')}\n`;
}
