import type { RateLimitRule } from '@/lib/auth/rate-limit';

const MINUTE = 60_000;

/** The limits of the endpoints that cost us something or guard money; tuned for people, not scripts. */
export const RATE_LIMITS = {
  signIn: [
    { name: 'sign-in', limit: 30, windowMs: MINUTE },
    { name: 'sign-in-all', limit: 600, windowMs: MINUTE, global: true },
  ],
  deposits: [{ name: 'deposit', limit: 30, windowMs: MINUTE }],
  payouts: [{ name: 'payout', limit: 10, windowMs: MINUTE }],
  withdrawals: [{ name: 'withdrawal', limit: 10, windowMs: MINUTE }],
  apiKeys: [{ name: 'api-key', limit: 20, windowMs: MINUTE }],
  launches: [{ name: 'launch', limit: 60, windowMs: MINUTE }],
  uploads: [{ name: 'upload', limit: 120, windowMs: MINUTE }],
  quotes: [{ name: 'quote', limit: 300, windowMs: MINUTE }],
  registrationTokens: [{ name: 'registration-token', limit: 20, windowMs: MINUTE }],
  nodeRegistration: [
    { name: 'node-register', limit: 30, windowMs: MINUTE },
    { name: 'node-register-all', limit: 300, windowMs: MINUTE, global: true },
  ],
  chainRpc: [
    { name: 'chain-rpc', limit: 600, windowMs: MINUTE },
    { name: 'chain-rpc-all', limit: 6000, windowMs: MINUTE, global: true },
  ],
} satisfies Record<string, RateLimitRule[]>;
