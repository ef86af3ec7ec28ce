import { gpuModel } from '@/lib/market/gpu-models';
import { PROOF_SLACK } from '@/lib/verification/gpu-proof-bound';

/**
 * Benchmark verdicts. A node proves its GPU with the GPU proof (lib/verification/gpu-proof.ts); its measured
 * throughput (relative to the A100 80GB = 1.0) is the claimed model's × expected time ÷ measured time, and must
 * reach the claimed model's reference less the slack (15 %). There is no upper limit: a card faster than the one
 * claimed does not hurt the customer. A node claiming an H100 that performs like an RTX 4090 falls far below.
 */
export const BENCHMARK_BAND = { below: PROOF_SLACK } as const;

export interface BenchmarkVerdict {
  result: 'pass' | 'fail';
  /** The least measured throughput that passes. */
  expectedMin: number;
  /** The claimed model's reference throughput (recorded for comparison; not a limit). */
  expectedMax: number;
  detail: string;
}

export function referenceBand(modelId: string): { min: number; max: number } {
  const reference = gpuModel(modelId).relativeThroughput;
  return { min: Math.round(reference * (1 - BENCHMARK_BAND.below) * 1000) / 1000, max: reference };
}

/** `wrongAnswer`: why the answer's check failed (null: it held). */
export function evaluateBenchmark(
  claimedModelId: string,
  measuredScore: number,
  wrongAnswer: string | null,
): BenchmarkVerdict {
  const { min, max } = referenceBand(claimedModelId);
  const name = gpuModel(claimedModelId).name;
  if (wrongAnswer !== null)
    return { result: 'fail', expectedMin: min, expectedMax: max, detail: `Wrong proof: ${wrongAnswer}` };
  if (measuredScore < min)
    return {
      result: 'fail',
      expectedMin: min,
      expectedMax: max,
      detail: `Measured ${measuredScore.toFixed(3)}× A100, below the ${name}'s ${min} (reference ${max}).`,
    };
  return {
    result: 'pass',
    expectedMin: min,
    expectedMax: max,
    detail: `Measured ${measuredScore.toFixed(3)}× A100, at least the ${name}'s ${min} (reference ${max}).`,
  };
}
