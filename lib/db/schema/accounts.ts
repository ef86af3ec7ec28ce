import { bigint, boolean, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A wallet identity. One account may be a customer, a supplier, or both. */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-case 0x-prefixed address. */
    walletAddress: text('wallet_address').notNull(),
    displayName: text('display_name'),
    /** Accounts created by the demo network generator rather than by a person. */
    /** Below this available balance the billing page warns; null = no warning. */
    lowBalanceThresholdMicros: bigint('low_balance_threshold_micros', { mode: 'bigint' }),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('accounts_wallet_address_key').on(t.walletAddress)],
);

export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;
