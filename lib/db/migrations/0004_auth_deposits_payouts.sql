CREATE TYPE "public"."deposit_rejection" AS ENUM('transaction_failed', 'transaction_not_found', 'not_usdc', 'wrong_recipient', 'wrong_chain', 'amount_mismatch', 'sender_mismatch', 'reorged');--> statement-breakpoint
CREATE TYPE "public"."deposit_source" AS ENUM('dashboard', 'indexer');--> statement-breakpoint
CREATE TYPE "public"."deposit_state" AS ENUM('seen', 'confirmed', 'credited', 'rejected', 'unattributed');--> statement-breakpoint
CREATE TYPE "public"."payout_state" AS ENUM('requested', 'signed', 'sent', 'confirmed', 'failed');--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'supplier_payout_pending' BEFORE 'platform_fees';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'payout_reserve' BEFORE 'payout';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'payout_reversal' BEFORE 'incentive';--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_records" (
	"account_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_records_account_id_key_pk" PRIMARY KEY("account_id","key")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_buckets" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_buckets_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"account_id" uuid NOT NULL,
	"nonce" text NOT NULL,
	"chain_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "siwe_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "chain_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"block_number" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chain_id" integer NOT NULL,
	"tx_hash" text NOT NULL,
	"log_index" integer,
	"account_id" uuid,
	"source" "deposit_source" NOT NULL,
	"from_address" text,
	"amount_micros" bigint,
	"block_number" bigint,
	"block_hash" text,
	"confirmations_required" integer NOT NULL,
	"state" "deposit_state" NOT NULL,
	"rejection" "deposit_rejection",
	"ledger_transaction_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"credited_at" timestamp with time zone,
	CONSTRAINT "deposits_rejection_iff_rejected" CHECK (("deposits"."state" = 'rejected') = ("deposits"."rejection" is not null)),
	CONSTRAINT "deposits_credited_has_ledger" CHECK ("deposits"."state" <> 'credited' or ("deposits"."ledger_transaction_id" is not null and "deposits"."account_id" is not null)),
	CONSTRAINT "deposits_amount_positive" CHECK ("deposits"."amount_micros" is null or "deposits"."amount_micros" > 0)
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"chain_id" integer NOT NULL,
	"to_address" text NOT NULL,
	"amount_micros" bigint NOT NULL,
	"state" "payout_state" NOT NULL,
	"nonce" integer,
	"tx_hash" text,
	"raw_transaction" text,
	"failure_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount_micros" > 0)
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "low_balance_threshold_micros" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_nonce_siwe_nonces_nonce_fk" FOREIGN KEY ("nonce") REFERENCES "public"."siwe_nonces"("nonce") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposits" ADD CONSTRAINT "deposits_ledger_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("ledger_transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_account_idx" ON "api_keys" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "rate_limit_window_idx" ON "rate_limit_buckets" USING btree ("window_start");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_nonce_key" ON "sessions" USING btree ("nonce");--> statement-breakpoint
CREATE INDEX "sessions_account_idx" ON "sessions" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "siwe_nonces_expires_idx" ON "siwe_nonces" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deposits_chain_tx_log_key" ON "deposits" USING btree ("chain_id","tx_hash","log_index");--> statement-breakpoint
CREATE UNIQUE INDEX "deposits_rejected_submission_key" ON "deposits" USING btree ("chain_id","tx_hash","account_id") WHERE "deposits"."log_index" is null;--> statement-breakpoint
CREATE INDEX "deposits_account_idx" ON "deposits" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "deposits_open_idx" ON "deposits" USING btree ("state") WHERE "deposits"."state" in ('seen', 'confirmed', 'unattributed');--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_account_idempotency_key" ON "payouts" USING btree ("account_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_chain_nonce_key" ON "payouts" USING btree ("chain_id","nonce") WHERE "payouts"."nonce" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_tx_hash_key" ON "payouts" USING btree ("chain_id","tx_hash") WHERE "payouts"."tx_hash" is not null;--> statement-breakpoint
CREATE INDEX "payouts_account_idx" ON "payouts" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payouts_open_idx" ON "payouts" USING btree ("state") WHERE "payouts"."state" in ('requested', 'signed', 'sent');