import { describe, expect, it } from 'vitest';
import { gpuModel } from '@/lib/market/gpu-models';
import { evaluateBenchmark, referenceBand } from '@/lib/verification/benchmark';

describe('benchmark verdict', () => {
  it('passes a node that performs like the model it claims', () => {
    const h100 = gpuModel('h100-80gb').relativeThroughput;
    expect(evaluateBenchmark('h100-80gb', h100 * 0.97, true).result).toBe('pass');
  });

  it('fails a node claiming an H100 that performs like an RTX 4090', () => {
    const rtx4090 = gpuModel('rtx-4090-24gb').relativeThroughput;
    const verdict = evaluateBenchmark('h100-80gb', rtx4090, true);
    expect(verdict.result).toBe('fail');
    expect(verdict.detail).toContain('outside the H100 80GB band');
  });

  it('fails a wrong known answer even at the right speed', () => {
    const a100 = gpuModel('a100-80gb').relativeThroughput;
    expect(evaluateBenchmark('a100-80gb', a100, false).result).toBe('fail');
  });

  it('fails implausibly fast results too', () => {
    const { max } = referenceBand('rtx-3090-24gb');
    expect(evaluateBenchmark('rtx-3090-24gb', max * 1.5, true).result).toBe('fail');
  });
});
