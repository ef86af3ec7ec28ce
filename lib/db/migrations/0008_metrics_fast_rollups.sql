CREATE TABLE "metrics_customer_days" (
	"day" date NOT NULL,
	"account_id" uuid NOT NULL,
	"charged_micros" bigint NOT NULL,
	CONSTRAINT "metrics_customer_days_pkey" PRIMARY KEY("day","account_id")
);
--> statement-breakpoint
CREATE TABLE "metrics_schedule_periods" (
	"granularity" text NOT NULL,
	"period" date NOT NULL,
	"jobs" integer NOT NULL,
	"p50_seconds" integer NOT NULL,
	"p95_seconds" integer NOT NULL,
	CONSTRAINT "metrics_schedule_periods_pkey" PRIMARY KEY("granularity","period")
);
--> statement-breakpoint
CREATE INDEX "metrics_customer_days_account_idx" ON "metrics_customer_days" USING btree ("account_id","day");--> statement-breakpoint
CREATE INDEX "node_verifications_node_pass_idx" ON "node_verifications" USING btree ("node_id","created_at") WHERE "node_verifications"."result" = 'pass';--> statement-breakpoint
-- The new rollups are empty: forgetting how far the rollups were refreshed makes the worker's next refresh a
-- full rebuild (refreshRecentMetricRollups), which fills them for the whole history.
DELETE FROM "metrics_rollup_state" WHERE "id" = 'rollups';
