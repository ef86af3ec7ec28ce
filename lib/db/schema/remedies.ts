import { bigint, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '@/lib/db/schema/accounts';
import { timestamptz } from '@/lib/db/schema/columns';
import { jobAttempts, jobs } from '@/lib/db/schema/jobs';
import { nodes } from '@/lib/db/schema/nodes';

/**
 * The refund of one suspect attempt (lib/verification/remedies.ts): what its customer got back and where the
 * money came from — the node's held earnings first, then the platform's fees; `uncoveredMicros` is what neither
 * covered (shown to the customer, never silently dropped). One row per attempt: a refund is issued once.
 */
export const attemptRefunds = pgTable(
  'attempt_refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    attemptId: uuid('attempt_id')
      .notNull()
      .unique()
      .references(() => jobAttempts.id),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    customerAccountId: uuid('customer_account_id')
      .notNull()
      .references(() => accounts.id),
    supplierAccountId: uuid('supplier_account_id')
      .notNull()
      .references(() => accounts.id),
    nodeId: uuid('node_id')
      .notNull()
      .references(() => nodes.id),
    /** The attempt's charge at the time: what the customer should get back. */
    chargedMicros: bigint('charged_micros', { mode: 'bigint' }).notNull(),
    fromHeldMicros: bigint('from_held_micros', { mode: 'bigint' }).notNull(),
    fromPlatformMicros: bigint('from_platform_micros', { mode: 'bigint' }).notNull(),
    uncoveredMicros: bigint('uncovered_micros', { mode: 'bigint' }).notNull(),
    reason: text('reason').notNull(),
    ledgerTransactionId: uuid('ledger_transaction_id'),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [
    index('attempt_refunds_job_idx').on(t.jobId),
    index('attempt_refunds_customer_idx').on(t.customerAccountId, t.createdAt),
  ],
);

/**
 * A signed amendment to a job's receipt: a new document, signed like the receipt, that names the original
 * (its signature and payload hash) and says which attempts became suspect and what was refunded.
 */
export const receiptAmendments = pgTable(
  'receipt_amendments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => jobs.id),
    /** 1, 2, … per job. */
    number: integer('number').notNull(),
    payload: text('payload').notNull(),
    signer: text('signer').notNull(),
    signature: text('signature').notNull(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [unique('receipt_amendments_job_number_key').on(t.jobId, t.number)],
);

export type AttemptRefund = typeof attemptRefunds.$inferSelect;
export type ReceiptAmendment = typeof receiptAmendments.$inferSelect;
