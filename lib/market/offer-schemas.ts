import { z } from 'zod';
import { CUDA_VERSION_PATTERN } from '@/lib/market/cuda';
import { GPU_MODEL_IDS } from '@/lib/market/gpu-models';
import { REGION_IDS } from '@/lib/market/regions';
import { OFFER_PAGE_SIZE, OFFER_SORTS } from '@/lib/market/offer-sorts';
import { VERIFICATION_METHODS, VERIFIED_WITHIN } from '@/lib/market/verification-recency';

export { DEFAULT_ORDER, OFFER_PAGE_SIZE, OFFER_SORTS, type OfferSort } from '@/lib/market/offer-sorts';

const gpuModelId = z.enum(GPU_MODEL_IDS).meta({ id: 'GpuModelId', description: 'GPU model identifier.' });
const regionId = z.enum(REGION_IDS).meta({ id: 'RegionId', description: 'Region identifier.' });
export const verificationMethod = z
  .enum(VERIFICATION_METHODS)
  .meta({ id: 'VerificationMethod', description: 'How hardware was checked.' });

/**
 * Query of `GET /api/v1/offers`. List parameters accept repeated keys or comma-separated values
 * (`gpu=h100-80gb,a100-80gb`). Unknown parameters are rejected.
 */
export const offerSearchQuerySchema = z.strictObject({
  gpu: z
    .array(gpuModelId)
    .max(GPU_MODEL_IDS.length)
    .optional()
    .meta({ description: 'Only these GPU models.' }),
  minGpus: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'At least this many free GPUs on the node.' }),
  minVram: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: 'At least this much VRAM per GPU, in GB.' }),
  region: z.array(regionId).max(REGION_IDS.length).optional().meta({ description: 'Only these regions.' }),
  maxPrice: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be a decimal USDC amount such as 2.5')
    .optional()
    .meta({ description: 'At most this price per GPU-hour, in USDC (decimal).', example: '2.5' }),
  minReliability: z.coerce
    .number()
    .min(0)
    .max(100)
    .optional()
    .meta({ description: 'At least this 30-day uptime, in percent.', example: 99 }),
  verified: z
    .enum(['true', 'false'])
    .optional()
    .meta({
      description:
        '`true`: only nodes whose hardware is verified; `false`: only unverified nodes, declared ones included. ' +
        'Unset: verified and not-yet-verified nodes, without declared ones (their agent cannot run the GPU proof).',
    }),
  verifiedWithin: z
    .enum(VERIFIED_WITHIN)
    .optional()
    .meta({
      description:
        'Only verified nodes whose hardware last passed a check (benchmark or canary job) within this window of ' +
        'now (`verifiedAt` no older than 24 hours, 7 days or 30 days).',
    }),
  interconnect: z.enum(['nvlink', 'pcie']).optional().meta({ description: 'GPU interconnect.' }),
  minBandwidth: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .meta({ description: 'At least this network bandwidth, in Mbit/s.' }),
  minCpuCores: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: 'At least this many CPU cores on the host.' }),
  minRam: z.coerce
    .number()
    .int()
    .min(1)
    .max(65_536)
    .optional()
    .meta({ description: 'At least this much host RAM, in GB.' }),
  minDisk: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .meta({ description: 'At least this much free disk on the host, in GB.' }),
  minCuda: z.string().regex(CUDA_VERSION_PATTERN, 'must be a CUDA version such as 12.4').optional().meta({
    description: 'At least this CUDA version on the host’s driver (`major.minor`).',
    example: '12.4',
  }),
  sort: z.enum(OFFER_SORTS).default('price').meta({ description: 'Sort key.' }),
  order: z
    .enum(['asc', 'desc'])
    .optional()
    .meta({ description: 'Sort direction; defaults to the natural one (cheapest or most reliable first).' }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .meta({ description: 'Opaque cursor from `nextCursor` of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(OFFER_PAGE_SIZE).meta({ description: 'Page size.' }),
});

export type OfferSearchQuery = z.infer<typeof offerSearchQuerySchema>;
export type OfferSearchInput = z.input<typeof offerSearchQuerySchema>;

export const offerSchema = z
  .object({
    nodeId: z.uuid(),
    gpuModel: gpuModelId,
    gpuName: z.string(),
    gpuCount: z.int(),
    freeGpus: z.int(),
    vramGb: z.int(),
    region: regionId,
    regionName: z.string(),
    interconnect: z.enum(['nvlink', 'pcie']),
    bandwidthMbps: z.int(),
    cpuCores: z.int().meta({ description: 'CPU cores on the host.' }),
    ramGb: z.int().meta({ description: 'Host RAM, in GB.' }),
    diskGb: z.int().meta({ description: 'Free disk on the host for job data, in GB.' }),
    cudaVersion: z.string().meta({ description: 'CUDA version of the host’s driver.', example: '12.4' }),
    priceMicros: z.string().meta({ description: 'Price per GPU-hour in micro-USDC (integer string).' }),
    pricePerWorkMicros: z.string().meta({
      description:
        'Price per reference GPU-hour of work (A100 80GB = 1.0) in micro-USDC: price ÷ relative throughput of the model.',
    }),
    reliability: z.number().meta({ description: 'Share of the last 30 days the node was up (0–1).' }),
    jobSuccessRate: z
      .number()
      .nullable()
      .meta({
        description:
          'Of the customer jobs placed on this node that ended there in the last 30 days, the share that ' +
          'completed rather than being lost with the host (0–1); a workload’s own failure, a cancellation or a ' +
          'spent budget does not count either way. Null before any.',
      }),
    jobsFinished: z.int().meta({ description: 'Those jobs: completed or lost with the host, last 30 days.' }),
    verified: z.boolean(),
    verifiedAt: z.iso.datetime().nullable().meta({
      description: 'When the hardware last passed a check (benchmark or canary job); null when unverified.',
    }),
    verificationMethod: verificationMethod.nullable().meta({
      description:
        'How the check at `verifiedAt` was made: `benchmark` (the timed GPU proof: matrix products from a server ' +
        'seed, spot-checked, within the claimed GPU model’s time bound) or `canary` (a job with a known answer, mixed into the node’s ' +
        'work); null when unverified.',
    }),
    declared: z.boolean().meta({
      description:
        'The node’s agent cannot run the GPU proof: its hardware is only declared, never verified. Listed only ' +
        'with `verified=false`; the scheduler gives it only jobs pinned to it (`nodeId`).',
    }),
  })
  .meta({ id: 'Offer', description: 'GPUs a node can rent now.' });

export type OfferDto = z.infer<typeof offerSchema>;

export const offerPageSchema = z
  .object({
    data: z.array(offerSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Cursor for the next page; null on the last page.' }),
  })
  .meta({ id: 'OfferPage' });

export type OfferPage = z.infer<typeof offerPageSchema>;

export const gpuModelSummarySchema = z
  .object({
    gpuModel: gpuModelId,
    gpuName: z.string(),
    vramGb: z.int(),
    relativeThroughput: z.number(),
    nodesListed: z.int(),
    gpusAvailable: z.int().meta({ description: 'Free GPUs across listed offers.' }),
    p10PriceMicros: z.string().nullable(),
    medianPriceMicros: z.string().nullable(),
    p90PriceMicros: z.string().nullable(),
  })
  .meta({ id: 'GpuModelSummary' });

export const offerSummarySchema = z
  .object({
    generatedAt: z.iso.datetime(),
    simulated: z.boolean().meta({ description: 'True when the network is the simulated demo network.' }),
    nodesOnline: z.int(),
    gpusOnline: z.int(),
    verifiedGpusOnline: z.int(),
    gpusAvailable: z.int(),
    models: z.array(gpuModelSummarySchema),
  })
  .meta({ id: 'OfferSummary', description: 'Supply available now, with price percentiles per GPU model.' });

export type OfferSummary = z.infer<typeof offerSummarySchema>;
export type GpuModelSummary = z.infer<typeof gpuModelSummarySchema>;
