CREATE TABLE "demo_history" (
	"id" text PRIMARY KEY NOT NULL,
	"seed" integer NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"generated_through" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"jobs" integer DEFAULT 0 NOT NULL,
	"customers" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "metrics_cohorts" (
	"cohort" date NOT NULL,
	"month" date NOT NULL,
	"customers" integer NOT NULL,
	"charged_micros" bigint NOT NULL,
	CONSTRAINT "metrics_cohorts_pkey" PRIMARY KEY("cohort","month")
);
--> statement-breakpoint
CREATE TABLE "metrics_customer_months" (
	"month" date NOT NULL,
	"account_id" uuid NOT NULL,
	"charged_micros" bigint NOT NULL,
	CONSTRAINT "metrics_customer_months_pkey" PRIMARY KEY("month","account_id")
);
--> statement-breakpoint
CREATE TABLE "metrics_daily" (
	"day" date PRIMARY KEY NOT NULL,
	"paid_gpu_ms" bigint NOT NULL,
	"charged_micros" bigint NOT NULL,
	"fee_micros" bigint NOT NULL,
	"supplier_micros" bigint NOT NULL,
	"incentive_token_micros" bigint NOT NULL,
	"incentive_usd_micros" bigint NOT NULL,
	"verified_gpu_seconds" bigint NOT NULL,
	"epoch_seconds" bigint NOT NULL,
	"jobs_succeeded" integer NOT NULL,
	"jobs_host_recovered" integer NOT NULL,
	"jobs_user_error" integer NOT NULL,
	"jobs_host_lost" integer NOT NULL,
	"jobs_cancelled" integer NOT NULL,
	"jobs_out_of_budget" integer NOT NULL,
	"deposits_ledger_micros" bigint NOT NULL,
	"deposits_onchain_micros" bigint NOT NULL,
	"deposits_simulated_micros" bigint NOT NULL,
	"payouts_ledger_micros" bigint NOT NULL,
	"payouts_onchain_micros" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics_monthly" (
	"month" date PRIMARY KEY NOT NULL,
	"paying_customers" integer NOT NULL,
	"new_customers" integer NOT NULL,
	"charged_micros" bigint NOT NULL,
	"top10_micros" bigint NOT NULL,
	"nrr_base_micros" bigint NOT NULL,
	"nrr_retained_micros" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics_rollup_state" (
	"id" text PRIMARY KEY NOT NULL,
	"refreshed_through" timestamp with time zone NOT NULL,
	"last_refresh_ms" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "metrics_schedule_waits" (
	"day" date NOT NULL,
	"wait_seconds" integer NOT NULL,
	"jobs" integer NOT NULL,
	CONSTRAINT "metrics_schedule_waits_pkey" PRIMARY KEY("day","wait_seconds")
);
--> statement-breakpoint
CREATE INDEX "metrics_customer_months_account_idx" ON "metrics_customer_months" USING btree ("account_id","month");--> statement-breakpoint
CREATE INDEX "ledger_transactions_kind_time_idx" ON "ledger_transactions" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transactions_capture_attempt_idx" ON "ledger_transactions" USING btree (split_part("idempotency_key", ':', 2)) WHERE "ledger_transactions"."kind" = 'capture';--> statement-breakpoint
CREATE INDEX "job_attempts_first_assigned_idx" ON "job_attempts" USING btree ("assigned_at") WHERE "job_attempts"."number" = 1;--> statement-breakpoint
CREATE INDEX "jobs_customer_finished_idx" ON "jobs" USING btree ("finished_at") WHERE "jobs"."kind" = 'customer' and "jobs"."finished_at" is not null;