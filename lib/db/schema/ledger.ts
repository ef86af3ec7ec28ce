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

/** USDC is real money; incentives are a separate network token, never mixed with paid revenue. */
export const ledgerCurrency = pgEnum('ledger_currency', ['usdc', 'incentive']);

/**
 * What a ledger account holds. Owned kinds belong to one marketplace account; platform and external kinds
 * have no owner. `external` mirrors money entering or leaving the ledger (deposits, payouts, emission), so
 * the sum over all accounts of a currency is always zero; it is the only kind allowed to go negative.
 */
export const ledgerAccountKind = pgEnum('ledger_account_kind', [
  'customer_available',
  'customer_reserved',
  'supplier_payable',
  'supplier_incentives',
  /** Payable set aside for a payout on its way on-chain. */
  'supplier_payout_pending',
  /** A customer's available balance set aside for a withdrawal on its way on-chain. */
  'customer_withdrawal_pending',
  /** Earnings of a quarantined node, held: never paid out (payouts draw on payable only). */
  'supplier_held',
  'platform_fees',
  'external',
]);

export const ledgerTransactionKind = pgEnum('ledger_transaction_kind', [
  'deposit',
  'hold',
  'capture',
  'release',
  'payout_reserve',
  'payout',
  'payout_reversal',
  'incentive',
  /** A quarantined node's unpaid earnings move from payable to held. */
  'earnings_hold',
  /** A suspect attempt's charge returns to the customer: from the node's held earnings, the rest from fees. */
  'refund',
  'correction',
  /**
   * Ledger-only money of the simulated demo network (its customers' funding): no on-chain transfer behind it,
   * published as simulated, never as a deposit. Only a demo account (`accounts.is_demo`) may receive it.
   */
  'simulated_funding',
  /**
   * A demo supplier of the simulated network withdrawing its payable earnings (payable → external, like a
   * one-step payout), in the ledger only: no transfer on any chain behind it, published as a simulated payout,
   * never as a payout. Only a demo account (`accounts.is_demo`) may make one.
   */
  'simulated_payout',
  /** A customer's available balance set aside for a withdrawal to their wallet (available → withdrawal pending). */
  'withdrawal_reserve',
  /** A customer's withdrawal confirmed on-chain: the money has left the ledger (withdrawal pending → external). */
  'withdrawal',
  /** A customer's withdrawal failed on-chain: the amount returns to their available balance. */
  'withdrawal_reversal',
]);

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
