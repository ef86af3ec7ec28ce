import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_HOUR, ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { nodeVerifications, nodes, offers } from '@/lib/db/schema';
import { generateDemoNetwork } from '@/simulator/demo-network';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { nodeDetailSchema } from '@/lib/market/node-schemas';
import { summarizeOffers } from '@/lib/market/offer-summary';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 11, nodeCount: 120, now: new Date('2026-11-10T06:00:00Z') };
const network = generateDemoNetwork(NETWORK);
const clock = new ManualClock(NETWORK.now);

type NewNodeVerification = typeof nodeVerifications.$inferInsert;

/** Distinct verified, listed nodes for the tests that change the database, so they do not interfere. */
const [canaryNode, quarantinedNode, contradictoryNode] = network.offers.filter((o) => o.verified);
const hoursAgo = (h: number) => new Date(NETWORK.now.getTime() - h * MS_PER_HOUR);

function canary(nodeId: string, pass: boolean, at: Date): NewNodeVerification {
  return {
    nodeId,
    method: 'canary',
    result: pass ? 'pass' : 'fail',
    measuredScore: pass ? 1 : 0,
    expectedMin: 1,
    expectedMax: 1,
    detail: pass
      ? 'Canary job returned its known answer.'
      : 'Canary job returned a wrong result (0123456789ab…, expected ba9876543210…): the work was not done.',
    createdAt: at,
  };
}

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
    expect(node?.quarantine).toBeNull();
    expect(nodeDetailSchema.safeParse(node).success).toBe(true);
  });

  it('gives a verified node its last check, when and how it passed, and its verdict counts', async () => {
    const offer = network.offers.find((o) => o.verified);
    if (!offer) throw new Error('fixture has no verified offer');
    const checks = network.verifications.filter((v) => v.nodeId === offer.nodeId);
    const node = await getNodeDetail(handle.db, clock, offer.nodeId);
    const v = node?.verification;
    expect(v?.state).toBe('verified');
    expect(v?.lastVerifiedAt).toBe(offer.verifiedAt?.toISOString());
    expect(v?.lastVerifiedMethod).toBe('benchmark');
    expect(v?.counts).toEqual({
      benchmark: { passed: checks.length, failed: 0 },
      canary: { passed: 0, failed: 0 },
    });
    expect(v?.history.map((h) => h.at)).toEqual(
      checks.map((c) => c.createdAt.toISOString()).sort((a, b) => (a < b ? 1 : -1)),
    );
    expect(v?.lastCheck).toEqual(v?.history[0]);
    // A benchmark records the measured score against the claimed model's band.
    expect(v?.lastCheck).toMatchObject({ method: 'benchmark', result: 'pass' });
    expect(v?.lastCheck?.measuredScore).toBeGreaterThanOrEqual(v?.lastCheck?.expectedMin ?? Infinity);
    expect(v?.lastCheck?.measuredScore).toBeLessThanOrEqual(v?.lastCheck?.expectedMax ?? -Infinity);
    expect(node?.offer).toMatchObject({ verified: true, verificationMethod: 'benchmark' });
  });

  it('never shows an unverified node as verified', async () => {
    const fresh = network.nodes.find((n) => n.verificationState === 'unverified');
    if (!fresh) throw new Error('fixture has no unverified node');
    const node = await getNodeDetail(handle.db, clock, fresh.id);
    expect(node?.verification).toEqual({
      state: 'unverified',
      lastVerifiedAt: null,
      lastVerifiedMethod: null,
      lastCheck: null,
      counts: { benchmark: { passed: 0, failed: 0 }, canary: { passed: 0, failed: 0 } },
      history: [],
    });
    expect(node?.quarantine).toBeNull();
    if (node?.offer)
      expect(node.offer).toMatchObject({ verified: false, verifiedAt: null, verificationMethod: null });
  });

  it('shows a quarantined node as failed, unlisted and never verified', async () => {
    const cheat = network.nodes.find((n) => n.verificationState === 'failed');
    if (!cheat) throw new Error('fixture has no cheater');
    const node = await getNodeDetail(handle.db, clock, cheat.id);
    expect(node?.status).toBe('quarantined');
    expect(node?.offer).toBeNull();
    expect(node?.verification.state).toBe('failed');
    expect(node?.verification.lastVerifiedAt).toBeNull();
    expect(node?.verification.lastVerifiedMethod).toBeNull();
    expect(node?.verification.history[0]?.result).toBe('fail');
    expect(node?.verification.lastCheck?.result).toBe('fail');
    expect(node?.verification.counts.benchmark.failed).toBe(1);
    // Quarantined before the date and reason were recorded: the status change and the failed verdict say it.
    const failure = network.verifications.find((v) => v.nodeId === cheat.id && v.result === 'fail');
    expect(node?.quarantine).toEqual({
      at: (cheat.quarantinedAt ?? cheat.statusSince).toISOString(),
      reason: cheat.quarantineReason ?? failure?.detail,
    });
    expect(nodeDetailSchema.safeParse(node).success).toBe(true);
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

  // The tests below change the database; they run after the ones that compare it with the generated network.

  it('says how a node last passed when a canary job was its latest check', async () => {
    const offer = canaryNode;
    if (!offer) throw new Error('fixture has too few verified offers');
    const at = hoursAgo(1 / 60);
    await handle.db.insert(nodeVerifications).values(canary(offer.nodeId, true, at));
    await refreshOffers(handle.db, clock, [offer.nodeId]);
    const node = await getNodeDetail(handle.db, clock, offer.nodeId);
    expect(node?.verification).toMatchObject({
      state: 'verified',
      lastVerifiedAt: at.toISOString(),
      lastVerifiedMethod: 'canary',
      lastCheck: { at: at.toISOString(), method: 'canary', result: 'pass' },
    });
    expect(node?.verification.counts.canary).toEqual({ passed: 1, failed: 0 });
    expect(node?.offer).toMatchObject({ verifiedAt: at.toISOString(), verificationMethod: 'canary' });
  });

  it('shows a node quarantined by a failed canary with the date, the reason and its whole record', async () => {
    const offer = quarantinedNode;
    if (!offer) throw new Error('fixture has too few verified offers');
    const quarantinedAt = hoursAgo(1);
    const reason = 'Canary job returned a wrong result: the work was not done.';
    await handle.db
      .insert(nodeVerifications)
      .values([
        canary(offer.nodeId, true, hoursAgo(30)),
        canary(offer.nodeId, true, hoursAgo(20)),
        canary(offer.nodeId, false, quarantinedAt),
      ]);
    await handle.db
      .update(nodes)
      .set({
        status: 'quarantined',
        statusSince: quarantinedAt,
        verificationState: 'failed',
        quarantinedAt,
        quarantineReason: reason,
      })
      .where(eq(nodes.id, offer.nodeId));

    // Even before the market is refreshed, the page does not offer a quarantined node.
    const before = await getNodeDetail(handle.db, clock, offer.nodeId);
    expect(before?.offer).toBeNull();

    await refreshOffers(handle.db, clock, [offer.nodeId]);
    expect(await handle.db.select().from(offers).where(eq(offers.nodeId, offer.nodeId))).toEqual([]);
    const node = await getNodeDetail(handle.db, clock, offer.nodeId);
    expect(node).not.toBeNull();
    expect(node?.status).toBe('quarantined');
    expect(node?.offer).toBeNull();
    expect(node?.quarantine).toEqual({ at: quarantinedAt.toISOString(), reason });
    const v = node?.verification;
    expect(v?.state).toBe('failed');
    expect(v?.lastVerifiedAt).toBeNull();
    expect(v?.lastVerifiedMethod).toBeNull();
    expect(v?.lastCheck).toMatchObject({ method: 'canary', result: 'fail', at: quarantinedAt.toISOString() });
    expect(v?.lastCheck?.detail).toMatch(/wrong result/);
    expect(v?.counts.canary).toEqual({ passed: 2, failed: 1 });
    const benchmarks = network.verifications.filter((c) => c.nodeId === offer.nodeId);
    expect(v?.counts.benchmark).toEqual({ passed: benchmarks.length, failed: 0 });
    // Benchmarks and canaries in one history, newest first.
    const times = v?.history.map((h) => h.at) ?? [];
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set(v?.history.map((h) => h.method))).toEqual(new Set(['benchmark', 'canary']));
    expect(v?.history).toHaveLength(benchmarks.length + 3);
    expect(node?.market.gpuModel).toBe(offer.gpuModel);
    expect(nodeDetailSchema.safeParse(node).success).toBe(true);
  });

  it('never shows a quarantined node as verified, whatever its state column says', async () => {
    const offer = contradictoryNode;
    if (!offer) throw new Error('fixture has too few verified offers');
    await handle.db
      .update(nodes)
      .set({ quarantinedAt: hoursAgo(2), quarantineReason: 'Benchmark answer was wrong.' })
      .where(eq(nodes.id, offer.nodeId));
    const node = await getNodeDetail(handle.db, clock, offer.nodeId);
    expect(node?.verification).toMatchObject({
      state: 'failed',
      lastVerifiedAt: null,
      lastVerifiedMethod: null,
    });
    expect(node?.quarantine).toEqual({
      at: hoursAgo(2).toISOString(),
      reason: 'Benchmark answer was wrong.',
    });
    expect(node?.offer).toBeNull();
  });
});
