ALTER TYPE "public"."verification_state" ADD VALUE 'declared';--> statement-breakpoint
ALTER TYPE "public"."challenge_state" ADD VALUE 'committed' BEFORE 'passed';--> statement-breakpoint
ALTER TYPE "public"."challenge_state" ADD VALUE 'unsupported' BEFORE 'expired';--> statement-breakpoint
DROP INDEX "verification_challenges_open_key";--> statement-breakpoint
ALTER TABLE "verification_challenges" ALTER COLUMN "steps" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "declared" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "rows_m" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_challenges" ALTER COLUMN "rows_m" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "inner_k" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_challenges" ALTER COLUMN "inner_k" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "rounds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_challenges" ALTER COLUMN "rounds" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "ack_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "root" text;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "committed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "elapsed_ms" integer;--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "reveal_rounds" integer[];--> statement-breakpoint
ALTER TABLE "verification_challenges" ADD COLUMN "unsupported_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "verification_challenges_open_key" ON "verification_challenges" USING btree ("node_id") WHERE "verification_challenges"."state" in ('pending', 'sent', 'committed');