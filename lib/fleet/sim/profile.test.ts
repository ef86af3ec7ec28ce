import { describe, expect, it } from 'vitest';
import { generateDemoNetwork } from '@/lib/fleet/demo-network';
import {
  DEFAULT_LOSS_OPTIONS,
  archetypeOfNodeName,
  hiddenProfile,
  nextLoss,
  nodeRng,
  performanceFactor,
  silentLossesPerHour,
} from '@/lib/fleet/sim/profile';

describe('hidden profiles', () => {
  it('reads the supplier kind from the node name', () => {
    expect(archetypeOfNodeName('da-us-east-0001').id).toBe('datacenter');
    expect(archetypeOfNodeName('la-eu-west-0002').id).toBe('lab');
    expect(archetypeOfNodeName('mi-ap-south-0003').id).toBe('miner');
    expect(archetypeOfNodeName('ga-uk-south-0004').id).toBe('gamer');
    expect(() => archetypeOfNodeName('my-own-box')).toThrow(/supplier kind/);
  });

  it('takes real speed from the benchmark against the claimed model', () => {
    // An H100 claims 3.17 × the A100; a node measured at 3.0 runs at about 95 % of its claim.
    expect(performanceFactor(3.0, 'h100-80gb')).toBeCloseTo(0.946, 3);
    expect(performanceFactor(null, 'h100-80gb')).toBe(1);
    expect(hiddenProfile('ga-eu-west-0009', 0.5, 'rtx-4090-24gb')).toEqual({
      archetype: 'gamer',
      uptime: 0.8,
      meanDownHours: 10,
      lostShare: 0.5,
      performanceFactor: performanceFactor(0.5, 'rtx-4090-24gb'),
    });
  });

  it('matches each seeded node to the performance factor it was generated with', () => {
    const network = generateDemoNetwork({ seed: 42, nodeCount: 60, now: new Date('2026-11-10T06:00:00Z') });
    for (const node of network.nodes.filter((n) => n.verificationState === 'verified')) {
      const latest = network.verifications.filter((v) => v.nodeId === node.id).at(-1);
      const factor = performanceFactor(latest?.measuredScore ?? null, node.gpuModel);
      // The generator draws 0.92–1.04 plus 1 % benchmark noise.
      expect(factor).toBeGreaterThan(0.88);
      expect(factor).toBeLessThan(1.08);
    }
  });
});

describe('silent host losses', () => {
  it('are rare in real terms and ordered by supplier kind', () => {
    const rate = (name: string) => silentLossesPerHour(hiddenProfile(name, null, 'a100-80gb'));
    expect(rate('ga-x')).toBeCloseTo(0.5 / 40, 6);
    expect(rate('ga-x')).toBeGreaterThan(rate('mi-x'));
    expect(rate('mi-x')).toBeGreaterThan(rate('la-x'));
    expect(rate('la-x')).toBeGreaterThan(rate('da-x'));
  });

  it('are visible but low across the default demo network', () => {
    const network = generateDemoNetwork({ seed: 42, nodeCount: 300, now: new Date('2026-11-10T06:00:00Z') });
    const up = network.nodes.filter((n) => n.status === 'online' || n.status === 'busy');
    const perHour = up.reduce(
      (sum, n) =>
        sum +
        silentLossesPerHour(hiddenProfile(n.name, null, n.gpuModel)) * DEFAULT_LOSS_OPTIONS.acceleration,
      0,
    );
    // Several an hour across the fleet, but a small share of it at any moment.
    expect(perHour).toBeGreaterThan(6);
    expect(perHour).toBeLessThan(60);
  });

  it('are drawn from the seed and the node alone', () => {
    const profile = hiddenProfile('ga-eu-west-0001', null, 'rtx-4090-24gb');
    const id = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
    const draw = (seed: number) => {
      const rng = nodeRng(seed, id);
      return Array.from({ length: 5 }, () => nextLoss(rng, profile));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const loss of draw(42)) {
      expect(loss.downMs).toBeGreaterThanOrEqual(DEFAULT_LOSS_OPTIONS.minDownMs);
      expect(loss.downMs).toBeLessThanOrEqual(DEFAULT_LOSS_OPTIONS.maxDownMs);
      expect(loss.afterMs).toBeGreaterThan(0);
    }
    expect(nodeRng(42, id).next()).not.toBe(nodeRng(42, '2b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed').next());
  });
});
