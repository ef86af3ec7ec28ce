import { serverEnv } from '@/lib/env';

/** The knobs of hardware verification; tests pass their own, the app reads them from the environment. */
export interface VerificationConfig {
  /** sha256 steps per lane of a benchmark challenge. */
  benchmarkSteps: number;
  /** How long an honest GPU of the claimed model takes for a challenge. */
  benchmarkReferenceMs: number;
  /** Lanes the server recomputes to check an answer (all of them when the challenge has fewer). */
  sampledLanes: number;
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
  benchmarkSteps: 20_000,
  benchmarkReferenceMs: 20_000,
  sampledLanes: 2,
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
    benchmarkSteps: env.BENCHMARK_STEPS,
    benchmarkReferenceMs: env.BENCHMARK_REFERENCE_MS,
    reverifyIntervalMs: env.REVERIFY_INTERVAL_MS,
    canaryRate: env.CANARY_RATE,
  };
}
