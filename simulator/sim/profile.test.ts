import { describe, expect, it } from 'vitest';
import { generateDemoNetwork } from '@/simulator/demo-network';
import {
  DEFAULT_LOSS_OPTIONS,
  archetypeOfNodeName,
  drawsSkipCheater,
  hiddenProfile,
  nextLoss,
  nodeRng,
  performanceFactor,
  silentLossesPerHour,
  skipsAssignment,
  unitHash,
} from '@/simulator/sim/profile';

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
      cheat: null,
    });
  });

  it('matches each seeded node to the performance factor it was generated with', () => {
    const network = generateDemoNetwork({ seed: 42, nodeCount: 60, now: new Date('2026-11-10T06:00:00Z') });
    for (const node of network.nodes.filter((n) => n.verificationState === 'verified')) {
      const first = network.verifications.find((v) => v.nodeId === node.id);
      const factor = performanceFactor(first?.measuredScore ?? null, node.gpuModel);
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

describe('skip-work cheats', () => {
  const nodeId = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
  const attempt = (i: number) =>
    `6a4c1d2e-${String(i % 10_000).padStart(4, '0')}-4000-8000-${String(i).padStart(12, '0')}`;
  const cheater = (skipShare: number) =>
    hiddenProfile('mi-eu-west-0002', null, 'rtx-3090-24gb', { kind: 'skip_work', skipShare });

  it('never skip for an honest node', () => {
    const honest = hiddenProfile('mi-eu-west-0002', null, 'rtx-3090-24gb');
    for (let i = 0; i < 2_000; i++) expect(skipsAssignment(honest, nodeId, attempt(i))).toBe(false);
  });

  it('are decided by the node and attempt alone', () => {
    const profile = cheater(0.5);
    const decisions = (node: string) =>
      Array.from({ length: 200 }, (_, i) => skipsAssignment(profile, node, attempt(i)));
    expect(decisions(nodeId)).toEqual(decisions(nodeId));
    expect(decisions(nodeId)).not.toEqual(decisions('2b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed'));
    // The share only moves the threshold: what is skipped at 0.2 is also skipped at 0.5.
    for (let i = 0; i < 500; i++)
      if (skipsAssignment(cheater(0.2), nodeId, attempt(i)))
        expect(skipsAssignment(cheater(0.5), nodeId, attempt(i))).toBe(true);
    expect(skipsAssignment(cheater(0), nodeId, attempt(1))).toBe(false);
    expect(skipsAssignment(cheater(1), nodeId, attempt(1))).toBe(true);
  });

  it('skip about the profile’s share of assignments', () => {
    for (const share of [0.1, 0.5, 0.9]) {
      const n = 20_000;
      let skipped = 0;
      for (let i = 0; i < n; i++) if (skipsAssignment(cheater(share), nodeId, attempt(i))) skipped += 1;
      // Binomial standard deviation at n = 20,000 is at most 0.0035: ±0.015 is beyond four of them.
      expect(Math.abs(skipped / n - share)).toBeLessThan(0.015);
    }
  });

  it('choose cheaters from the seed and the node, about the configured share of them', () => {
    const ids = Array.from(
      { length: 10_000 },
      (_, i) => `1b9d6bcd-bbfd-4b2d-9b5d-${String(i).padStart(12, '0')}`,
    );
    const chosen = (seed: number, share: number) => ids.filter((id) => drawsSkipCheater(seed, id, share));
    expect(chosen(42, 0.02)).toEqual(chosen(42, 0.02));
    expect(chosen(42, 0.02)).not.toEqual(chosen(43, 0.02));
    expect(chosen(42, 0.02).length / ids.length).toBeCloseTo(0.02, 2);
    expect(chosen(42, 0)).toEqual([]);
    // Raising the share adds cheaters without changing the earlier ones.
    expect(chosen(42, 0.1)).toEqual(expect.arrayContaining(chosen(42, 0.02)));
  });

  it('hash strings uniformly even when they differ only at the end', () => {
    const buckets = Array.from({ length: 10 }, () => 0);
    for (let i = 0; i < 10_000; i++) {
      const bucket = Math.floor(unitHash(`node-${i}`) * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    for (const count of buckets) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });
});
