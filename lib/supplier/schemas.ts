import { z } from 'zod';
import {
  calendarDaySchema,
  isoDateSchema,
  microsSchema,
  pageSchema,
  positiveMicrosSchema,
} from '@/lib/api/common-schemas';
import { NODE_STATUSES, VERIFICATION_METHODS, VERIFICATION_RESULTS, VERIFICATION_STATES } from '@/lib/enums';

/** Network-token amounts: a separate currency, never added to USDC. */
export const tokenMicrosSchema = z
  .string()
  .regex(/^-?\d{1,20}$/, 'must be an integer amount of token micro-units')
  .meta({
    id: 'TokenMicros',
    description:
      'Amount of the network incentive token in micro-units (1 token = 1,000,000), as an integer string.',
  });

/** A USD value: incentives at the reference price of their emission, USDC at par. */
export const usdMicrosSchema = z
  .string()
  .regex(/^-?\d{1,20}$/, 'must be an integer amount of micro-USD')
  .meta({
    id: 'UsdMicros',
    description:
      'A value in micro-USD (1 USD = 1,000,000), as an integer string. USDC counts at par; incentive tokens at ' +
      'the USD reference price recorded when they were emitted.',
  });

const basisPoints = z.int().min(0).max(10_000);

/** Paid work and incentives side by side, and what they were worth together in USD. */
const amountsShape = {
  paidMicros: microsSchema.meta({
    description: 'Your share of paid customer work, in micro-USDC (after the platform fee).',
  }),
  incentiveMicros: tokenMicrosSchema,
  incentiveUsdMicros: usdMicrosSchema.meta({ description: 'The incentives’ USD value at emission.' }),
  totalUsdMicros: usdMicrosSchema.meta({ description: 'paid + incentives at their USD value at emission.' }),
};

export const earningsAmountsSchema = z.object(amountsShape).meta({ id: 'EarningsAmounts' });

export type EarningsAmounts = z.infer<typeof earningsAmountsSchema>;

export const marketBandSchema = z
  .object({
    p10PriceMicros: microsSchema.nullable(),
    medianPriceMicros: microsSchema.nullable(),
    p90PriceMicros: microsSchema.nullable(),
    offers: z.int().meta({ description: 'Listed offers of the model the percentiles are taken over.' }),
  })
  .meta({
    id: 'MarketBand',
    description:
      'P10 / median / P90 price per GPU-hour of listed offers of the same GPU model (`percentile_disc`: real ' +
      'listed prices); null when none is listed.',
  });

export const supplierNodeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(NODE_STATUSES),
    statusSince: isoDateSchema,
    region: z.string(),
    regionName: z.string(),
    gpuModel: z.string(),
    gpuName: z.string(),
    gpuCount: z.int(),
    vramGb: z.int(),
    priceMicros: microsSchema.meta({ description: 'Your price per GPU-hour, micro-USDC.' }),
    verification: z.object({
      state: z.enum(VERIFICATION_STATES),
      lastVerifiedAt: isoDateSchema
        .nullable()
        .meta({ description: 'The last passed check, while the node is verified.' }),
      method: z
        .enum(VERIFICATION_METHODS)
        .nullable()
        .meta({ description: 'How the check at `lastVerifiedAt` was made.' }),
      quarantinedAt: isoDateSchema
        .nullable()
        .meta({ description: 'Quarantined nodes earn no incentives and their earnings are held.' }),
      quarantineReason: z.string().nullable(),
      lastCheck: z
        .object({
          at: isoDateSchema,
          method: z.enum(VERIFICATION_METHODS),
          result: z.enum(VERIFICATION_RESULTS),
          detail: z.string(),
        })
        .nullable()
        .meta({ description: 'The most recent check, passed or failed; null before any.' }),
      benchmark: z
        .object({
          state: z.enum(['pending', 'sent', 'committed']),
          since: isoDateSchema,
          referenceMs: z.int(),
        })
        .nullable()
        .meta({
          description:
            'The benchmark challenge open now (pending: waiting for the next heartbeat; sent: running since `since`); null when none. The node is off the market meanwhile.',
        }),
    }),
    agent: z
      .object({
        version: z
          .string()
          .nullable()
          .meta({ description: 'The version its agent last reported; null: never.' }),
        minimumVersion: z
          .string()
          .nullable()
          .meta({ description: 'The oldest agent the marketplace accepts; null: any.' }),
        updateNeeded: z.boolean().meta({
          description: 'The agent is older than the minimum: it is refused (426) until updated.',
        }),
      })
      .meta({ description: 'The node agent it runs.' }),
    uptime30dBp: basisPoints.meta({
      description: 'Share of the observed last 30 days the node was online or busy, basis points.',
    }),
    uptimeDaily: z
      .array(z.object({ day: z.iso.date(), uptimeBp: basisPoints.nullable() }))
      .meta({ description: 'Per-UTC-day uptime for the last 30 days, oldest first; null when unobserved.' }),
    utilization30dBp: basisPoints.meta({
      description: 'GPU-time leased to customer jobs ÷ online GPU-time over the last 30 days, basis points.',
    }),
    market: marketBandSchema,
    estimatedMonthlyEarningsMicros: microsSchema.meta({
      description:
        'price × GPUs × 730 h × utilization × (1 − take rate), micro-USDC: paid work at the observed ' +
        'utilization, incentives not included.',
    }),
    earnings: z
      .object({ today: earningsAmountsSchema, last30d: earningsAmountsSchema })
      .meta({ description: 'Today (UTC) and the 30 UTC days ending today.' }),
  })
  .meta({ id: 'SupplierNode', description: 'One of your nodes, as the supplier console shows it.' });

export type SupplierNodeView = z.infer<typeof supplierNodeSchema>;

export const supplierNodePageSchema = pageSchema(supplierNodeSchema, 'SupplierNodePage');

/** The highest price a node may ask: 1,000 USDC per GPU-hour, far above any real GPU. */
export const MAX_PRICE_PER_GPU_HOUR_MICROS = 1_000_000_000n;

/**
 * A node's price per GPU-hour in micro-USDC: above zero, at most 1,000 USDC. One rule for the agent's
 * registration, a price change and the supplier's forms.
 */
export const nodePriceMicrosSchema = positiveMicrosSchema.refine(
  (value) => /^\d+$/.test(value) && BigInt(value) <= MAX_PRICE_PER_GPU_HOUR_MICROS,
  'must be at most 1,000 USDC per GPU-hour (1000000000 micro-USDC)',
);

export const updateNodePriceSchema = z
  .strictObject({
    pricePerGpuHourMicros: nodePriceMicrosSchema.meta({
      description: 'New price per GPU-hour, micro-USDC (at most 1,000 USDC).',
      example: '450000',
    }),
  })
  .meta({ id: 'UpdateNodePrice' });

export const dayRangeQuerySchema = z.strictObject({
  from: calendarDaySchema
    .optional()
    .meta({ description: 'First UTC day (YYYY-MM-DD), inclusive; defaults to 29 days before `to`.' }),
  to: calendarDaySchema
    .optional()
    .meta({ description: 'Last UTC day, inclusive; defaults to today. At most 366 days in all.' }),
});

export type DayRangeQuery = z.infer<typeof dayRangeQuerySchema>;

const nodeAmountsSchema = z
  .object({
    nodeId: z.uuid().nullable().meta({ description: 'Null for paid work not attributable to a node.' }),
    nodeName: z.string().nullable(),
    ...amountsShape,
  })
  .meta({ id: 'NodeEarnings' });

export const supplierEarningsSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    totals: earningsAmountsSchema,
    days: z
      .array(
        z.object({
          day: z.iso.date(),
          ...amountsShape,
          nodes: z.array(nodeAmountsSchema).meta({ description: 'The nodes that earned that day.' }),
        }),
      )
      .meta({ description: 'Every UTC day of the range, oldest first (zero days included).' }),
    nodes: z.array(nodeAmountsSchema).meta({ description: 'Per node over the whole range.' }),
    balances: z
      .object({
        payableMicros: microsSchema.meta({ description: 'Earned USDC you can withdraw now.' }),
        payoutPendingMicros: microsSchema.meta({ description: 'USDC on its way to your wallet.' }),
        heldMicros: microsSchema.meta({
          description: 'Earnings of quarantined nodes, held: never paid out.',
        }),
        incentivesMicros: tokenMicrosSchema,
      })
      .meta({ description: 'Balances now, whatever the range.' }),
  })
  .meta({
    id: 'SupplierEarnings',
    description: 'Paid work (USDC) and incentives, per UTC day and per node.',
  });

export type SupplierEarnings = z.infer<typeof supplierEarningsSchema>;
export type NodeEarnings = z.infer<typeof nodeAmountsSchema>;
