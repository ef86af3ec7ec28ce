import { gpuModel } from '@/lib/market/gpu-models';

/**
 * How much work a GPU proof asks of a claimed model, and how long it may take. Documented (with what is and is
 * not measured) in docs/verification.md.
 */

/**
 * The share of a model's peak that the proof's kernel is ASSUMED to reach: NOT YET MEASURED on any GPU. The
 * first H100 run of `npm run bench:gpu-proof` replaces these with measured figures.
 */
export const ASSUMED_EFFICIENCY = { compute: 0.5, memory: 0.5 } as const;

/** A node must finish within expected ÷ (1 − this); a faster card than claimed does not hurt the customer. */
export const PROOF_SLACK = 0.15;

/** Production sizes: C_r is 8192×8192 from an inner dimension of 2048 (≈1.1 TFLOP per round). */
export const PRODUCTION_SIZES = { m: 8192, k: 2048 } as const;

/**
 * Development sizes: a few 64×64 rounds, done in milliseconds by any CPU. They prove the protocol (commit,
 * reveal, checks, timing), not the GPU: at these sizes the expected time is set, not derived.
 */
export const DEVELOPMENT_SIZES = { m: 64, k: 64, rounds: 8 } as const;

/**
 * Bytes of memory traffic per round the kernel is assumed to move: A_r written and read (2 bytes an entry), C_r
 * written and read in fp16, and about four passes over an int32 copy while fingerprinting.
 */
export function roundBytes(m: number, k: number): number {
  return 4 * m * k + 4 * m * m + 16 * m * m;
}

/** Multiply-adds × 2 of one round. */
export function roundFlops(m: number, k: number): number {
  return 2 * m * k * m;
}

/** Milliseconds one round takes on the claimed model at the assumed efficiency. */
export function expectedRoundMs(modelId: string, m: number, k: number): number {
  const model = gpuModel(modelId);
  const compute = roundFlops(m, k) / (model.tensorTflops * 1e12 * ASSUMED_EFFICIENCY.compute);
  const memory = roundBytes(m, k) / (model.memoryBandwidthGbs * 1e9 * ASSUMED_EFFICIENCY.memory);
  return (compute + memory) * 1000;
}

export type ProofSize = 'production' | 'development';

export interface ProofPlan {
  m: number;
  k: number;
  rounds: number;
  /** How long an honest GPU of the claimed model takes for the timed phase. */
  expectedMs: number;
}

/**
 * Production: as many rounds as the claimed model needs for about `targetMs`. Development: the fixed small
 * sizes, expected to take `targetMs` (the CPU path and the simulated fleet pace their answer to it).
 */
export function planProof(modelId: string, size: ProofSize, targetMs: number): ProofPlan {
  if (size === 'development') return { ...DEVELOPMENT_SIZES, expectedMs: targetMs };
  const { m, k } = PRODUCTION_SIZES;
  const perRound = expectedRoundMs(modelId, m, k);
  const rounds = Math.max(1, Math.round(targetMs / perRound));
  return { m, k, rounds, expectedMs: Math.round(rounds * perRound) };
}

/** The longest timed phase that passes. */
export function passBoundMs(expectedMs: number): number {
  return Math.floor(expectedMs / (1 - PROOF_SLACK));
}

/**
 * The timed phase as the server counts it: from the node's acknowledgement to its commitment, plus whatever
 * the acknowledgement took beyond `ackCapMs` after the challenge went out — so a node cannot start computing
 * before it acknowledges and gain more than the cap, while an honest node's network latency is not counted.
 */
export function timedPhaseMs(
  sentAt: Date,
  ackAt: Date,
  committedAt: Date,
  ackCapMs: number,
): { elapsedMs: number; ackMs: number } {
  const ackMs = Math.max(0, ackAt.getTime() - sentAt.getTime());
  const elapsedMs = Math.max(0, committedAt.getTime() - ackAt.getTime()) + Math.max(0, ackMs - ackCapMs);
  return { elapsedMs, ackMs };
}
