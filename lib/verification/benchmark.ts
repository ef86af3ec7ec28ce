import { gpuModel } from '@/lib/market/gpu-models';

/**
 * Benchmark verdicts. A node runs a known-answer matrix workload; its measured throughput (relative to the
 * A100 80GB = 1.0) must fall within the reference band of the GPU model it claims. A node claiming an H100
 * that performs like an RTX 4090 falls far below the band and fails.
 */
export const BENCHMARK_BAND = { below: 0.15, above: 0.2 } as const;

export interface BenchmarkVerdict {
  result: 'pass' | 'fail';
  expectedMin: number;
  expectedMax: number;
  detail: string;
}

export function referenceBand(modelId: string): { min: number; max: number } {
  const reference = gpuModel(modelId).relativeThroughput;
  return {
    min: Math.round(reference * (1 - BENCHMARK_BAND.below) * 1000) / 1000,
    max: Math.round(reference * (1 + BENCHMARK_BAND.above) * 1000) / 1000,
  };
}

export function evaluateBenchmark(
  claimedModelId: string,
  measuredScore: number,
  answerCorrect: boolean,
): BenchmarkVerdict {
  const { min, max } = referenceBand(claimedModelId);
  const name = gpuModel(claimedModelId).name;
  if (!answerCorrect) {
    return {
      result: 'fail',
      expectedMin: min,
      expectedMax: max,
      detail: 'Known-answer check returned a wrong result.',
    };
  }
  if (measuredScore < min || measuredScore > max) {
    return {
      result: 'fail',
      expectedMin: min,
      expectedMax: max,
      detail: `Measured ${measuredScore.toFixed(3)}× A100, outside the ${name} band ${min}–${max}.`,
    };
  }
  return {
    result: 'pass',
    expectedMin: min,
    expectedMax: max,
    detail: `Measured ${measuredScore.toFixed(3)}× A100, within the ${name} band ${min}–${max}.`,
  };
}
