import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/api/errors';
import type { DatabaseHandle } from '@/lib/db/client';
import type { NewOffer } from '@/lib/db/schema';
import { generateDemoNetwork } from '@/lib/fleet/demo-network';
import { seedDemoNetwork } from '@/lib/fleet/seed-demo-network';
import { encodeOfferCursor } from '@/lib/market/offer-cursor';
import {
  DEFAULT_ORDER,
  OFFER_SORTS,
  offerSearchQuerySchema,
  type OfferDto,
  type OfferSearchInput,
  type OfferSort,
} from '@/lib/market/offer-schemas';
import { searchOffers } from '@/lib/market/search-offers';
import { parseUsdcToMicros } from '@/lib/money';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 7, nodeCount: 400, now: new Date('2026-11-20T12:00:00Z') };
const expected = generateDemoNetwork(NETWORK).offers;

function sortKey(offer: NewOffer, sort: OfferSort): bigint {
  switch (sort) {
    case 'price':
      return offer.priceMicros;
    case 'price_per_work':
      return offer.pricePerWorkMicros;
    case 'reliability':
      return BigInt(offer.reliabilityBp);
    case 'vram':
      return BigInt(offer.vramGb);
    case 'free_gpus':
      return BigInt(offer.freeGpus);
  }
}

/** The reference answer, computed in plain TypeScript over the generated offers. */
function referenceOrder(rows: readonly NewOffer[], sort: OfferSort, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const ka = sortKey(a, sort);
      const kb = sortKey(b, sort);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0) * sign;
    })
    .map((o) => o.nodeId);
}

async function collectAll(handle: DatabaseHandle, input: OfferSearchInput): Promise<OfferDto[]> {
  const rows: OfferDto[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const result = await searchOffers(handle.db, offerSearchQuerySchema.parse({ ...input, cursor }));
    rows.push(...result.data);
    if (!result.nextCursor) return rows;
    cursor = result.nextCursor;
  }
  throw new Error('pagination did not terminate');
}

describe.each(TEST_ENGINES)('offer search on %s', (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDb(engine);
    await seedDemoNetwork(handle.db, NETWORK);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('the fixture has the ties the keyset order must survive', () => {
    const prices = expected.map((o) => o.priceMicros.toString());
    expect(new Set(prices).size).toBeLessThan(prices.length * 0.75);
  });

  for (const sort of OFFER_SORTS) {
    for (const order of ['asc', 'desc'] as const) {
      it(`pages through every offer once, sorted by ${sort} ${order}, with no duplicates or gaps`, async () => {
        const rows = await collectAll(handle, { sort, order, limit: 17 });
        const ids = rows.map((r) => r.nodeId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(referenceOrder(expected, sort, order));
      });
    }
  }

  for (const gpu of [['rtx-4090-24gb'], ['h200-141gb', 'rtx-3090-24gb', 'a100-80gb']]) {
    it(`pages a filter on ${gpu.length} GPU model(s) through every sort and direction`, async () => {
      const matching = expected.filter((o) => gpu.includes(o.gpuModel));
      for (const sort of OFFER_SORTS) {
        for (const order of ['asc', 'desc'] as const) {
          const rows = await collectAll(handle, { gpu, sort, order, limit: 13 });
          expect(rows.map((r) => r.nodeId)).toEqual(referenceOrder(matching, sort, order));
        }
      }
    });
  }

  it('uses the natural direction of each sort by default', async () => {
    for (const sort of OFFER_SORTS) {
      const page = await searchOffers(handle.db, offerSearchQuerySchema.parse({ sort, limit: 10 }));
      expect(page.data.map((r) => r.nodeId)).toEqual(
        referenceOrder(expected, sort, DEFAULT_ORDER[sort]).slice(0, 10),
      );
    }
  });

  const filters: [string, OfferSearchInput, (o: NewOffer) => boolean][] = [
    [
      'gpu models',
      { gpu: ['h100-80gb', 'rtx-4090-24gb'] },
      (o) => ['h100-80gb', 'rtx-4090-24gb'].includes(o.gpuModel),
    ],
    ['min GPU count', { minGpus: 4 }, (o) => o.freeGpus >= 4],
    ['min VRAM', { minVram: 48 }, (o) => o.vramGb >= 48],
    ['regions', { region: ['eu-central', 'us-west'] }, (o) => ['eu-central', 'us-west'].includes(o.region)],
    ['max price', { maxPrice: '1.25' }, (o) => o.priceMicros <= 1_250_000n],
    ['min reliability', { minReliability: 97.5 }, (o) => o.reliabilityBp >= 9750],
    ['verified only', { verified: 'true' }, (o) => o.verified],
    ['unverified only', { verified: 'false' }, (o) => !o.verified],
    ['interconnect', { interconnect: 'nvlink' }, (o) => o.interconnect === 'nvlink'],
    ['min bandwidth', { minBandwidth: 5_000 }, (o) => o.bandwidthMbps >= 5_000],
    [
      'several at once',
      {
        gpu: ['a100-80gb', 'h100-80gb', 'h200-141gb'],
        minGpus: 8,
        maxPrice: '3',
        interconnect: 'nvlink',
        verified: 'true',
      },
      (o) =>
        ['a100-80gb', 'h100-80gb', 'h200-141gb'].includes(o.gpuModel) &&
        o.freeGpus >= 8 &&
        o.priceMicros <= (parseUsdcToMicros('3') ?? 0n) &&
        o.interconnect === 'nvlink' &&
        o.verified,
    ],
  ];

  for (const [name, input, predicate] of filters) {
    it(`filters by ${name}`, async () => {
      const want = referenceOrder(expected.filter(predicate), 'price', 'asc');
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(expected.length);
      const rows = await collectAll(handle, { ...input, sort: 'price', limit: 23 });
      expect(rows.map((r) => r.nodeId)).toEqual(want);
    });
  }

  it('answers an empty page, not an error, when nothing matches', async () => {
    const page = await searchOffers(
      handle.db,
      offerSearchQuerySchema.parse({ maxPrice: '0.01', gpu: ['h200-141gb'] }),
    );
    expect(page).toEqual({ data: [], nextCursor: null });
  });

  it('refuses a malformed cursor and a cursor issued for another sort', async () => {
    await expect(
      searchOffers(handle.db, offerSearchQuerySchema.parse({ cursor: 'not-a-cursor' })),
    ).rejects.toThrow(AppError);
    const first = await searchOffers(handle.db, offerSearchQuerySchema.parse({ sort: 'price', limit: 5 }));
    expect(first.nextCursor).not.toBeNull();
    await expect(
      searchOffers(
        handle.db,
        offerSearchQuerySchema.parse({ sort: 'vram', cursor: first.nextCursor ?? undefined }),
      ),
    ).rejects.toMatchObject({ code: 'bad_request', fields: [{ field: 'cursor' }] });
    const forged = encodeOfferCursor({
      sort: 'price',
      order: 'asc',
      value: '1); drop table offers; --',
      nodeId: 'x',
    });
    await expect(searchOffers(handle.db, offerSearchQuerySchema.parse({ cursor: forged }))).rejects.toThrow(
      AppError,
    );
  });

  it('serialises money as integer micro-USDC strings and rates as fractions', async () => {
    const page = await searchOffers(handle.db, offerSearchQuerySchema.parse({ limit: 1 }));
    const offer = page.data[0];
    expect(offer?.priceMicros).toMatch(/^\d+$/);
    expect(offer?.pricePerWorkMicros).toMatch(/^\d+$/);
    expect(offer?.reliability).toBeGreaterThanOrEqual(0);
    expect(offer?.reliability).toBeLessThanOrEqual(1);
    expect(offer?.jobSuccessRate).toBeNull();
  });
});
