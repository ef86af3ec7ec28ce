import { describe, expect, it } from 'vitest';
import { gpuModel } from '@/lib/market/gpu-models';
import { evaluateBenchmark, referenceBand } from '@/lib/verification/benchmark';

describe('benchmark verdict', () => {
  it('passes a node that performs like the model it claims', () => {
    const h100 = gpuModel('h100-80gb').relativeThroughput;
    expect(evaluateBenchmark('h100-80gb', h100 * 0.97, null).result).toBe('pass');
  });

  it('fails a node claiming an H100 that performs like an RTX 4090', () => {
    const rtx4090 = gpuModel('rtx-4090-24gb').relativeThroughput;
    const verdict = evaluateBenchmark('h100-80gb', rtx4090, null);
    expect(verdict.result).toBe('fail');
    expect(verdict.detail).toContain("below the H100 80GB's");
  });

  it('fails a wrong proof even at the right speed', () => {
    const a100 = gpuModel('a100-80gb').relativeThroughput;
    const verdict = evaluateBenchmark('a100-80gb', a100, 'Round 3 does not match the committed root.');
    expect(verdict).toMatchObject({
      result: 'fail',
      detail: 'Wrong proof: Round 3 does not match the committed root.',
    });
  });

  it('passes a card faster than claimed: there is no upper limit', () => {
    const { max } = referenceBand('rtx-3090-24gb');
    expect(evaluateBenchmark('rtx-3090-24gb', max * 3, null).result).toBe('pass');
  });
});
