import { serverEnv } from '@/lib/env';
import { verificationConfig, type VerificationConfig } from '@/lib/verification/config';

/** The knobs of orchestration; tests pass their own, the app reads them from the environment. */
export interface OrchestrationConfig {
  heartbeatIntervalMs: number;
  /** A node silent this long is lost. */
  lostAfterMs: number;
  /** Platform share of each charge, basis points. */
  takeRateBp: number;
  /** Placements a job gets before it fails for lack of a host that stays up. */
  maxAttempts: number;
  /** Benchmarks and canaries; DEFAULT_VERIFICATION when not given. */
  verification?: VerificationConfig;
}

export const DEFAULT_ORCHESTRATION: OrchestrationConfig = {
  heartbeatIntervalMs: 5_000,
  lostAfterMs: 30_000,
  takeRateBp: 1_000,
  maxAttempts: 6,
};

export function orchestrationConfig(): OrchestrationConfig {
  const env = serverEnv();
  return {
    heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
    lostAfterMs: env.NODE_LOST_AFTER_MS,
    takeRateBp: env.TAKE_RATE_BP,
    maxAttempts: DEFAULT_ORCHESTRATION.maxAttempts,
    verification: verificationConfig(),
  };
}
