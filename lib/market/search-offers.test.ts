import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/api/errors';
import { MS_PER_DAY, MS_PER_HOUR, ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { nodeVerifications, nodes, offers, type NewOffer } from '@/lib/db/schema';
import { generateDemoNetwork } from '@/simulator/demo-network';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
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
import { refreshOffers } from '@/lib/market/refresh-offers';
import { parseUsdcToMicros } from '@/lib/money';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 7, nodeCount: 400, now: new Date('2026-11-20T12:00:00Z') };
const network = generateDemoNetwork(NETWORK);
const expected = network.offers;
const clock = new ManualClock(NETWORK.now);

/** Verified no longer ago than `ms` before the network's now. */
function verifiedWithin(o: NewOffer, ms: number): boolean {
  return o.verified && o.verifiedAt != null && o.verifiedAt.getTime() >= NETWORK.now.getTime() - ms;
}

/** The value each sort key orders by, read from the generated offer row. */
const SORT_KEY: Record<OfferSort, (offer: NewOffer) => bigint> = {
  price: (o) => o.priceMicros,
  price_per_work: (o) => o.pricePerWorkMicros,
  reliability: (o) => BigInt(o.reliabilityBp),
  vram: (o) => BigInt(o.vramGb),
  free_gpus: (o) => BigInt(o.freeGpus),
  bandwidth: (o) => BigInt(o.bandwidthMbps),
  cpu_cores: (o) => BigInt(o.cpuCores),
  ram: (o) => BigInt(o.ramGb),
  disk: (o) => BigInt(o.diskGb),
  cuda: (o) => BigInt(o.cudaRank),
};

/** The reference answer, computed in plain TypeScript over the generated offers. */
function referenceOrder(rows: readonly NewOffer[], sort: OfferSort, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const ka = SORT_KEY[sort](a);
      const kb = SORT_KEY[sort](b);
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0) * sign;
    })
    .map((o) => o.nodeId);
}

async function collectAll(handle: DatabaseHandle, input: OfferSearchInput): Promise<OfferDto[]> {
  const rows: OfferDto[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const result = await searchOffers(handle.db, offerSearchQuerySchema.parse({ ...input, cursor }), clock);
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
    ['verified within 24 hours', { verifiedWithin: '24h' }, (o) => verifiedWithin(o, MS_PER_DAY)],
    ['verified within 7 days', { verifiedWithin: '7d' }, (o) => verifiedWithin(o, 7 * MS_PER_DAY)],
    ['verified within 30 days', { verifiedWithin: '30d' }, (o) => verifiedWithin(o, 30 * MS_PER_DAY)],
    ['interconnect', { interconnect: 'nvlink' }, (o) => o.interconnect === 'nvlink'],
    ['min bandwidth', { minBandwidth: 5_000 }, (o) => o.bandwidthMbps >= 5_000],
    ['min CPU cores', { minCpuCores: 32 }, (o) => o.cpuCores >= 32],
    ['min RAM', { minRam: 128 }, (o) => o.ramGb >= 128],
    ['min disk', { minDisk: 1_000 }, (o) => o.diskGb >= 1_000],
    ['min CUDA version', { minCuda: '12.8' }, (o) => ['12.8', '13.0'].includes(o.cudaVersion)],
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
    [
      'recency with a GPU model and price',
      { gpu: ['rtx-4090-24gb', 'a100-80gb'], verifiedWithin: '7d', maxPrice: '2' },
      (o) =>
        ['rtx-4090-24gb', 'a100-80gb'].includes(o.gpuModel) &&
        o.priceMicros <= 2_000_000n &&
        verifiedWithin(o, 7 * MS_PER_DAY),
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

  it('refuses, as a bad request, a cursor whose value its sort key’s SQL type cannot hold', async () => {
    // Every integer sort key (VRAM, RAM, CUDA…) is an SQL integer; prices are bigints.
    for (const [sort, value] of [
      ['ram', '2147483648'],
      ['cuda', '-2147483649'],
      ['price', '9223372036854775808'],
    ] as const) {
      const forged = encodeOfferCursor({
        sort,
        order: DEFAULT_ORDER[sort],
        value,
        nodeId: '00000000-0000-4000-8000-000000000000',
      });
      await expect(
        searchOffers(handle.db, offerSearchQuerySchema.parse({ sort, cursor: forged })),
      ).rejects.toMatchObject({ code: 'bad_request', fields: [{ field: 'cursor' }] });
    }
    const largest = encodeOfferCursor({
      sort: 'ram',
      order: 'desc',
      value: '2147483647',
      nodeId: '00000000-0000-4000-8000-000000000000',
    });
    const page = await searchOffers(
      handle.db,
      offerSearchQuerySchema.parse({ sort: 'ram', cursor: largest }),
    );
    expect(page.data.length).toBeGreaterThan(0);
  });

  it('pages a recency filter through every sort and direction without duplicates or gaps', async () => {
    const want = expected.filter((o) => verifiedWithin(o, MS_PER_DAY));
    expect(want.length).toBeGreaterThan(7);
    for (const sort of OFFER_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await collectAll(handle, { verifiedWithin: '24h', sort, order, limit: 7 });
        expect(rows.map((r) => r.nodeId)).toEqual(referenceOrder(want, sort, order));
      }
    }
  });

  it('measures the recency window from the injected clock', async () => {
    const query = offerSearchQuerySchema.parse({ verifiedWithin: '24h', limit: 200 });
    const now = await searchOffers(handle.db, query, clock);
    expect(now.data.length).toBeGreaterThan(0);
    // Eight days later no demo verification (weekly) is a day old.
    const later = new ManualClock(NETWORK.now.getTime() + 8 * MS_PER_DAY);
    expect((await searchOffers(handle.db, query, later)).data).toEqual([]);
  });

  it('finds nothing verified recently among unverified offers', async () => {
    const page = await searchOffers(
      handle.db,
      offerSearchQuerySchema.parse({ verified: 'false', verifiedWithin: '30d' }),
      clock,
    );
    expect(page).toEqual({ data: [], nextCursor: null });
  });

  it('rejects an unknown recency window', () => {
    expect(offerSearchQuerySchema.safeParse({ verifiedWithin: '1h' }).success).toBe(false);
  });

  it('says when and how each offer was verified, and never for an unverified one', async () => {
    const rows = await collectAll(handle, { sort: 'price', limit: 200 });
    const byId = new Map(expected.map((o) => [o.nodeId, o]));
    expect(rows.some((r) => r.verified)).toBe(true);
    expect(rows.some((r) => !r.verified)).toBe(true);
    for (const row of rows) {
      const want = byId.get(row.nodeId);
      if (row.verified) {
        expect(row.verifiedAt).toBe(want?.verifiedAt?.toISOString());
        // The demo network verifies by benchmark only.
        expect(row.verificationMethod).toBe('benchmark');
      } else {
        expect(row.verifiedAt).toBeNull();
        expect(row.verificationMethod).toBeNull();
      }
    }
  });

  it('reports a canary job as the method when a canary was the last passed check', async () => {
    const target = expected.find((o) => o.verified && !verifiedWithin(o, MS_PER_DAY));
    if (!target) throw new Error('fixture has no offer verified more than a day ago');
    // At the very millisecond another node passed a benchmark: the method must be this node's own check.
    const neighbour = expected.find((o) => o.nodeId !== target.nodeId && verifiedWithin(o, MS_PER_DAY));
    if (!neighbour?.verifiedAt) throw new Error('fixture has no offer verified within a day');
    const at = neighbour.verifiedAt;
    await handle.db.insert(nodeVerifications).values({
      nodeId: target.nodeId,
      method: 'canary',
      result: 'pass',
      measuredScore: 1,
      expectedMin: 1,
      expectedMax: 1,
      detail: 'Canary job returned its known answer.',
      createdAt: at,
    });
    await refreshOffers(handle.db, clock, [target.nodeId]);
    const [row] = await handle.db.select().from(offers).where(eq(offers.nodeId, target.nodeId));
    expect(row?.verifiedAt?.toISOString()).toBe(at.toISOString());

    const recent = await collectAll(handle, { verifiedWithin: '24h', sort: 'price', limit: 50 });
    const offer = recent.find((r) => r.nodeId === target.nodeId);
    expect(offer).toMatchObject({
      verified: true,
      verifiedAt: at.toISOString(),
      verificationMethod: 'canary',
    });
    // Another node's canary says nothing about the others, however close in time.
    const others = recent.filter((r) => r.nodeId !== target.nodeId);
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) expect(other.verificationMethod).toBe('benchmark');

    // A verdict newer than the offer row (not yet refreshed) does not change what the row's date refers to.
    await handle.db.insert(nodeVerifications).values({
      nodeId: target.nodeId,
      method: 'benchmark',
      result: 'pass',
      measuredScore: 1,
      expectedMin: 0.85,
      expectedMax: 1.2,
      detail: 'Measured 1.000× A100, within the band.',
      createdAt: new Date(at.getTime() + MS_PER_HOUR),
    });
    const again = await collectAll(handle, { verifiedWithin: '24h', sort: 'price', limit: 50 });
    expect(again.find((r) => r.nodeId === target.nodeId)?.verificationMethod).toBe('canary');

    // A canary of another node at the very same millisecond is not this offer's check (either way round).
    const [a, b] = expected.filter((o) => o.verified && o.nodeId !== target.nodeId);
    if (!a?.verifiedAt || !b?.verifiedAt) throw new Error('fixture has too few verified offers');
    for (const [node, at] of [
      [b, a.verifiedAt],
      [a, b.verifiedAt],
    ] as const) {
      await handle.db.insert(nodeVerifications).values({
        nodeId: node.nodeId,
        method: 'canary',
        result: 'pass',
        measuredScore: 1,
        expectedMin: 1,
        expectedMax: 1,
        detail: 'Canary job returned its known answer.',
        createdAt: at,
      });
    }
    const listed = await collectAll(handle, { sort: 'price', limit: 200 });
    for (const node of [a, b]) {
      expect(listed.find((r) => r.nodeId === node.nodeId)?.verificationMethod).toBe('benchmark');
    }

    // An unverified node's offer carries neither date nor method, even if a row says otherwise.
    await handle.db.update(offers).set({ verified: false }).where(eq(offers.nodeId, target.nodeId));
    const all = await collectAll(handle, { sort: 'price', limit: 200 });
    expect(all.find((r) => r.nodeId === target.nodeId)).toMatchObject({
      verified: false,
      verifiedAt: null,
      verificationMethod: null,
    });
    await handle.db.update(nodes).set({ verificationState: 'verified' }).where(eq(nodes.id, target.nodeId));
    await refreshOffers(handle.db, clock, [target.nodeId]);
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
