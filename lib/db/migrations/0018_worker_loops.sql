CREATE TABLE "worker_loops" (
	"name" text PRIMARY KEY NOT NULL,
	"interval_ms" integer NOT NULL,
	"worker_id" text NOT NULL,
	"last_started_at" timestamp with time zone NOT NULL,
	"last_success_at" timestamp with time zone,
	"last_duration_ms" integer,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL
);
