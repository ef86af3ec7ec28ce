import { describe, expect, it } from 'vitest';
import { priceChanges } from '@/components/jobs/cost-card';
import type { JobDetailView } from '@/lib/jobs/schemas';

type Attempt = JobDetailView['attempts'][number];
const attempt = (number: number, nodeName: string, price: string, endReason: string | null = null): Attempt =>
  ({ number, nodeName, pricePerGpuHourMicros: price, endReason }) as Attempt;

describe('priceChanges', () => {
  it('says when a failover moved the job to a node at another price, and not otherwise', () => {
    expect(priceChanges([attempt(1, 'a', '2250000')])).toEqual([]);
    expect(priceChanges([attempt(1, 'a', '2250000', 'host lost'), attempt(2, 'b', '2250000')])).toEqual([]);
    expect(
      priceChanges([
        attempt(1, 'a', '2000000', 'host lost'),
        attempt(2, 'b', '2500000', 'host lost'),
        attempt(3, 'c', '1900000'),
      ]),
    ).toEqual([
      'Attempt 2 runs on b at $2.50/GPU-hr, more than the $2.00/GPU-hr of attempt 1 on a (host lost). ' +
        'Each attempt is charged at its own node’s price; the budget cap still holds.',
      'Attempt 3 runs on c at $1.90/GPU-hr, less than the $2.50/GPU-hr of attempt 2 on b (host lost). ' +
        'Each attempt is charged at its own node’s price; the budget cap still holds.',
    ]);
  });
});
