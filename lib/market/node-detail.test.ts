import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { generateDemoNetwork } from '@/lib/fleet/demo-network';
import { seedDemoNetwork } from '@/lib/fleet/seed-demo-network';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { summarizeOffers } from '@/lib/market/offer-summary';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 11, nodeCount: 120, now: new Date('2026-11-10T06:00:00Z') };
const network = generateDemoNetwork(NETWORK);
const clock = new ManualClock(NETWORK.now);

describe.each(TEST_ENGINES)('node detail and market summary on %s', (engine) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDb(engine);
    await seedDemoNetwork(handle.db, NETWORK);
  });
  afterAll(() => handle.close());

  it('returns null for a node that does not exist', async () => {
    expect(await getNodeDetail(handle.db, clock, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('shows a listed node with its hardware, 30 daily uptime points, offer and market band', async () => {
    const offer = network.offers[0];
    if (!offer) throw new Error('fixture has no offers');
    const node = await getNodeDetail(handle.db, clock, offer.nodeId);
    expect(node?.offer?.nodeId).toBe(offer.nodeId);
    expect(node?.reliability).toBe(offer.reliabilityBp / 10_000);
    expect(node?.uptime30d).toHaveLength(30);
    expect(node?.hardware.gpus).toHaveLength(offer.gpuCount);
    expect(node?.market.gpuModel).toBe(offer.gpuModel);
    expect(node?.priceMicros).toBe(offer.priceMicros.toString());
  });

  it('shows a quarantined node as failed, unlisted and never verified', async () => {
    const cheat = network.nodes.find((n) => n.verificationState === 'failed');
    if (!cheat) throw new Error('fixture has no cheater');
    const node = await getNodeDetail(handle.db, clock, cheat.id);
    expect(node?.status).toBe('quarantined');
    expect(node?.offer).toBeNull();
    expect(node?.verification.state).toBe('failed');
    expect(node?.verification.lastVerifiedAt).toBeNull();
    expect(node?.verification.history[0]?.result).toBe('fail');
  });

  it('summarises supply with real listed prices as percentiles', async () => {
    const summary = await summarizeOffers(handle.db, clock, true);
    const online = network.nodes.filter((n) => n.status === 'online' || n.status === 'busy');
    expect(summary.nodesOnline).toBe(online.length);
    expect(summary.gpusOnline).toBe(online.reduce((sum, n) => sum + n.gpuCount, 0));
    expect(summary.gpusAvailable).toBe(network.offers.reduce((sum, o) => sum + o.freeGpus, 0));
    for (const model of summary.models) {
      const prices = network.offers
        .filter((o) => o.gpuModel === model.gpuModel)
        .map((o) => o.priceMicros)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (prices.length === 0) {
        expect(model.medianPriceMicros).toBeNull();
        continue;
      }
      // percentile_disc(0.5): the first value whose cumulative share reaches one half.
      const median = prices[Math.ceil(prices.length * 0.5) - 1];
      expect(model.medianPriceMicros).toBe(median?.toString());
      expect(model.nodesListed).toBe(prices.length);
    }
  });
});
