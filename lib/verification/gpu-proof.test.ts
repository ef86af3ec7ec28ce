import { describe, expect, it } from 'vitest';
import {
  checkProofParams,
  computeCommitment,
  fingerprintBytes,
  fingerprintKeys,
  generateB,
  lowbias32,
  merklePath,
  merkleRoot,
  revealRound,
  roundFingerprint,
  roundLeaf,
  rowOfA,
  verifyMerklePath,
  type ProofParams,
} from '@/lib/verification/gpu-proof';
import { checkReveals, pickDistinct } from '@/lib/verification/gpu-proof-check';
import {
  DEVELOPMENT_SIZES,
  expectedRoundMs,
  passBoundMs,
  planProof,
  timedPhaseMs,
} from '@/lib/verification/gpu-proof-bound';
import { createHash } from 'node:crypto';

const params: ProofParams = { seed: '00112233445566778899aabbccddeeff', m: 32, k: 48, rounds: 5 };

/** A small deterministic PRNG for repeatable picks (mulberry32). */
function seeded(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

describe('GPU proof computation', () => {
  it('hashes like lowbias32 (reference values)', () => {
    expect(lowbias32(0)).toBe(0);
    expect(lowbias32(1)).toBe(lowbias32(1));
    expect(new Set([0, 1, 2, 3, 4].map(lowbias32)).size).toBe(5);
  });

  it('computes fingerprints equal to a plain dense product with the documented formula', () => {
    const b = generateB(params);
    const keys = fingerprintKeys(params);
    const f = roundFingerprint(params, b, keys, 3);
    for (const i of [0, 7, 31]) {
      const a = rowOfA(params, 3, i);
      let sum = 0n;
      for (let j = 0; j < params.m; j++) {
        let c = 0;
        for (let l = 0; l < params.k; l++) c += (a[l] as number) * (b[l * params.m + j] as number);
        sum += BigInt(((c + 4096) ^ (keys.g[j] as number)) * (keys.w[j] as number));
      }
      expect(f[i]).toBe(Number(sum % 4_294_967_296n));
    }
    // Entries are ternary and not degenerate.
    expect(new Set(b)).toEqual(new Set([-1, 0, 1]));
  });

  it('refuses sizes that break exactness or make no sense', () => {
    expect(checkProofParams(params)).toBeNull();
    expect(checkProofParams({ ...params, k: 4096 })).toMatch(/above 2048/);
    expect(checkProofParams({ ...params, m: 40 })).toMatch(/multiple of 16/);
    expect(checkProofParams({ ...params, seed: 'zz' })).toMatch(/seed/);
    expect(checkProofParams({ ...params, rounds: 0 })).toMatch(/rounds/);
  });

  it('builds Merkle paths that verify for every leaf count, and only for the right leaf and place', () => {
    for (const count of [1, 2, 3, 5, 8, 13]) {
      const leaves = Array.from({ length: count }, (_, i) => createHash('sha256').update(`${i}`).digest());
      const root = merkleRoot(leaves);
      for (let i = 0; i < count; i++) {
        const path = merklePath(leaves, i);
        expect(verifyMerklePath(root, count, i, leaves[i] as Buffer, path)).toBe(true);
        if (count > 1) {
          expect(verifyMerklePath(root, count, (i + 1) % count, leaves[i] as Buffer, path)).toBe(false);
          expect(verifyMerklePath(root, count, i, leaves[(i + 1) % count] as Buffer, path)).toBe(false);
          expect(verifyMerklePath(root, count, i, leaves[i] as Buffer, path.slice(1))).toBe(false);
        }
      }
    }
  });
});

describe("the server's check", () => {
  it('passes an honest commitment and its reveals', async () => {
    const commitment = await computeCommitment(params);
    const asked = [1, 4];
    const reveals = asked.map((r) => revealRound(params, commitment, r));
    expect(checkReveals(params, commitment.root, asked, reveals, { rowsPerRound: 4 })).toMatchObject({
      ok: true,
    });
  });

  it('fails a wrong row, a wrong root, a wrong path, a missing or an extra round', async () => {
    const commitment = await computeCommitment(params);
    const asked = [0, 2];
    const honest = asked.map((r) => revealRound(params, commitment, r));
    const check = (root: string, reveals: typeof honest, rows = 4) =>
      checkReveals(params, root, asked, reveals, { rowsPerRound: rows, random: seeded(7) });

    // A wrong row, under a root built from it: the Merkle check passes and the recomputed row does not.
    const b = generateB(params);
    const keys = fingerprintKeys(params);
    const leaves = [...commitment.leaves];
    const forged = roundFingerprint(params, b, keys, 2);
    forged.fill(12345);
    const forgedBytes = fingerprintBytes(forged);
    leaves[2] = roundLeaf(2, forgedBytes);
    const forgedRoot = merkleRoot(leaves).toString('hex');
    const forgedReveals = [
      { ...honest[0]!, path: merklePath(leaves, 0).map((h) => h.toString('hex')) },
      {
        round: 2,
        fingerprint: forgedBytes.toString('base64'),
        path: merklePath(leaves, 2).map((h) => h.toString('hex')),
      },
    ];
    expect(check(forgedRoot, forgedReveals).detail).toMatch(/Round 2, row \d+: the product is wrong/);

    expect(check('ab'.repeat(32), honest).detail).toMatch(/does not match the committed root/);
    const wrongPath = [honest[0]!, { ...honest[1]!, path: [...honest[1]!.path].reverse() }];
    expect(check(commitment.root, wrongPath).detail).toMatch(/does not match the committed root/);
    expect(check(commitment.root, [honest[0]!]).ok).toBe(false);
    expect(check(commitment.root, [...honest, revealRound(params, commitment, 3)]).ok).toBe(false);
    expect(check(commitment.root, [honest[0]!, { ...honest[1]!, round: 3 }]).ok).toBe(false);
    const short = { ...honest[1]!, fingerprint: Buffer.alloc(8).toString('base64') };
    expect(check(commitment.root, [honest[0]!, short]).detail).toMatch(/bytes revealed/);
    expect(check(commitment.root, honest).ok).toBe(true);
  });

  it('picks distinct rounds', () => {
    const picked = pickDistinct(10, 4, seeded(1));
    expect(new Set(picked).size).toBe(4);
    expect(picked.every((r) => r >= 0 && r < 10)).toBe(true);
    expect(pickDistinct(3, 5)).toEqual([0, 1, 2]);
  });

  /**
   * The detection figure in docs/verification.md, measured: a node that skips a share f of the rounds (each
   * skipped round committed as a random leaf) is caught when any of the s revealed rounds is a skipped one.
   */
  it('catches a node skipping rounds at the rate the bound says (measured over 400 challenges)', async () => {
    const small: ProofParams = { ...params, m: 16, k: 16, rounds: 16 };
    const random = seeded(42);
    const trials = 400;
    const revealed = 6;
    for (const skipped of [4, 8]) {
      let caught = 0;
      for (let t = 0; t < trials; t++) {
        const skip = new Set(pickDistinct(small.rounds, skipped, random));
        const commitment = await computeCommitment(
          { ...small, seed: (t * 7919 + skipped).toString(16).padStart(32, '0') },
          { computeRound: (r) => !skip.has(r) },
        );
        const asked = pickDistinct(small.rounds, revealed, random);
        // A cheater can only reveal rounds it computed (the others' leaves have no known preimage).
        if (asked.some((r) => skip.has(r))) caught++;
        else
          expect(
            checkReveals(
              { ...small, seed: (t * 7919 + skipped).toString(16).padStart(32, '0') },
              commitment.root,
              asked,
              asked.map((r) =>
                revealRound(
                  { ...small, seed: (t * 7919 + skipped).toString(16).padStart(32, '0') },
                  commitment,
                  r,
                ),
              ),
              { rowsPerRound: 2 },
            ).ok,
          ).toBe(true);
      }
      // Exact chance of catching: 1 − C(R−skipped, s) / C(R, s).
      const choose = (n: number, r: number): number => (r === 0 ? 1 : (n * choose(n - 1, r - 1)) / r);
      const exact = 1 - choose(small.rounds - skipped, revealed) / choose(small.rounds, revealed);
      expect(Math.abs(caught / trials - exact)).toBeLessThan(0.08);
    }
  });
});

describe('the time bound', () => {
  it('plans about the target time of work for the claimed model, more rounds for faster models', () => {
    const h100 = planProof('h100-80gb', 'production', 10_000);
    const l4 = planProof('l4-24gb', 'production', 10_000);
    expect(h100.rounds).toBeGreaterThan(l4.rounds * 2);
    expect(Math.abs(h100.expectedMs - 10_000)).toBeLessThan(expectedRoundMs('h100-80gb', 8192, 2048));
    expect(planProof('h100-80gb', 'development', 15_000)).toEqual({
      ...DEVELOPMENT_SIZES,
      expectedMs: 15_000,
    });
  });

  it('passes up to expected ÷ 0.85, and a model slower than claimed cannot meet the claim', () => {
    const plan = planProof('h100-80gb', 'production', 10_000);
    expect(passBoundMs(plan.expectedMs)).toBe(Math.floor(plan.expectedMs / 0.85));
    // The same work on an RTX 4090 at the same efficiency.
    const on4090 = plan.rounds * expectedRoundMs('rtx-4090-24gb', 8192, 2048);
    expect(on4090).toBeGreaterThan(3 * passBoundMs(plan.expectedMs));
  });

  it('counts from the acknowledgement, and a slow acknowledgement beyond the cap against the node', () => {
    const sent = new Date('2026-01-01T00:00:00Z');
    const at = (ms: number) => new Date(sent.getTime() + ms);
    expect(timedPhaseMs(sent, at(1_500), at(11_500), 2_000)).toEqual({ elapsedMs: 10_000, ackMs: 1_500 });
    expect(timedPhaseMs(sent, at(5_000), at(15_000), 2_000)).toEqual({ elapsedMs: 13_000, ackMs: 5_000 });
  });
});
