import { z } from 'zod';
import { gpuModelSummarySchema, offerSchema, verificationMethod } from '@/lib/market/offer-schemas';

export const nodeIdParamsSchema = z.strictObject({
  id: z.uuid({ message: 'must be a node id (UUID)' }).meta({ description: 'Node id.' }),
});

/** Most verification records a node page lists; the counts cover every record. */
export const VERIFICATION_HISTORY_LIMIT = 50;

export const verificationRecordSchema = z
  .object({
    at: z.iso.datetime(),
    method: verificationMethod,
    result: z.enum(['pass', 'fail']),
    measuredScore: z.number().meta({
      description:
        'Benchmark: measured throughput relative to the A100 80GB (= 1.0). Canary: 1 when the job returned its ' +
        'known answer, 0 when it did not.',
    }),
    expectedMin: z.number().meta({ description: 'Lower end of the band the score had to reach.' }),
    expectedMax: z.number().meta({ description: 'Upper end of the band.' }),
    detail: z.string().meta({ description: 'The verdict in words, as recorded.' }),
  })
  .meta({ id: 'VerificationRecord', description: 'One check of a node’s hardware and its verdict.' });

const verdictCountsSchema = z.object({ passed: z.int(), failed: z.int() });

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
      state: z.enum(['unverified', 'verified', 'failed', 'declared']).meta({
        description:
          '`failed` once the node failed a check (it is then quarantined); never `verified` then. `declared`: ' +
          'its agent cannot run the GPU proof, so its hardware is only declared (never shown as verified).',
      }),
      lastVerifiedAt: z.iso
        .datetime()
        .nullable()
        .meta({ description: 'When the hardware last passed a check; null unless the state is `verified`.' }),
      lastVerifiedMethod: verificationMethod
        .nullable()
        .meta({ description: 'How that passing check was made; null unless the state is `verified`.' }),
      lastCheck: verificationRecordSchema
        .nullable()
        .meta({ description: 'The most recent check, passed or failed; null before the first.' }),
      counts: z
        .object({ benchmark: verdictCountsSchema, canary: verdictCountsSchema })
        .meta({ description: 'Every recorded verdict of the node, by method.' }),
      history: z.array(verificationRecordSchema).meta({
        description: `Benchmarks and canary jobs, newest first (at most ${VERIFICATION_HISTORY_LIMIT}).`,
      }),
    }),
    quarantine: z
      .object({
        at: z.iso.datetime().meta({ description: 'When the node was quarantined.' }),
        reason: z.string(),
      })
      .nullable()
      .meta({
        description:
          'Set while the node is quarantined after failing verification: it is hidden from the market and ' +
          'takes no jobs. Null otherwise.',
      }),
    offer: offerSchema
      .nullable()
      .meta({ description: 'What the node offers now; null when it is not listed.' }),
    market: gpuModelSummarySchema.meta({ description: 'Price band of listed offers of the same GPU model.' }),
  })
  .meta({ id: 'NodeDetail' });

export type NodeDetail = z.infer<typeof nodeDetailSchema>;
