import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@/lib/db/schema/columns';
import { accounts } from '@/lib/db/schema/accounts';
import { ledgerTransactions } from '@/lib/db/schema/ledger';
import { DEPOSIT_STATES, DEPOSIT_REJECTIONS, DEPOSIT_SOURCES } from '@/lib/enums';

/**
 * seen → confirmed → credited; or rejected with a reason; or unattributed (a real transfer to the treasury
 * from a wallet no account owns — kept, never lost, credited when that wallet signs in).
 */
export const depositState = pgEnum('deposit_state', DEPOSIT_STATES);

export const depositRejection = pgEnum('deposit_rejection', DEPOSIT_REJECTIONS);

export const depositSource = pgEnum('deposit_source', DEPOSIT_SOURCES);

export type DepositState = (typeof depositState.enumValues)[number];
export type DepositRejection = (typeof depositRejection.enumValues)[number];

/**
 * A USDC transfer to the treasury, unique by (chain id, tx hash, log index) — the database, not code, makes a
 * transfer credit at most once. A submission rejected before any qualifying log was found has no log index and
 * is unique per (chain, tx hash, submitting account).
 */
export const deposits = pgTable(
  'deposits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    chainId: integer('chain_id').notNull(),
    /** Lower-case 0x-prefixed. */
    txHash: text('tx_hash').notNull(),
    logIndex: integer('log_index'),
    /** The account credited (or to be credited); null while unattributed. */
    accountId: uuid('account_id').references(() => accounts.id),
    source: depositSource('source').notNull(),
    fromAddress: text('from_address'),
    /** Read from the Transfer log, never from a request. */
    amountMicros: bigint('amount_micros', { mode: 'bigint' }),
    blockNumber: bigint('block_number', { mode: 'bigint' }),
    blockHash: text('block_hash'),
    confirmationsRequired: integer('confirmations_required').notNull(),
    state: depositState('state').notNull(),
    rejection: depositRejection('rejection'),
    ledgerTransactionId: uuid('ledger_transaction_id').references(() => ledgerTransactions.id),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    creditedAt: timestamptz('credited_at'),
  },
  (t) => [
    uniqueIndex('deposits_chain_tx_log_key').on(t.chainId, t.txHash, t.logIndex),
    uniqueIndex('deposits_rejected_submission_key')
      .on(t.chainId, t.txHash, t.accountId)
      .where(sql`${t.logIndex} is null`),
    index('deposits_account_idx').on(t.accountId, t.createdAt, t.id),
    index('deposits_open_idx')
      .on(t.state)
      .where(sql`${t.state} in ('seen', 'confirmed', 'unattributed')`),
    check('deposits_rejection_iff_rejected', sql`(${t.state} = 'rejected') = (${t.rejection} is not null)`),
    check(
      'deposits_credited_has_ledger',
      sql`${t.state} <> 'credited' or (${t.ledgerTransactionId} is not null and ${t.accountId} is not null)`,
    ),
    check('deposits_amount_positive', sql`${t.amountMicros} is null or ${t.amountMicros} > 0`),
  ],
);

/** How far a chain scanner (the deposit indexer) has read, per chain. */
export const chainCursors = pgTable('chain_cursors', {
  name: text('name').primaryKey(),
  chainId: integer('chain_id').notNull(),
  blockNumber: bigint('block_number', { mode: 'bigint' }).notNull(),
  updatedAt: timestamptz('updated_at').notNull(),
});

export type Deposit = typeof deposits.$inferSelect;
