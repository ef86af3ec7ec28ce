/**
 * Windows of the "verified within" filter: an offer matches when its hardware last passed a check (benchmark
 * or canary job) no longer ago than this. Zod-free: the browser imports it for the market's URL state.
 */
export const VERIFIED_WITHIN = ['24h', '7d', '30d'] as const;
export type VerifiedWithin = (typeof VERIFIED_WITHIN)[number];

const HOUR_MS = 3_600_000;

export const VERIFIED_WITHIN_MS: Record<VerifiedWithin, number> = {
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

export const VERIFIED_WITHIN_LABELS: Record<VerifiedWithin, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

/** How a node's hardware was checked: a timed benchmark challenge, or a canary job with a known answer. */
export const VERIFICATION_METHODS = ['benchmark', 'canary'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const VERIFICATION_METHOD_LABELS: Record<VerificationMethod, string> = {
  benchmark: 'benchmark',
  canary: 'canary job',
};
