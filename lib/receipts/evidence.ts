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
  } | null;
  canaries: { passed: number; failed: number };
}
