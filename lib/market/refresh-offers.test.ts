import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY, ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { nodeStatusIntervals, nodes, offers } from '@/lib/db/schema';
import { generateDemoNetwork } from '@/simulator/demo-network';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 5, nodeCount: 80, now: new Date('2026-11-01T00:00:00Z') };
const network = generateDemoNetwork(NETWORK);

describe.each(TEST_ENGINES)('offer refresh on %s', (engine) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDb(engine);
    await seedDemoNetwork(handle.db, NETWORK);
  });
  afterAll(() => handle.close());

  it('changes nothing when run at the moment the network was generated', async () => {
    const before = await handle.db.select().from(offers).orderBy(offers.nodeId);
    const result = await refreshOffers(handle.db, new ManualClock(NETWORK.now));
    expect(result).toEqual({ listed: network.offers.length, unlisted: 0 });
    expect(await handle.db.select().from(offers).orderBy(offers.nodeId)).toEqual(before);
  });

  it('keeps market reliability equal to the node page as time passes', async () => {
    const later = new ManualClock(NETWORK.now.getTime() + 3 * MS_PER_DAY);
    await refreshOffers(handle.db, later);
    for (const offer of (await handle.db.select().from(offers)).slice(0, 10)) {
      const detail = await getNodeDetail(handle.db, later, offer.nodeId);
      expect(offer.reliabilityBp / 10_000).toBe(detail?.reliability);
    }
  });

  it('unlists a node that went offline and relists it when it returns', async () => {
    const clock = new ManualClock(NETWORK.now.getTime() + 3 * MS_PER_DAY);
    const offer = network.offers[0];
    if (!offer) throw new Error('fixture has no offers');
    await handle.db.update(nodes).set({ status: 'offline' }).where(eq(nodes.id, offer.nodeId));
    expect((await refreshOffers(handle.db, clock)).unlisted).toBe(1);
    expect(await handle.db.select().from(offers).where(eq(offers.nodeId, offer.nodeId))).toEqual([]);

    await handle.db.update(nodes).set({ status: 'online' }).where(eq(nodes.id, offer.nodeId));
    await refreshOffers(handle.db, clock);
    const [back] = await handle.db.select().from(offers).where(eq(offers.nodeId, offer.nodeId));
    expect(back?.freeGpus).toBe(offer.gpuCount);
    // Still backed by its history: the refresh reads the intervals, not a typed-in figure.
    const spans = await handle.db
      .select()
      .from(nodeStatusIntervals)
      .where(eq(nodeStatusIntervals.nodeId, offer.nodeId));
    expect(spans.length).toBeGreaterThan(0);
  });
});
