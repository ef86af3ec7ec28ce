CREATE TYPE "public"."interconnect" AS ENUM('nvlink', 'pcie');--> statement-breakpoint
CREATE TYPE "public"."node_status" AS ENUM('online', 'busy', 'offline', 'lost', 'quarantined');--> statement-breakpoint
CREATE TYPE "public"."verification_method" AS ENUM('benchmark', 'canary');--> statement-breakpoint
CREATE TYPE "public"."verification_result" AS ENUM('pass', 'fail');--> statement-breakpoint
CREATE TYPE "public"."verification_state" AS ENUM('unverified', 'verified', 'failed');--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"wallet_address" text NOT NULL,
	"display_name" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "node_gpus" (
	"node_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"model" text NOT NULL,
	"vram_gb" integer NOT NULL,
	"serial" text NOT NULL,
	CONSTRAINT "node_gpus_pkey" PRIMARY KEY("node_id","index")
);
--> statement-breakpoint
CREATE TABLE "node_status_intervals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"node_id" uuid NOT NULL,
	"status" "node_status" NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "node_verifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"node_id" uuid NOT NULL,
	"method" "verification_method" NOT NULL,
	"result" "verification_result" NOT NULL,
	"measured_score" real NOT NULL,
	"expected_min" real NOT NULL,
	"expected_max" real NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "nodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL,
	"gpu_model" text NOT NULL,
	"gpu_count" integer NOT NULL,
	"vram_gb" integer NOT NULL,
	"interconnect" "interconnect" NOT NULL,
	"bandwidth_mbps" integer NOT NULL,
	"cpu_cores" integer NOT NULL,
	"ram_gb" integer NOT NULL,
	"disk_gb" integer NOT NULL,
	"cuda_version" text NOT NULL,
	"price_per_gpu_hour_micros" bigint NOT NULL,
	"status" "node_status" DEFAULT 'offline' NOT NULL,
	"status_since" timestamp with time zone NOT NULL,
	"last_heartbeat_at" timestamp with time zone,
	"verification_state" "verification_state" DEFAULT 'unverified' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"node_id" uuid PRIMARY KEY NOT NULL,
	"gpu_model" text NOT NULL,
	"gpu_count" integer NOT NULL,
	"free_gpus" integer NOT NULL,
	"vram_gb" integer NOT NULL,
	"region" text NOT NULL,
	"interconnect" "interconnect" NOT NULL,
	"bandwidth_mbps" integer NOT NULL,
	"price_micros" bigint NOT NULL,
	"price_per_work_micros" bigint NOT NULL,
	"reliability_bp" integer NOT NULL,
	"job_success_bp" integer,
	"jobs_finished" integer DEFAULT 0 NOT NULL,
	"verified" boolean NOT NULL,
	"verified_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "offers_free_gpus_range" CHECK ("offers"."free_gpus" > 0 and "offers"."free_gpus" <= "offers"."gpu_count"),
	CONSTRAINT "offers_reliability_range" CHECK ("offers"."reliability_bp" between 0 and 10000)
);
--> statement-breakpoint
ALTER TABLE "node_gpus" ADD CONSTRAINT "node_gpus_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_status_intervals" ADD CONSTRAINT "node_status_intervals_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node_verifications" ADD CONSTRAINT "node_verifications_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_owner_account_id_accounts_id_fk" FOREIGN KEY ("owner_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_node_id_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_wallet_address_key" ON "accounts" USING btree ("wallet_address");--> statement-breakpoint
CREATE INDEX "node_status_intervals_node_time_idx" ON "node_status_intervals" USING btree ("node_id","started_at");--> statement-breakpoint
CREATE INDEX "node_verifications_node_time_idx" ON "node_verifications" USING btree ("node_id","created_at");--> statement-breakpoint
CREATE INDEX "nodes_owner_idx" ON "nodes" USING btree ("owner_account_id");--> statement-breakpoint
CREATE INDEX "nodes_model_idx" ON "nodes" USING btree ("gpu_model");--> statement-breakpoint
CREATE INDEX "offers_price_idx" ON "offers" USING btree ("price_micros","node_id");--> statement-breakpoint
CREATE INDEX "offers_price_per_work_idx" ON "offers" USING btree ("price_per_work_micros","node_id");--> statement-breakpoint
CREATE INDEX "offers_reliability_idx" ON "offers" USING btree ("reliability_bp","node_id");--> statement-breakpoint
CREATE INDEX "offers_vram_idx" ON "offers" USING btree ("vram_gb","node_id");--> statement-breakpoint
CREATE INDEX "offers_free_gpus_idx" ON "offers" USING btree ("free_gpus","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_price_idx" ON "offers" USING btree ("gpu_model","price_micros","node_id");