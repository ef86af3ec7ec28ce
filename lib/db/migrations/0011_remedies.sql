ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'refund' BEFORE 'correction';--> statement-breakpoint
CREATE TABLE "attempt_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"attempt_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"customer_account_id" uuid NOT NULL,
	"supplier_account_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"charged_micros" bigint NOT NULL,
	"from_held_micros" bigint NOT NULL,
	"from_platform_micros" bigint NOT NULL,
	"uncovered_micros" bigint NOT NULL,
	"reason" text NOT NULL,
	"ledger_transaction_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "attempt_refunds_attempt_id_unique" UNIQUE("attempt_id")
);
--> statement-breakpoint
CREATE TABLE "receipt_amendments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"payload" text NOT NULL,
	"signer" text NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "receipt_amendments_job_number_key" UNIQUE("job_id","number")
);
--> statement-breakpoint
ALTER TABLE "job_attempts" ADD COLUMN "suspect_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "suspect_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "refunded_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "rerun_of_job_id" uuid;--> statement-breakpoint
ALTER TABLE "attempt_refunds" ADD CONSTRAINT "attempt_refunds_attempt_id_job_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."job_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_refunds" ADD CONSTRAINT "attempt_refunds_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_refunds" ADD CONSTRAINT "attempt_refunds_customer_account_id_accounts_id_fk" FOREIGN KEY ("customer_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_refunds" ADD CONSTRAINT "attempt_refunds_supplier_account_id_accounts_id_fk" FOREIGN KEY ("supplier_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempt_refunds" ADD CONSTRAINT "attempt_refunds_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_amendments" ADD CONSTRAINT "receipt_amendments_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attempt_refunds_job_idx" ON "attempt_refunds" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "attempt_refunds_customer_idx" ON "attempt_refunds" USING btree ("customer_account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_rerun_of_key" ON "jobs" USING btree ("rerun_of_job_id") WHERE "jobs"."rerun_of_job_id" is not null;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_refund_within_charge" CHECK ("jobs"."refunded_micros" between 0 and "jobs"."charged_micros");