import { randomInt } from 'node:crypto';
import {
  fingerprintKeys,
  generateB,
  rowFingerprint,
  rowOfA,
  roundLeaf,
  verifyMerklePath,
  type ProofParams,
  type RoundReveal,
} from '@/lib/verification/gpu-proof';

/**
 * The server's side of the GPU proof: picking the rounds to reveal (after the root arrived, so the node cannot
 * know them while it computes) and checking what the node revealed — each fingerprint vector against the
 * committed root, and a few rows of each recomputed on the CPU. Documented in docs/verification.md.
 */

/** `count` distinct values of 0…n−1, uniformly at random (crypto-strong: the node must not predict them). */
export function pickDistinct(n: number, count: number, random: (n: number) => number = randomInt): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  const take = Math.min(count, n);
  for (let i = 0; i < take; i++) {
    const j = i + random(n - i);
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, take).sort((a, b) => a - b);
}

export interface RevealCheck {
  ok: boolean;
  detail: string;
}

export interface CheckRevealsOptions {
  /** Rows of each revealed round recomputed on the CPU. */
  rowsPerRound: number;
  /** Source of the random rows (crypto-strong unless a test gives its own). */
  random?: (n: number) => number;
}

/**
 * Checks the revealed rounds: exactly the rounds asked for, each vector of m values whose leaf lies under the
 * committed root, and `rowsPerRound` random rows of each equal to the CPU's recomputation.
 */
export function checkReveals(
  params: ProofParams,
  rootHex: string,
  asked: readonly number[],
  reveals: readonly RoundReveal[],
  options: CheckRevealsOptions,
): RevealCheck {
  const byRound = new Map(reveals.map((r) => [r.round, r]));
  if (byRound.size !== reveals.length || reveals.length !== asked.length)
    return { ok: false, detail: `Revealed ${reveals.length} round(s); ${asked.length} were asked for.` };
  const root = Buffer.from(rootHex, 'hex');
  let b: Int8Array | null = null;
  let keys: ReturnType<typeof fingerprintKeys> | null = null;
  for (const round of asked) {
    const reveal = byRound.get(round);
    if (!reveal) return { ok: false, detail: `Round ${round} was asked for and not revealed.` };
    const bytes = Buffer.from(reveal.fingerprint, 'base64');
    if (bytes.length !== params.m * 4)
      return {
        ok: false,
        detail: `Round ${round}: ${bytes.length} bytes revealed, ${params.m * 4} expected.`,
      };
    const path = reveal.path.map((h) => Buffer.from(h, 'hex'));
    if (!verifyMerklePath(root, params.rounds, round, roundLeaf(round, bytes), path))
      return { ok: false, detail: `Round ${round} does not match the committed root.` };
    b ??= generateB(params);
    keys ??= fingerprintKeys(params);
    for (const row of pickDistinct(params.m, options.rowsPerRound, options.random)) {
      const expected = rowFingerprint(params, b, keys, rowOfA(params, round, row));
      if (bytes.readUInt32LE(row * 4) !== expected)
        return { ok: false, detail: `Round ${round}, row ${row}: the product is wrong.` };
    }
  }
  return { ok: true, detail: `${asked.length} revealed round(s) match the root and their sampled rows.` };
}
