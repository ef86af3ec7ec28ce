CREATE INDEX "offers_model_price_per_work_idx" ON "offers" USING btree ("gpu_model","price_per_work_micros","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_reliability_idx" ON "offers" USING btree ("gpu_model","reliability_bp","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_vram_idx" ON "offers" USING btree ("gpu_model","vram_gb","node_id");--> statement-breakpoint
CREATE INDEX "offers_model_free_gpus_idx" ON "offers" USING btree ("gpu_model","free_gpus","node_id");