CREATE TYPE "public"."attempt_state" AS ENUM('assigned', 'running', 'completed', 'host_lost', 'preempted', 'failed', 'cancelled', 'out_of_budget');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('queued', 'scheduled', 'running', 'succeeded', 'failed', 'cancelled', 'out_of_budget');--> statement-breakpoint
CREATE TYPE "public"."job_template" AS ENUM('llm_inference', 'lora_finetune', 'multi_gpu_training', 'render', 'custom');--> statement-breakpoint
CREATE TABLE "gpu_leases" (
	"node_id" uuid NOT NULL,
	"gpu_index" integer NOT NULL,
	"attempt_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gpu_leases_pkey" PRIMARY KEY("node_id","gpu_index")
);
--> statement-breakpoint
CREATE TABLE "job_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"node_id" uuid NOT NULL,
	"supplier_account_id" uuid NOT NULL,
	"gpu_indexes" jsonb NOT NULL,
	"gpu_serials" jsonb NOT NULL,
	"gpu_model" text NOT NULL,
	"fencing_token" bigint NOT NULL,
	"price_per_gpu_hour_micros" bigint NOT NULL,
	"take_rate_bp" integer NOT NULL,
	"state" "attempt_state" NOT NULL,
	"end_reason" text,
	"resumed_from_units" bigint NOT NULL,
	"pending_ms" bigint DEFAULT 0 NOT NULL,
	"metered_ms" bigint DEFAULT 0 NOT NULL,
	"forfeited_ms" bigint DEFAULT 0 NOT NULL,
	"charged_micros" bigint DEFAULT 0 NOT NULL,
	"supplier_micros" bigint DEFAULT 0 NOT NULL,
	"fee_micros" bigint DEFAULT 0 NOT NULL,
	"last_report_at" timestamp with time zone,
	"assigned_at" timestamp with time zone NOT NULL,
	"running_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "job_attempts_job_number_key" UNIQUE("job_id","number"),
	CONSTRAINT "job_attempts_charge_split" CHECK ("job_attempts"."charged_micros" = "job_attempts"."supplier_micros" + "job_attempts"."fee_micros")
);
--> statement-breakpoint
CREATE TABLE "job_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_receipts" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"payload" text NOT NULL,
	"signer" text NOT NULL,
	"signature" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"template" "job_template" NOT NULL,
	"image" text NOT NULL,
	"command" jsonb NOT NULL,
	"env" jsonb NOT NULL,
	"gpu_models" jsonb NOT NULL,
	"gpu_count" integer NOT NULL,
	"min_vram_gb" integer NOT NULL,
	"region" text,
	"pinned_node_id" uuid,
	"max_price_per_gpu_hour_micros" bigint,
	"budget_micros" bigint NOT NULL,
	"work_units" bigint NOT NULL,
	"spec_hash" text NOT NULL,
	"state" "job_state" NOT NULL,
	"state_reason" text,
	"progress_units" bigint DEFAULT 0 NOT NULL,
	"checkpoint_units" bigint DEFAULT 0 NOT NULL,
	"checkpoint_ref" text,
	"fencing_token" bigint DEFAULT 0 NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"charged_micros" bigint DEFAULT 0 NOT NULL,
	"released_micros" bigint DEFAULT 0 NOT NULL,
	"simulated" boolean DEFAULT false NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "jobs_gpu_count_positive" CHECK ("jobs"."gpu_count" > 0),
	CONSTRAINT "jobs_budget_positive" CHECK ("jobs"."budget_micros" > 0),
	CONSTRAINT "jobs_charge_within_budget" CHECK ("jobs"."charged_micros" + "jobs"."released_micros" <= "jobs"."budget_micros")
);
--> statement-breakpoint
CREATE TABLE "node_registration_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"owner_account_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"node_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "token_hash" text;--> statement-breakpoint
ALTER TABLE "nodes" ADD COLUMN "last_telemetry" jsonb;--> statement-breakpoint
ALTER TABLE "gpu_leases" ADD CONSTRAINT "gpu_leases_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gpu_leases" ADD CONSTRAINT "gpu_leases_attempt_id_job_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."job_attempts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_supplier_account_id_accounts_id_fk" FOREIGN KEY ("supplier_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_events" ADD CONSTRAINT "job_events_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_receipts" ADD CONSTRAINT "job_receipts_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_owner_account_id_accounts_id_fk" FOREIGN KEY ("owner_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_pinned_node_id_nodes_id_fk" FOREIGN KEY ("pinned_node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_registration_tokens" ADD CONSTRAINT "node_registration_tokens_owner_account_id_accounts_id_fk" FOREIGN KEY ("owner_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_registration_tokens" ADD CONSTRAINT "node_registration_tokens_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gpu_leases_attempt_idx" ON "gpu_leases" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "job_attempts_node_active_idx" ON "job_attempts" USING btree ("node_id") WHERE "job_attempts"."state" in ('assigned', 'running');--> statement-breakpoint
CREATE INDEX "job_attempts_job_idx" ON "job_attempts" USING btree ("job_id","number");--> statement-breakpoint
CREATE INDEX "job_events_job_idx" ON "job_events" USING btree ("job_id","id");--> statement-breakpoint
CREATE INDEX "job_events_job_type_idx" ON "job_events" USING btree ("job_id","type","id");--> statement-breakpoint
CREATE INDEX "jobs_owner_created_idx" ON "jobs" USING btree ("owner_account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "jobs_queue_idx" ON "jobs" USING btree ("queued_at","id") WHERE "jobs"."state" = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_active_idx" ON "jobs" USING btree ("state") WHERE "jobs"."state" in ('scheduled', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "nodes_token_hash_key" ON "nodes" USING btree ("token_hash");--> statement-breakpoint
-- Job events are history: the live stream, the timeline and the receipts read them, so they are never rewritten.
CREATE FUNCTION job_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'job events are append-only (% refused)', TG_OP USING ERRCODE = 'check_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER job_events_append_only BEFORE UPDATE OR DELETE ON job_events
  FOR EACH ROW EXECUTE FUNCTION job_events_refuse_change();
