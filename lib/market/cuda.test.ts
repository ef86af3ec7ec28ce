import { describe, expect, it } from 'vitest';
import { cudaRank } from '@/lib/market/cuda';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';

describe('cudaRank', () => {
  it('orders versions numerically, not as text', () => {
    const versions = ['11.8', '12.10', '12.4', '13.0', '12.9'];
    expect([...versions].sort((a, b) => cudaRank(a) - cudaRank(b))).toEqual([
      '11.8',
      '12.4',
      '12.9',
      '12.10',
      '13.0',
    ]);
    expect(cudaRank('12.4')).toBe(1204);
  });

  it('ranks text that is not major.minor below every version', () => {
    for (const text of ['', 'twelve', '12', '12.4.1', '123.4']) expect(cudaRank(text)).toBe(0);
  });

  it('is the rule the search filter accepts', () => {
    expect(offerSearchQuerySchema.parse({ minCuda: '12.8' }).minCuda).toBe('12.8');
    for (const minCuda of ['12', 'twelve', '12.4.1', '1204']) {
      expect(offerSearchQuerySchema.safeParse({ minCuda }).success).toBe(false);
    }
  });
});
