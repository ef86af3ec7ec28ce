import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  ledgerAccounts,
  ledgerPostings,
  ledgerTransactions,
  type LedgerAccountKind,
  type LedgerCurrency,
  type LedgerTransaction,
  type LedgerTransactionKind,
} from '@/lib/db/schema';

/** Which ledger account a posting touches: a kind and currency, and the owner for owned kinds. */
export interface LedgerAccountRef {
  kind: LedgerAccountKind;
  currency: LedgerCurrency;
  /** Marketplace account that owns it; null for platform and external accounts. */
  owner: string | null;
}

export interface LedgerEntry {
  account: LedgerAccountRef;
  amountMicros: bigint;
}

export interface PostTransactionInput {
  kind: LedgerTransactionKind;
  memo: string;
  entries: LedgerEntry[];
  /** The same key never posts twice; a replay returns the transaction already posted. */
  idempotencyKey?: string;
}

export interface PostedTransaction {
  transaction: LedgerTransaction;
  /** False when an earlier transaction with the same idempotency key was returned instead. */
  created: boolean;
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_CHECK_VIOLATION = '23514';

/** A field of a PostgreSQL error, which drivers may wrap once or twice (`cause`). */
function pgErrorField(error: unknown, field: 'code' | 'constraint'): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const value = (current as Record<string, unknown>)[field];
    if (typeof value === 'string') return value;
    current = (current as { cause?: unknown }).cause;
  }
  return '';
}

/** Whether a database error is a unique-constraint violation, however the driver wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  return pgErrorField(error, 'code') === PG_UNIQUE_VIOLATION;
}

/** The account's id, creating it on first use (concurrent creators converge on one row). */
export async function ensureLedgerAccount(db: Db, ref: LedgerAccountRef): Promise<string> {
  const owner =
    ref.owner === null ? isNull(ledgerAccounts.ownerAccountId) : eq(ledgerAccounts.ownerAccountId, ref.owner);
  const where = and(owner, eq(ledgerAccounts.kind, ref.kind), eq(ledgerAccounts.currency, ref.currency));
  const [existing] = await db.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(where).limit(1);
  if (existing) return existing.id;
  await db
    .insert(ledgerAccounts)
    .values({ ownerAccountId: ref.owner, kind: ref.kind, currency: ref.currency })
    .onConflictDoNothing();
  const [created] = await db.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(where).limit(1);
  if (!created) throw new Error(`ledger account ${ref.kind}/${ref.currency} could not be created`);
  return created.id;
}

/** Checks the entries balance per currency before anything is written (the database checks again). */
export function assertBalanced(entries: readonly LedgerEntry[]): void {
  if (entries.length < 2)
    throw new AppError('unprocessable', 'A ledger transaction needs at least two postings.');
  const totals = new Map<LedgerCurrency, bigint>();
  for (const entry of entries) {
    if (entry.amountMicros === 0n) throw new AppError('unprocessable', 'A posting cannot be zero.');
    totals.set(entry.account.currency, (totals.get(entry.account.currency) ?? 0n) + entry.amountMicros);
  }
  for (const [currency, total] of totals) {
    if (total !== 0n)
      throw new AppError('unprocessable', `Postings do not balance in ${currency} (off by ${total}).`);
  }
}

async function findByIdempotencyKey(db: Db, key: string | undefined): Promise<LedgerTransaction | undefined> {
  if (!key) return undefined;
  const [row] = await db
    .select()
    .from(ledgerTransactions)
    .where(eq(ledgerTransactions.idempotencyKey, key))
    .limit(1);
  return row;
}

/**
 * Posts one balanced transaction atomically: all postings or none. An overdraft of an owned account is
 * refused by the database (402 payment_required); a replayed idempotency key returns the first transaction.
 */
export async function postTransaction(
  db: Db,
  clock: Clock,
  input: PostTransactionInput,
): Promise<PostedTransaction> {
  assertBalanced(input.entries);
  const earlier = await findByIdempotencyKey(db, input.idempotencyKey);
  if (earlier) return { transaction: earlier, created: false };
  const accountIds = await Promise.all(input.entries.map((entry) => ensureLedgerAccount(db, entry.account)));
  const now = clock.now();
  try {
    const transaction = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(ledgerTransactions)
        .values({
          kind: input.kind,
          memo: input.memo,
          idempotencyKey: input.idempotencyKey ?? null,
          createdAt: now,
        })
        .returning();
      if (!row) throw new Error('ledger transaction insert returned nothing');
      // Lock the touched accounts in a fixed order so concurrent transactions never deadlock.
      const ordered = [...new Set(accountIds)].sort();
      await tx.execute(sql`select id from ledger_accounts where id in ${ordered} order by id for update`);
      await tx.insert(ledgerPostings).values(
        input.entries.map((entry, i) => ({
          transactionId: row.id,
          ledgerAccountId: accountIds[i] as string,
          currency: entry.account.currency,
          amountMicros: entry.amountMicros,
          createdAt: now,
        })),
      );
      return row;
    });
    return { transaction, created: true };
  } catch (error) {
    const code = pgErrorField(error, 'code');
    if (code === PG_UNIQUE_VIOLATION && pgErrorField(error, 'constraint').includes('idempotency')) {
      // A concurrent replay committed first: answer with its transaction.
      const winner = await findByIdempotencyKey(db, input.idempotencyKey);
      if (winner) return { transaction: winner, created: false };
    }
    if (code === PG_CHECK_VIOLATION && pgErrorField(error, 'constraint') === 'ledger_accounts_no_overdraft') {
      throw new AppError('payment_required', 'Insufficient balance for this transaction.');
    }
    throw error;
  }
}
