/**
 * What a job receipt (version 2) says about the hardware of each node that ran it: the node's verification
 * state, its quarantine date, its last benchmark before the job ended and its canary record. Types only, so
 * the signer on the server and the job page in the browser share one shape.
 */
export interface VerificationEvidence {
  state: string;
  quarantinedAt: string | null;
  lastBenchmark: {
    result: string;
    measuredScore: number;
    expectedMin: number;
    expectedMax: number;
    detail: string;
    at: string;
    challengeId: string | null;
    /**
     * The GPU proof behind the verdict (docs/verification.md); null for verdicts recorded before it, absent
     * in receipts signed before it.
     */
    proof?: {
      rounds: number;
      m: number;
      k: number;
      lanes: number;
      /** How long an honest GPU of the claimed model takes; the pass bound is this ÷ 0.85. */
      expectedMs: number;
      /** The timed phase as the server counted it; null when the node never committed. */
      elapsedMs: number | null;
      revealedRounds: number[];
    } | null;
  } | null;
  canaries: { passed: number; failed: number };
}
