import { MS_PER_DAY } from '@/lib/clock';
import { serverEnv, type ServerEnv } from '@/lib/env';
import { parseUsdcToMicros } from '@/lib/money';

/** Network tokens are counted in micro-units, like USDC: 1 token = 1,000,000 micro-units. */
export const TOKEN_MICROS = 1_000_000n;

/** The emission schedule and its USD reference price; tests pass their own, the app reads the environment. */
export interface IncentiveConfig {
  /** Length of one epoch; it divides a day, so each epoch belongs to exactly one UTC day. */
  epochMs: number;
  /** Token micro-units emitted per epoch at genesis. */
  emissionPerEpochMicros: bigint;
  /** The emission halves every this long after genesis. */
  halvingMs: number;
  /** Start of the schedule: epochs are aligned to it and none starts before it. */
  genesis: Date;
  /** USD per whole token in micro-USD, recorded with each emission (what the rewards were worth then). */
  usdPriceMicros: bigint;
  /** Epochs closed per call at most, so a long catch-up is spread over several calls. */
  maxEpochsPerRun: number;
  /**
   * How far back the first close reaches: rewards start this long before the marketplace first closed an
   * epoch (never before genesis or the earliest node), not at the start of all recorded history.
   */
  backfillMs: number;
}

export const DEFAULT_INCENTIVES: IncentiveConfig = {
  epochMs: 3_600_000,
  emissionPerEpochMicros: 1_000n * TOKEN_MICROS,
  halvingMs: 365 * MS_PER_DAY,
  genesis: new Date('2026-01-01T00:00:00Z'),
  usdPriceMicros: 50_000n,
  maxEpochsPerRun: 48,
  backfillMs: MS_PER_DAY,
};

/** The schedule configured by the INCENTIVE_* variables (see docs/supplier.md). */
export function incentiveConfig(env: ServerEnv = serverEnv()): IncentiveConfig {
  const price = parseUsdcToMicros(env.INCENTIVE_USD_PRICE);
  if (price === null) throw new Error(`Invalid INCENTIVE_USD_PRICE: ${env.INCENTIVE_USD_PRICE}`);
  return {
    epochMs: env.INCENTIVE_EPOCH_MS,
    emissionPerEpochMicros: BigInt(env.INCENTIVE_EMISSION_PER_EPOCH) * TOKEN_MICROS,
    halvingMs: env.INCENTIVE_HALVING_DAYS * MS_PER_DAY,
    genesis: new Date(env.INCENTIVE_GENESIS),
    usdPriceMicros: price,
    maxEpochsPerRun: DEFAULT_INCENTIVES.maxEpochsPerRun,
    backfillMs: DEFAULT_INCENTIVES.backfillMs,
  };
}
