-- Customers withdraw unused balance to their wallet through the payout machinery (one treasury, one nonce
-- sequence): a payout row says whose money it pays, and the ledger moves it with kinds of its own, so a
-- withdrawal is never counted as a supplier payout (lib/payouts/request-withdrawal.ts).
CREATE TYPE "public"."payout_source" AS ENUM('supplier_earnings', 'customer_balance');--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'customer_withdrawal_pending' BEFORE 'supplier_held';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'withdrawal_reserve';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'withdrawal';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'withdrawal_reversal';--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "source" "payout_source" DEFAULT 'supplier_earnings' NOT NULL;