import { serverEnv } from '@/lib/env';
import type { ProofSize } from '@/lib/verification/gpu-proof-bound';

/** The knobs of hardware verification; tests pass their own, the app reads them from the environment. */
export interface VerificationConfig {
  /** Sizes of the GPU proof: production, or development (the protocol at sizes any CPU does at once). */
  proofSize: ProofSize;
  /** How long an honest GPU of the claimed model takes for the proof's timed phase. */
  benchmarkReferenceMs: number;
  /** An acknowledgement slower than this after the challenge went out counts against the node. */
  ackCapMs: number;
  /** Rounds the node must reveal once its root arrived. */
  revealRounds: number;
  /** Rows of each revealed round the server recomputes. */
  rowsPerRound: number;
  /** How long the node has to reveal (untimed, but bounded) once its root arrived. */
  revealWindowMs: number;
  /** A verified node is benchmarked again once its last pass is older than this. */
  reverifyIntervalMs: number;
  /** New challenges issued per orchestration tick, so a fleet coming online is benchmarked gradually. */
  challengesPerTick: number;
  /** Chance that a node's next assignment, after each one it finishes, is a canary (q in docs/verification.md). */
  canaryRate: number;
  /** sha256 steps of a canary job (a single lane). */
  canarySteps: number;
  /** A canary's work, in the custom template's work-seconds (a reference GPU needs this long). */
  canaryWorkUnits: number;
}

export const DEFAULT_VERIFICATION: VerificationConfig = {
  proofSize: 'production',
  benchmarkReferenceMs: 20_000,
  ackCapMs: 2_000,
  revealRounds: 6,
  rowsPerRound: 2,
  revealWindowMs: 120_000,
  reverifyIntervalMs: 7 * 24 * 3_600_000,
  challengesPerTick: 10,
  canaryRate: 0.05,
  canarySteps: 20_000,
  canaryWorkUnits: 30,
};

export function verificationConfig(): VerificationConfig {
  const env = serverEnv();
  return {
    ...DEFAULT_VERIFICATION,
    proofSize: env.GPU_PROOF_SIZE ?? (env.DEMO_NETWORK ? 'development' : 'production'),
    benchmarkReferenceMs: env.BENCHMARK_REFERENCE_MS,
    reverifyIntervalMs: env.REVERIFY_INTERVAL_MS,
    canaryRate: env.CANARY_RATE,
  };
}
