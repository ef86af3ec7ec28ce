import { TOKEN_MICROS, type IncentiveConfig } from '@/lib/incentives/config';

/**
 * Token micro-units emitted for the epoch starting at `epochStart`: the genesis emission halved once per whole
 * halving period elapsed since genesis, in integer arithmetic (a right shift), so every process computes the
 * same amount to the micro-unit. Nothing is emitted before genesis.
 */
export function emissionForEpoch(
  config: Pick<IncentiveConfig, 'genesis' | 'halvingMs' | 'emissionPerEpochMicros'>,
  epochStart: Date,
): bigint {
  const elapsed = BigInt(epochStart.getTime()) - BigInt(config.genesis.getTime());
  if (elapsed < 0n) return 0n;
  const halvings = elapsed / BigInt(config.halvingMs);
  return config.emissionPerEpochMicros >> halvings;
}

/** The start of the epoch that contains `at`, on the grid of `epochMs` steps from genesis (never before it). */
export function epochContaining(config: Pick<IncentiveConfig, 'genesis' | 'epochMs'>, at: Date): Date {
  const genesis = config.genesis.getTime();
  const offset = Math.max(0, at.getTime() - genesis);
  return new Date(genesis + Math.floor(offset / config.epochMs) * config.epochMs);
}

/** USD value in micro-USD of `amountMicros` token micro-units at `usdPriceMicros` per whole token (floored). */
export function usdValueMicros(amountMicros: bigint, usdPriceMicros: bigint): bigint {
  return (amountMicros * usdPriceMicros) / TOKEN_MICROS;
}

export interface Weighted {
  id: string;
  weight: number;
}

/**
 * Splits `total` pro rata to the weights, exactly: each share is the floor of its exact share, and the few
 * micro-units left over (fewer than the number of shares) go one each to the largest fractional remainders
 * (ties: larger weight, then id), so shares sum to `total` and none is off its exact share by a whole unit.
 * Zero weights get zero.
 */
export function splitProRata(total: bigint, weights: readonly Weighted[]): Map<string, bigint> {
  const sum = weights.reduce((acc, w) => acc + BigInt(w.weight), 0n);
  const shares = new Map<string, bigint>();
  if (sum === 0n) {
    for (const w of weights) shares.set(w.id, 0n);
    return shares;
  }
  const parts = weights.map((w) => {
    const exact = total * BigInt(w.weight);
    return { ...w, floor: exact / sum, remainder: exact % sum };
  });
  let left = total - parts.reduce((acc, p) => acc + p.floor, 0n);
  const byRemainder = [...parts].sort(
    (a, b) =>
      (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1) ||
      b.weight - a.weight ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const part of byRemainder) {
    const extra = left > 0n ? 1n : 0n;
    left -= extra;
    shares.set(part.id, part.floor + extra);
  }
  return shares;
}
