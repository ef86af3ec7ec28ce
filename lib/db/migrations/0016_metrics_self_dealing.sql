ALTER TABLE "metrics_daily" ADD COLUMN "self_dealt_gpu_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_daily" ADD COLUMN "self_dealt_charged_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_daily" ADD COLUMN "self_dealt_jobs" integer DEFAULT 0 NOT NULL;