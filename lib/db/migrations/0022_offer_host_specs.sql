-- The offer read model gains the host's CPU cores, RAM, disk and CUDA version (search filters and sorts).
-- Existing rows are filled from their nodes before the columns become NOT NULL.
ALTER TABLE "offers" ADD COLUMN "cpu_cores" integer;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "ram_gb" integer;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "disk_gb" integer;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "cuda_version" text;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "cuda_rank" integer;--> statement-breakpoint
UPDATE "offers" SET
  "cpu_cores" = n."cpu_cores",
  "ram_gb" = n."ram_gb",
  "disk_gb" = n."disk_gb",
  "cuda_version" = n."cuda_version",
  -- lib/market/cuda.ts cudaRank(): major x 100 + minor for "major.minor", 0 for anything else.
  "cuda_rank" = CASE WHEN n."cuda_version" ~ '^\d{1,2}\.\d{1,2}$'
    THEN split_part(n."cuda_version", '.', 1)::int * 100 + split_part(n."cuda_version", '.', 2)::int
    ELSE 0 END
FROM "nodes" n WHERE n."id" = "offers"."node_id";--> statement-breakpoint
ALTER TABLE "offers" ALTER COLUMN "cpu_cores" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ALTER COLUMN "ram_gb" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ALTER COLUMN "disk_gb" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ALTER COLUMN "cuda_version" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ALTER COLUMN "cuda_rank" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "offers_bandwidth_idx" ON "offers" USING btree ("bandwidth_mbps","node_id");--> statement-breakpoint
CREATE INDEX "offers_cpu_cores_idx" ON "offers" USING btree ("cpu_cores","node_id");--> statement-breakpoint
CREATE INDEX "offers_ram_idx" ON "offers" USING btree ("ram_gb","node_id");--> statement-breakpoint
CREATE INDEX "offers_disk_idx" ON "offers" USING btree ("disk_gb","node_id");--> statement-breakpoint
CREATE INDEX "offers_cuda_idx" ON "offers" USING btree ("cuda_rank","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_bandwidth_idx" ON "offers" USING btree ("gpu_model","bandwidth_mbps","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_cpu_cores_idx" ON "offers" USING btree ("gpu_model","cpu_cores","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_ram_idx" ON "offers" USING btree ("gpu_model","ram_gb","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_disk_idx" ON "offers" USING btree ("gpu_model","disk_gb","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_cuda_idx" ON "offers" USING btree ("gpu_model","cuda_rank","node_id");
