import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { interconnect, nodes } from '@/lib/db/schema/nodes';

/**
 * What a node can rent now: one row per listed node (online, not quarantined, with free GPUs), derived
 * from `nodes` by `refreshOffer` and indexed for search. Every sort key has a (key, node_id) index so a
 * keyset page is an index range scan with no sort step, with or without a GPU-model filter.
 */
export const offers = pgTable(
  'offers',
  {
    nodeId: uuid('node_id')
      .primaryKey()
      .references(() => nodes.id, { onDelete: 'cascade' }),
    gpuModel: text('gpu_model').notNull(),
    gpuCount: integer('gpu_count').notNull(),
    freeGpus: integer('free_gpus').notNull(),
    vramGb: integer('vram_gb').notNull(),
    region: text('region').notNull(),
    interconnect: interconnect('interconnect').notNull(),
    bandwidthMbps: integer('bandwidth_mbps').notNull(),
    cpuCores: integer('cpu_cores').notNull(),
    ramGb: integer('ram_gb').notNull(),
    diskGb: integer('disk_gb').notNull(),
    /** The driver's CUDA version as reported ("12.4"). */
    cudaVersion: text('cuda_version').notNull(),
    /** `cuda_version` as a sortable number: major × 100 + minor (12.4 → 1204). */
    cudaRank: integer('cuda_rank').notNull(),
    /** Micro-USDC per GPU-hour. */
    priceMicros: bigint('price_micros', { mode: 'bigint' }).notNull(),
    /** Micro-USDC per reference GPU-hour of work (price ÷ relative throughput of the model). */
    pricePerWorkMicros: bigint('price_per_work_micros', { mode: 'bigint' }).notNull(),
    /** Share of the last 30 days the node was up, in basis points (0–10000). */
    reliabilityBp: integer('reliability_bp').notNull(),
    /** Share of finished jobs that succeeded, in basis points; null until the node has finished a job. */
    jobSuccessBp: integer('job_success_bp'),
    jobsFinished: integer('jobs_finished').notNull().default(0),
    verified: boolean('verified').notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    /** The node's agent cannot run the GPU proof: its hardware is only declared (listed only on request). */
    declared: boolean('declared').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('offers_price_idx').on(t.priceMicros, t.nodeId),
    index('offers_price_per_work_idx').on(t.pricePerWorkMicros, t.nodeId),
    index('offers_reliability_idx').on(t.reliabilityBp, t.nodeId),
    index('offers_vram_idx').on(t.vramGb, t.nodeId),
    index('offers_free_gpus_idx').on(t.freeGpus, t.nodeId),
    index('offers_bandwidth_idx').on(t.bandwidthMbps, t.nodeId),
    index('offers_cpu_cores_idx').on(t.cpuCores, t.nodeId),
    index('offers_ram_idx').on(t.ramGb, t.nodeId),
    index('offers_disk_idx').on(t.diskGb, t.nodeId),
    index('offers_cuda_idx').on(t.cudaRank, t.nodeId),
    // A GPU-model filter (the most common one) scans its model's slice of each sort order.
    index('offers_model_price_idx').on(t.gpuModel, t.priceMicros, t.nodeId),
    index('offers_model_price_per_work_idx').on(t.gpuModel, t.pricePerWorkMicros, t.nodeId),
    index('offers_model_reliability_idx').on(t.gpuModel, t.reliabilityBp, t.nodeId),
    index('offers_model_vram_idx').on(t.gpuModel, t.vramGb, t.nodeId),
    index('offers_model_free_gpus_idx').on(t.gpuModel, t.freeGpus, t.nodeId),
    index('offers_model_bandwidth_idx').on(t.gpuModel, t.bandwidthMbps, t.nodeId),
    index('offers_model_cpu_cores_idx').on(t.gpuModel, t.cpuCores, t.nodeId),
    index('offers_model_ram_idx').on(t.gpuModel, t.ramGb, t.nodeId),
    index('offers_model_disk_idx').on(t.gpuModel, t.diskGb, t.nodeId),
    index('offers_model_cuda_idx').on(t.gpuModel, t.cudaRank, t.nodeId),
    check('offers_free_gpus_range', sql`${t.freeGpus} > 0 and ${t.freeGpus} <= ${t.gpuCount}`),
    check('offers_reliability_range', sql`${t.reliabilityBp} between 0 and 10000`),
  ],
);

export type Offer = typeof offers.$inferSelect;
export type NewOffer = typeof offers.$inferInsert;
