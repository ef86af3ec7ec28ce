import { z } from 'zod';
import { calendarDaySchema, microsSchema } from '@/lib/api/common-schemas';
import { GRANULARITIES, METRIC_IDS } from '@/lib/metrics/definitions';

export const metricIdSchema = z.enum(METRIC_IDS).meta({ id: 'MetricId' });
export const granularitySchema = z.enum(GRANULARITIES).meta({
  id: 'Granularity',
  description: 'UTC days, weeks starting on Monday, or calendar months.',
});

export const metricQuerySchema = z.strictObject({
  from: calendarDaySchema.optional().meta({
    description:
      'First day of the range (inclusive). Default: the first day of the month of the network’s first record when its records span at most 13 calendar months to `to`; otherwise the first day of the month 11 months before `to`.',
  }),
  to: calendarDaySchema
    .optional()
    .meta({ description: 'Last day of the range (inclusive). Default: today (UTC).' }),
  granularity: granularitySchema.optional().meta({
    description: 'Period of each row. Default: month. Customer metrics accept month only.',
  }),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'json (default) or csv. `Accept: text/csv` also selects CSV.' }),
});

export type MetricQuery = z.infer<typeof metricQuerySchema>;

export const metricParamsSchema = z.strictObject({ metric: metricIdSchema });

const columnSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(['date', 'text', 'count', 'integer', 'micros', 'number', 'ratio', 'boolean']),
    unit: z.string().optional(),
  })
  .meta({ id: 'MetricColumn' });

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const historyStatusSchema = z
  .object({
    state: z.enum(['generating', 'complete', 'failed']),
    /** Share of the simulated span generated, 0–1. */
    progress: z.number().min(0).max(1),
    fromAt: z.iso.datetime({ offset: true }),
    toAt: z.iso.datetime({ offset: true }),
    generatedThrough: z.iso.datetime({ offset: true }),
    jobs: z.int(),
    customers: z.int(),
    /** When generation started (after the network was seeded) and when it completed; null until then. */
    startedAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({
    id: 'DemoHistoryStatus',
    description:
      'The simulated network’s generated history: its span, how far generation has got, and what it made so far.',
  });

export type HistoryStatus = z.infer<typeof historyStatusSchema>;

export const historyStatusResponseSchema = z
  .object({ history: historyStatusSchema.nullable() })
  .meta({ id: 'DemoHistoryStatusResponse' });

const metricInfoSchema = z
  .object({
    id: metricIdSchema,
    title: z.string(),
    summary: z.string(),
    methodology: z.string(),
    granularities: z.array(granularitySchema),
  })
  .meta({ id: 'MetricInfo' });

export const recencyBucketSchema = z
  .object({
    recency: z.enum(['24h', '7d', '30d', 'older']),
    nodes: z.int(),
    gpus: z.int(),
  })
  .meta({ id: 'VerifiedRecencyBucket' });

export const metricSeriesSchema = z
  .object({
    metric: metricInfoSchema,
    from: z.string(),
    to: z.string(),
    granularity: granularitySchema,
    simulated: z.boolean().meta({ description: 'True when the data comes from the simulated demo network.' }),
    refreshedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .meta({ description: 'Raw records up to this instant are reflected; null before the first refresh.' }),
    columns: z.array(columnSchema),
    rows: z.array(z.record(z.string(), cellSchema)),
    cut: z.string().nullable().meta({
      description:
        'When the default range leaves out older records: the sentence saying so (the range starts after the network’s first record); null otherwise.',
    }),
    /** verified-gpus-online only: the network right now, by recency of the latest passed check. */
    snapshot: z.array(recencyBucketSchema).optional(),
  })
  .meta({ id: 'MetricSeries' });

export type MetricSeries = z.infer<typeof metricSeriesSchema>;
export type MetricRow = MetricSeries['rows'][number];

export const metricsHeadlineSchema = z
  .object({
    /** Trailing 30 UTC days, today included. */
    windowFrom: z.string(),
    windowTo: z.string(),
    paidGpuHours: z.number(),
    paidDemandMicros: microsSchema,
    incentiveUsdMicros: microsSchema,
    subsidyRatio: z.number().nullable(),
    feeMicros: microsSchema.meta({ description: 'Platform fees (USDC) of the window.' }),
    incentivesToFees: z.number().nullable().meta({
      description:
        'Incentives (USD at emission) ÷ platform fees; above 1 the network spends more on incentives than it earns in fees.',
    }),
    marginMicros: microsSchema.meta({
      description: 'Platform fees − incentives (USD); negative when incentives exceed fees.',
    }),
    takeRate: z.number().nullable(),
    jobsEnded: z.int(),
    jobSuccessRate: z
      .number()
      .nullable()
      .meta({ description: '(succeeded + host failure recovered) ÷ ended.' }),
    timeToScheduleP50Seconds: z.int().nullable(),
    selfDealtGpuHours: z
      .number()
      .meta({ description: 'Self-dealt GPU-hours of the window, left out of the figures above.' }),
    selfDealtChargedMicros: microsSchema.meta({
      description: 'Self-dealt charges of the window, left out of paid demand.',
    }),
    selfDealtJobs: z
      .int()
      .meta({ description: 'Self-dealt customer jobs ended in the window, left out of the success rate.' }),
    /** The latest complete month. */
    month: z.string(),
    recordsFrom: z.string().nullable().meta({ description: 'First UTC day with records; null before any.' }),
    payingCustomers: z.int(),
    netRevenueRetention12m: z.number().nullable().meta({
      description:
        '12-month NRR of the latest complete month M: charges over M−11…M of the customers who paid over M−23…M−12 ÷ their charges then; null with under 24 months of records.',
    }),
    nrr12BaseMicros: microsSchema.nullable(),
    nrr12RetainedMicros: microsSchema.nullable(),
    netRevenueRetentionYearAgo: z.number().nullable().meta({
      description:
        'Same month a year later: charges in M of the customers who paid in M−12 ÷ their charges in M−12; null unless month M−12 is wholly on record.',
    }),
    yearAgoBaseMicros: microsSchema.nullable(),
    yearAgoRetainedMicros: microsSchema.nullable(),
    netRevenueRetention: z.number().nullable().meta({
      description: 'Month over month: charges in M of the customers who paid in M−1 ÷ their charges in M−1.',
    }),
    verifiedGpusOnline: z.int(),
  })
  .meta({ id: 'MetricsHeadline' });

export type MetricsHeadline = z.infer<typeof metricsHeadlineSchema>;

export const tokenPriceSchema = z
  .object({
    usdPriceMicros: microsSchema.meta({ description: 'USD per whole network token, in micro-USD.' }),
    source: z.literal('configured').meta({
      description:
        'The reference price is configured (INCENTIVE_USD_PRICE), not a market price; each emission records the price in force.',
    }),
  })
  .meta({ id: 'TokenReferencePrice' });

export const dataExtentSchema = z
  .object({
    firstDay: z.string().nullable().meta({ description: 'First UTC day with records; null before any.' }),
    lastDay: z
      .string()
      .nullable()
      .meta({ description: 'Last UTC day the rollups reflect; null before any.' }),
    notGenerated: z.object({ from: z.string(), to: z.string() }).nullable().meta({
      description:
        'Days of the demo history not generated yet (from inclusive, to exclusive); null when none.',
    }),
  })
  .meta({ id: 'MetricsDataExtent' });

export type DataExtent = z.infer<typeof dataExtentSchema>;

export const metricsSummarySchema = z
  .object({
    simulated: z.boolean(),
    refreshedAt: z.iso.datetime({ offset: true }).nullable(),
    history: historyStatusSchema.nullable(),
    extent: dataExtentSchema,
    tokenPrice: tokenPriceSchema,
    /** The rules every metric follows (self-dealing, simulated, missing periods). */
    rules: z.string(),
    headline: metricsHeadlineSchema,
    metrics: z.array(metricInfoSchema),
  })
  .meta({ id: 'MetricsSummary' });

export type MetricsSummary = z.infer<typeof metricsSummarySchema>;

export const exportDayParamsSchema = z.strictObject({
  day: calendarDaySchema.meta({ description: 'The UTC day of the export (YYYY-MM-DD).' }),
});

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const exportManifestEntrySchema = z
  .object({
    day: z.string().meta({ description: 'The UTC day (YYYY-MM-DD) whose records the file holds.' }),
    sha256: hashSchema.meta({ description: 'sha256 of the file’s bytes, hex.' }),
    previousChainHash: hashSchema.meta({
      description: 'The previous day’s chain hash (64 zeros for the first day).',
    }),
    chainHash: hashSchema.meta({
      description: 'sha256 of the 32 bytes of previousChainHash followed by the 32 bytes of sha256, hex.',
    }),
    signer: z.string().meta({ description: 'The marketplace key’s address (GET /api/v1/receipts/signer).' }),
    signature: z.string().meta({
      description:
        'EIP-191 signature (personal_sign) of the lines “Backfill metrics export”, “day: …”, “sha256: …”, ' +
        '“previous: …”, “chain: …”, joined by newlines.',
    }),
    rowCounts: z.record(z.string(), z.int()).meta({ description: 'Rows per section of the file.' }),
    url: z.string().meta({ description: 'Where the file is served.' }),
  })
  .meta({ id: 'MetricsExportEntry' });

export const exportManifestSchema = z
  .object({
    format: z.string().meta({ description: 'The files’ format (`backfill-metrics-export/3`).' }),
    signer: z.string().meta({ description: 'The marketplace key’s address.' }),
    simulated: z.boolean().meta({
      description:
        'Whether this marketplace is the simulated demo network: the `simulated` column of every published metric row. A setting of the deployment, not a fact of the rows, so it is stated here rather than in the files.',
    }),
    days: z.array(exportManifestEntrySchema),
  })
  .meta({ id: 'MetricsExportManifest' });

export type ExportManifest = z.infer<typeof exportManifestSchema>;
