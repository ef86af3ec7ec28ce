import { describe, expect, it } from 'vitest';
import { generateDemoNetwork } from '@/lib/fleet/demo-network';
import { GPU_MODELS, gpuModel } from '@/lib/market/gpu-models';
import { REGIONS } from '@/lib/market/regions';
import { reliabilityBasisPoints } from '@/lib/market/uptime';

const now = new Date('2026-11-24T00:00:00Z');
const network = generateDemoNetwork({ seed: 42, nodeCount: 300, now });

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
      const spans = network.spans.filter((s) => s.nodeId === offer.nodeId);
      expect(offer.reliabilityBp).toBe(reliabilityBasisPoints(spans, now));
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
});
