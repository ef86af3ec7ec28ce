import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '@/lib/db/schema/accounts';
import { LEDGER_CURRENCIES, LEDGER_ACCOUNT_KINDS, LEDGER_TRANSACTION_KINDS } from '@/lib/enums';

/** USDC is real money; incentives are a separate network token, never mixed with paid revenue. */
export const ledgerCurrency = pgEnum('ledger_currency', LEDGER_CURRENCIES);

/**
 * What a ledger account holds. Owned kinds belong to one marketplace account; platform and external kinds
 * have no owner. `external` mirrors money entering or leaving the ledger (deposits, payouts, emission), so
 * the sum over all accounts of a currency is always zero; it is the only kind allowed to go negative.
 */
export const ledgerAccountKind = pgEnum('ledger_account_kind', LEDGER_ACCOUNT_KINDS);

export const ledgerTransactionKind = pgEnum('ledger_transaction_kind', LEDGER_TRANSACTION_KINDS);

export type LedgerCurrency = (typeof ledgerCurrency.enumValues)[number];
export type LedgerAccountKind = (typeof ledgerAccountKind.enumValues)[number];
export type LedgerTransactionKind = (typeof ledgerTransactionKind.enumValues)[number];

export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerAccountId: uuid('owner_account_id').references(() => accounts.id),
    kind: ledgerAccountKind('kind').notNull(),
    currency: ledgerCurrency('currency').notNull(),
    /**
     * Sum of this account's postings, maintained by a database trigger on every posting (never written by
     * code), so the check below refuses an overdraft atomically even under concurrent transactions.
     */
    balanceMicros: bigint('balance_micros', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    unique('ledger_accounts_owner_kind_currency_key')
      .on(t.ownerAccountId, t.kind, t.currency)
      .nullsNotDistinct(),
    check('ledger_accounts_no_overdraft', sql`${t.kind} = 'external' or ${t.balanceMicros} >= 0`),
    check(
      'ledger_accounts_owner_matches_kind',
      sql`(${t.kind} in ('platform_fees', 'external')) = (${t.ownerAccountId} is null)`,
    ),
  ],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: ledgerTransactionKind('kind').notNull(),
    /** Makes a posting idempotent: the same key never posts twice. */
    idempotencyKey: text('idempotency_key'),
    memo: text('memo').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    unique('ledger_transactions_idempotency_key_key').on(t.idempotencyKey),
    // The metrics rollups read transactions of a kind by time, and a capture's earlier captures by attempt.
    index('ledger_transactions_kind_time_idx').on(t.kind, t.createdAt),
    index('ledger_transactions_capture_attempt_idx')
      .on(sql`split_part(${t.idempotencyKey}, ':', 2)`)
      .where(sql`${t.kind} = 'capture'`),
  ],
);

/** Append-only: a trigger refuses updates and deletes; corrections are new transactions. */
export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => ledgerTransactions.id),
    ledgerAccountId: uuid('ledger_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    currency: ledgerCurrency('currency').notNull(),
    amountMicros: bigint('amount_micros', { mode: 'bigint' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('ledger_postings_transaction_idx').on(t.transactionId),
    index('ledger_postings_account_idx').on(t.ledgerAccountId, t.id),
    check('ledger_postings_nonzero', sql`${t.amountMicros} <> 0`),
  ],
);

export type LedgerAccount = typeof ledgerAccounts.$inferSelect;
export type LedgerTransaction = typeof ledgerTransactions.$inferSelect;
export type LedgerPosting = typeof ledgerPostings.$inferSelect;
