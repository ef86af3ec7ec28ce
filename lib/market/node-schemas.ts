import { z } from 'zod';
import { gpuModelSummarySchema, offerSchema } from '@/lib/market/offer-schemas';

export const nodeIdParamsSchema = z.strictObject({
  id: z.uuid({ message: 'must be a node id (UUID)' }).meta({ description: 'Node id.' }),
});

export const nodeDetailSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(['online', 'busy', 'offline', 'lost', 'quarantined']),
    statusSince: z.iso.datetime(),
    lastHeartbeatAt: z.iso.datetime().nullable(),
    region: z.string(),
    regionName: z.string(),
    createdAt: z.iso.datetime(),
    hardware: z.object({
      gpuModel: z.string(),
      gpuName: z.string(),
      gpuCount: z.int(),
      vramGb: z.int(),
      interconnect: z.enum(['nvlink', 'pcie']),
      bandwidthMbps: z.int(),
      cpuCores: z.int(),
      ramGb: z.int(),
      diskGb: z.int(),
      cudaVersion: z.string(),
      relativeThroughput: z.number(),
      gpus: z.array(z.object({ index: z.int(), model: z.string(), vramGb: z.int(), serial: z.string() })),
    }),
    priceMicros: z.string().meta({ description: 'Price per GPU-hour in micro-USDC.' }),
    pricePerWorkMicros: z.string(),
    reliability: z.number().meta({ description: 'Share of the last 30 days the node was up (0–1).' }),
    uptime30d: z
      .array(z.object({ day: z.iso.date(), uptime: z.number().nullable() }))
      .meta({ description: 'Per-UTC-day uptime for the last 30 days; null before the node existed.' }),
    verification: z.object({
      state: z.enum(['unverified', 'verified', 'failed']),
      lastVerifiedAt: z.iso.datetime().nullable(),
      history: z.array(
        z.object({
          at: z.iso.datetime(),
          method: z.enum(['benchmark', 'canary']),
          result: z.enum(['pass', 'fail']),
          measuredScore: z.number(),
          expectedMin: z.number(),
          expectedMax: z.number(),
          detail: z.string(),
        }),
      ),
    }),
    offer: offerSchema
      .nullable()
      .meta({ description: 'What the node offers now; null when it is not listed.' }),
    market: gpuModelSummarySchema.meta({ description: 'Price band of listed offers of the same GPU model.' }),
  })
  .meta({ id: 'NodeDetail' });

export type NodeDetail = z.infer<typeof nodeDetailSchema>;
