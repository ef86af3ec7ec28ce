import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { accounts, ledgerAccounts, ledgerPostings, ledgerTransactions } from '@/lib/db/schema';
import type { StatementView } from '@/lib/billing/schemas';
import { csvLine } from '@/lib/csv';

type Kinds = StatementView['accounts'][number];

/** The month's bounds, UTC: [first instant, first instant of the next month). */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, m - 1, 1)), to: new Date(Date.UTC(year, m, 1)) };
}

const key = (account: string, currency: string) => `${account}:${currency}`;

/**
 * A monthly statement of one account, from its ledger postings alone: per ledger account, the balance at the
 * start of the month, what moved it (summed by kind of transaction) and the balance at the end, which is the
 * opening plus the movements (and equals the postings' sum up to the end: the ledger's own invariant).
 */
export async function monthlyStatement(
  db: Db,
  accountId: string,
  month: string,
  now: Date,
): Promise<StatementView> {
  const { from, to } = monthBounds(month);
  const [owner] = await db
    .select({ walletAddress: accounts.walletAddress })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const inMonth = gte(ledgerPostings.createdAt, from);
  const rows = await db
    .select({
      account: ledgerAccounts.kind,
      currency: ledgerAccounts.currency,
      kind: ledgerTransactions.kind,
      before: sql<string>`coalesce(sum(case when ${inMonth} then 0 else ${ledgerPostings.amountMicros} end), 0)`,
      moved: sql<string>`coalesce(sum(case when ${inMonth} then ${ledgerPostings.amountMicros} else 0 end), 0)`,
      count: sql<string>`count(*) filter (where ${inMonth})`,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.ledgerAccountId))
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerPostings.transactionId))
    .where(and(eq(ledgerAccounts.ownerAccountId, accountId), lt(ledgerPostings.createdAt, to)))
    .groupBy(ledgerAccounts.kind, ledgerAccounts.currency, ledgerTransactions.kind);

  const byAccount = new Map<
    string,
    { account: Kinds['account']; currency: Kinds['currency']; opening: bigint; movements: Kinds['movements'] }
  >();
  for (const row of rows) {
    const entry = byAccount.get(key(row.account, row.currency)) ?? {
      account: row.account,
      currency: row.currency,
      opening: 0n,
      movements: [],
    };
    entry.opening += BigInt(row.before);
    if (Number(row.count) > 0)
      entry.movements.push({
        kind: row.kind,
        count: Number(row.count),
        amountMicros: BigInt(row.moved).toString(),
      });
    byAccount.set(key(row.account, row.currency), entry);
  }
  const statementAccounts = [...byAccount.values()]
    .map((a) => {
      const closing = a.movements.reduce((sum, m) => sum + BigInt(m.amountMicros), a.opening);
      return {
        account: a.account,
        currency: a.currency,
        openingMicros: a.opening.toString(),
        movements: a.movements.sort((x, y) => x.kind.localeCompare(y.kind)),
        closingMicros: closing.toString(),
      };
    })
    .filter((a) => a.movements.length > 0 || a.openingMicros !== '0')
    .sort((x, y) => key(x.account, x.currency).localeCompare(key(y.account, y.currency)));
  return {
    month,
    from: from.toISOString(),
    to: to.toISOString(),
    walletAddress: owner?.walletAddress ?? '',
    accounts: statementAccounts,
    generatedAt: now.toISOString(),
  };
}

const CSV_HEADER = [
  'at',
  'entry',
  'account',
  'currency',
  'amount_micros',
  'balance_after_micros',
  'transaction_id',
  'memo',
];

/**
 * The statement as CSV: for each ledger account, its opening balance, every posting of the month with the
 * balance after it, and its closing balance — a spreadsheet can re-add every line.
 */
export async function monthlyStatementCsv(
  db: Db,
  accountId: string,
  month: string,
  now: Date,
): Promise<string> {
  const statement = await monthlyStatement(db, accountId, month, now);
  const { from, to } = monthBounds(month);
  const postings = await db
    .select({
      at: ledgerPostings.createdAt,
      kind: ledgerTransactions.kind,
      account: ledgerAccounts.kind,
      currency: ledgerAccounts.currency,
      amount: ledgerPostings.amountMicros,
      transactionId: ledgerPostings.transactionId,
      memo: ledgerTransactions.memo,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.ledgerAccountId))
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerPostings.transactionId))
    .where(
      and(
        eq(ledgerAccounts.ownerAccountId, accountId),
        gte(ledgerPostings.createdAt, from),
        lt(ledgerPostings.createdAt, to),
      ),
    )
    .orderBy(asc(ledgerPostings.id));
  // Each ledger account's postings, in order: one pass over the month, not one per account.
  const byAccount = new Map<string, typeof postings>();
  for (const p of postings) {
    const k = key(p.account, p.currency);
    const list = byAccount.get(k);
    if (list) list.push(p);
    else byAccount.set(k, [p]);
  }
  const lines = [csvLine(CSV_HEADER)];
  for (const a of statement.accounts) {
    let balance = BigInt(a.openingMicros);
    lines.push(
      csvLine([statement.from, 'opening_balance', a.account, a.currency, '', balance.toString(), '', '']),
    );
    for (const p of byAccount.get(key(a.account, a.currency)) ?? []) {
      balance += p.amount;
      lines.push(
        csvLine([
          p.at.toISOString(),
          p.kind,
          p.account,
          p.currency,
          p.amount.toString(),
          balance.toString(),
          p.transactionId,
          p.memo,
        ]),
      );
    }
    lines.push(
      csvLine([statement.to, 'closing_balance', a.account, a.currency, '', a.closingMicros, '', '']),
    );
  }
  return lines.join('');
}
