import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '@/lib/clock';
import { generateDemoNetwork, type DemoSpan } from '@/simulator/demo-network';
import { GPU_MODELS, gpuModel } from '@/lib/market/gpu-models';
import { REGIONS } from '@/lib/market/regions';
import { reliabilityBasisPoints } from '@/lib/market/uptime';

const now = new Date('2026-11-24T00:00:00Z');
const network = generateDemoNetwork({ seed: 42, nodeCount: 300, now });
const spansOf = new Map<string, DemoSpan[]>();
for (const span of network.spans) spansOf.set(span.nodeId, [...(spansOf.get(span.nodeId) ?? []), span]);
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('demo network', () => {
  it('is deterministic for a seed and different for another', () => {
    const again = generateDemoNetwork({ seed: 42, nodeCount: 300, now });
    expect(again.nodes.map((n) => n.id)).toEqual(network.nodes.map((n) => n.id));
    expect(again.offers).toEqual(network.offers);
    const other = generateDemoNetwork({ seed: 43, nodeCount: 300, now });
    expect(other.nodes[0]?.id).not.toBe(network.nodes[0]?.id);
  });

  it('has about 300 nodes and 1,200 GPUs with a realistic mix across continents', () => {
    expect(network.nodes).toHaveLength(300);
    expect(network.gpus.length).toBeGreaterThan(1_000);
    expect(network.gpus.length).toBeLessThan(1_500);
    const models = new Set(network.nodes.map((n) => n.gpuModel));
    expect(models.size).toBeGreaterThanOrEqual(GPU_MODELS.length - 1);
    const continents = new Set(
      network.nodes.map((n) => REGIONS.find((r) => r.id === n.region)?.continent).filter(Boolean),
    );
    expect(continents.size).toBeGreaterThanOrEqual(4);
    expect(new Set(network.nodes.map((n) => n.interconnect))).toEqual(new Set(['nvlink', 'pcie']));
  });

  it('spreads prices around each model reference price', () => {
    for (const model of GPU_MODELS) {
      const prices = network.nodes
        .filter((n) => n.gpuModel === model.id)
        .map((n) => Number(n.pricePerGpuHourMicros));
      if (prices.length < 5) continue;
      const median = [...prices].sort((a, b) => a - b)[Math.floor(prices.length / 2)] ?? 0;
      const reference = Number(model.referencePriceMicros);
      expect(median / reference).toBeGreaterThan(0.6);
      expect(median / reference).toBeLessThan(1.4);
    }
  });

  it('lists only nodes that are up, with reliability computed from their own history', () => {
    for (const offer of network.offers) {
      const node = network.nodes.find((n) => n.id === offer.nodeId);
      expect(node?.status === 'online' || node?.status === 'busy').toBe(true);
      expect(offer.reliabilityBp).toBe(reliabilityBasisPoints(spansOf.get(offer.nodeId) ?? [], now));
    }
    expect(network.offers.length).toBeLessThan(network.nodes.length);
  });

  it('catches nodes that claim a better GPU than they have, and never lists them as verified', () => {
    const failed = network.nodes.filter((n) => n.verificationState === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const node of failed) {
      expect(node.status).toBe('quarantined');
      expect(network.offers.some((o) => o.nodeId === node.id)).toBe(false);
      const fails = network.verifications.filter((v) => v.nodeId === node.id && v.result === 'fail');
      expect(fails.length).toBe(1);
      expect(fails[0]?.measuredScore).toBeLessThan(gpuModel(node.gpuModel).relativeThroughput * 0.85);
    }
    for (const offer of network.offers.filter((o) => o.verified)) {
      expect(offer.verifiedAt).toBeInstanceOf(Date);
    }
  });

  it('grows over its recorded year: a founding group, most nodes months old, a few joined in the last hours', () => {
    const joined = (days: number) =>
      network.nodes.filter((n) => n.createdAt <= ago(days * MS_PER_DAY)).length;
    expect(network.nodes.every((n) => n.createdAt >= ago(365 * MS_PER_DAY))).toBe(true);
    expect(joined(330)).toBeGreaterThan(40);
    expect(joined(330)).toBeLessThan(100);
    expect(joined(180)).toBeGreaterThan(joined(330) + 40);
    expect(joined(30)).toBeGreaterThan(220);
    const fresh = network.nodes.filter((n) => n.createdAt > ago(12 * MS_PER_HOUR));
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((n) => n.verificationState === 'unverified')).toBe(true);
    // Each supplier signed up before its first node.
    for (const node of network.nodes) {
      const owner = network.accounts.find((a) => a.id === node.ownerAccountId);
      expect(owner?.createdAt?.getTime()).toBeLessThan(node.createdAt.getTime());
    }
  });

  it('records each node’s status over its whole life, contiguous, ending in the current status', () => {
    for (const node of network.nodes) {
      const spans = spansOf.get(node.id) ?? [];
      expect(spans[0]?.startedAt).toEqual(node.createdAt);
      for (let i = 1; i < spans.length; i++) expect(spans[i]?.startedAt).toEqual(spans[i - 1]?.endedAt);
      expect(spans.at(-1)?.endedAt).toBeNull();
      expect(spans.at(-1)?.status).toBe(node.status);
    }
    // A year of history, not a month.
    expect(network.spans.length).toBeGreaterThan(15_000);
  });

  it('benchmarks twelve hours after joining and weekly; records the first and the last month’s', () => {
    for (const node of network.nodes) {
      const checks = network.verifications
        .filter((v) => v.nodeId === node.id)
        .map((v) => v.createdAt.getTime())
        .sort((a, b) => a - b);
      const first = node.createdAt.getTime() + 12 * MS_PER_HOUR;
      if (first > now.getTime()) {
        expect(checks).toEqual([]);
        continue;
      }
      expect(checks[0]).toBe(first);
      for (const at of checks.slice(1)) {
        expect((at - first) % (7 * MS_PER_DAY)).toBe(0);
        expect(at).toBeGreaterThanOrEqual(ago(31 * MS_PER_DAY).getTime());
      }
    }
  });

  it('keeps the last month only, as before, when the recorded past is short', () => {
    const short = generateDemoNetwork({ seed: 42, nodeCount: 100, now, historyDays: 0 });
    const from = ago(31 * MS_PER_DAY);
    expect(short.spans.every((s) => s.startedAt >= from)).toBe(true);
    expect(short.verifications.every((v) => v.createdAt >= from)).toBe(true);
    expect(short.nodes.some((n) => n.createdAt < ago(60 * MS_PER_DAY))).toBe(true);
    for (const offer of short.offers) {
      const spans = short.spans.filter((s) => s.nodeId === offer.nodeId);
      expect(offer.reliabilityBp).toBe(reliabilityBasisPoints(spans, now));
    }
  });
});
