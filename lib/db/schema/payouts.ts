import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@/lib/db/schema/columns';
import { accounts } from '@/lib/db/schema/accounts';
import { PAYOUT_STATES, PAYOUT_SOURCES } from '@/lib/enums';

/**
 * requested (intent recorded, payable reserved) → signed (nonce and tx hash recorded *before* broadcast) →
 * sent → confirmed; or failed (the reserved amount returns to payable). Because the signed transaction is
 * stored before it is broadcast, a crash between sending and recording is reconciled by tx hash and nonce:
 * the same transaction is re-broadcast or found mined, never signed twice.
 */
export const payoutState = pgEnum('payout_state', PAYOUT_STATES);

export type PayoutState = (typeof payoutState.enumValues)[number];

/**
 * Whose money a transfer out of the treasury pays: a supplier's earnings (payable) or a customer's unused
 * balance (available). Both go through the same signing, nonce and confirmation machinery; the ledger keeps
 * them apart (supplier payouts are `payout`, customer withdrawals are `withdrawal`).
 */
export const payoutSource = pgEnum('payout_source', PAYOUT_SOURCES);

export type PayoutSource = (typeof payoutSource.enumValues)[number];

export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    idempotencyKey: text('idempotency_key').notNull(),
    source: payoutSource('source').notNull().default('supplier_earnings'),
    chainId: integer('chain_id').notNull(),
    toAddress: text('to_address').notNull(),
    amountMicros: bigint('amount_micros', { mode: 'bigint' }).notNull(),
    state: payoutState('state').notNull(),
    /** The treasury nonce this payout's transaction uses; unique per chain. */
    nonce: integer('nonce'),
    txHash: text('tx_hash'),
    /** The signed raw transaction, kept so a restart re-broadcasts exactly it. */
    rawTransaction: text('raw_transaction'),
    failureReason: text('failure_reason'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    confirmedAt: timestamptz('confirmed_at'),
  },
  (t) => [
    uniqueIndex('payouts_account_idempotency_key').on(t.accountId, t.idempotencyKey),
    uniqueIndex('payouts_chain_nonce_key')
      .on(t.chainId, t.nonce)
      .where(sql`${t.nonce} is not null`),
    uniqueIndex('payouts_tx_hash_key')
      .on(t.chainId, t.txHash)
      .where(sql`${t.txHash} is not null`),
    index('payouts_account_idx').on(t.accountId, t.createdAt, t.id),
    index('payouts_open_idx')
      .on(t.state)
      .where(sql`${t.state} in ('requested', 'signed', 'sent')`),
    check('payouts_amount_positive', sql`${t.amountMicros} > 0`),
  ],
);

export type Payout = typeof payouts.$inferSelect;
