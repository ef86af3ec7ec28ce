CREATE TYPE "public"."job_kind" AS ENUM('customer', 'canary');--> statement-breakpoint
CREATE TYPE "public"."canary_outcome" AS ENUM('pending', 'pass', 'fail', 'void');--> statement-breakpoint
CREATE TYPE "public"."challenge_state" AS ENUM('pending', 'sent', 'passed', 'failed', 'expired');--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'supplier_held' BEFORE 'platform_fees';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'earnings_hold' BEFORE 'correction';--> statement-breakpoint
CREATE TABLE "canary_checks" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"node_id" uuid NOT NULL,
	"expected_digest" text NOT NULL,
	"outcome" "canary_outcome" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "earnings_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"node_id" uuid NOT NULL,
	"supplier_account_id" uuid NOT NULL,
	"amount_micros" bigint NOT NULL,
	"reason" text NOT NULL,
	"ledger_transaction_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incentive_epochs" (
	"epoch_start" timestamp with time zone PRIMARY KEY NOT NULL,
	"epoch_end" timestamp with time zone NOT NULL,
	"emission_micros" bigint NOT NULL,
	"usd_price_micros" bigint NOT NULL,
	"gpu_seconds" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incentive_rewards" (
	"epoch_start" timestamp with time zone NOT NULL,
	"node_id" uuid NOT NULL,
	"supplier_account_id" uuid NOT NULL,
	"gpu_seconds" bigint NOT NULL,
	"amount_micros" bigint NOT NULL,
	"usd_value_micros" bigint NOT NULL,
	"ledger_transaction_id" uuid,
	CONSTRAINT "incentive_rewards_pkey" PRIMARY KEY("epoch_start","node_id")
);
--> statement-breakpoint
CREATE TABLE "verification_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"node_id" uuid NOT NULL,
	"seed" text NOT NULL,
	"lanes" integer NOT NULL,
	"steps" integer NOT NULL,
	"reference_ms" integer NOT NULL,
	"claimed_model" text NOT NULL,
	"state" "challenge_state" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"deadline_at" timestamp with time zone,
	CONSTRAINT "verification_challenges_lanes" CHECK ("verification_challenges"."lanes" between 1 and 16)
);
--> statement-breakpoint
ALTER TABLE "jobs" DROP CONSTRAINT "jobs_budget_positive";--> statement-breakpoint
ALTER TABLE "node_verifications" ADD COLUMN "challenge_id" uuid;--> statement-breakpoint
ALTER TABLE "node_verifications" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "quarantined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "quarantine_reason" text;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD COLUMN "result_digest" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "kind" "job_kind" DEFAULT 'customer' NOT NULL;--> statement-breakpoint
ALTER TABLE "canary_checks" ADD CONSTRAINT "canary_checks_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "canary_checks" ADD CONSTRAINT "canary_checks_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings_holds" ADD CONSTRAINT "earnings_holds_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "earnings_holds" ADD CONSTRAINT "earnings_holds_supplier_account_id_accounts_id_fk" FOREIGN KEY ("supplier_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_rewards" ADD CONSTRAINT "incentive_rewards_epoch_start_incentive_epochs_epoch_start_fk" FOREIGN KEY ("epoch_start") REFERENCES "public"."incentive_epochs"("epoch_start") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_rewards" ADD CONSTRAINT "incentive_rewards_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incentive_rewards" ADD CONSTRAINT "incentive_rewards_supplier_account_id_accounts_id_fk" FOREIGN KEY ("supplier_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD CONSTRAINT "verification_challenges_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "canary_checks_node_idx" ON "canary_checks" USING btree ("node_id","created_at");--> statement-breakpoint
CREATE INDEX "earnings_holds_supplier_idx" ON "earnings_holds" USING btree ("supplier_account_id","created_at");--> statement-breakpoint
CREATE INDEX "incentive_rewards_supplier_idx" ON "incentive_rewards" USING btree ("supplier_account_id","epoch_start");--> statement-breakpoint
CREATE INDEX "incentive_rewards_node_idx" ON "incentive_rewards" USING btree ("node_id","epoch_start");--> statement-breakpoint
CREATE UNIQUE INDEX "verification_challenges_open_key" ON "verification_challenges" USING btree ("node_id") WHERE "verification_challenges"."state" in ('pending', 'sent');--> statement-breakpoint
CREATE INDEX "verification_challenges_node_idx" ON "verification_challenges" USING btree ("node_id","created_at");--> statement-breakpoint
CREATE INDEX "job_attempts_node_time_idx" ON "job_attempts" USING btree ("node_id","assigned_at");--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_budget_positive" CHECK ("jobs"."budget_micros" > 0 or "jobs"."kind" = 'canary');