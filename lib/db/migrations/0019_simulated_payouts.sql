-- Withdrawals of the simulated demo network's suppliers get their own transaction kind: ledger-only, never
-- expected on the chain, so a `payout` is always one the chain confirmed and the reconciliation keeps them apart.
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'simulated_payout';--> statement-breakpoint
ALTER TABLE "metrics_daily" ADD COLUMN "payouts_simulated_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The new column is 0 in every existing row: forgetting how far the rollups were refreshed makes the worker's
-- next refresh a full rebuild (refreshRecentMetricRollups), which fills it for the whole history.
DELETE FROM "metrics_rollup_state" WHERE "id" = 'rollups';
