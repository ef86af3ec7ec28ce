import { foundry } from 'viem/chains';
import type { ServerEnv } from '@/lib/env';

/**
 * Settings that one instance may leave to its defaults but several instances on one database may not: each
 * would otherwise make up its own secret or origin, and the instances would disagree. `npm run serve` and
 * `npm run worker` refuse to start on a shared database (DATABASE_URL) while any is missing; `npm start`, one
 * embedded instance by construction, keeps its generated defaults.
 */
export interface MissingSetting {
  name: string;
  why: string;
}

export function missingSharedSettings(env: ServerEnv): MissingSetting[] {
  if (!env.DATABASE_URL) return [];
  const missing: MissingSetting[] = [];
  if (!env.RECEIPT_SIGNING_KEY)
    missing.push({
      name: 'RECEIPT_SIGNING_KEY',
      why: 'each instance would sign receipts with a key of its own, and receipts would not verify against the published signer',
    });
  if (!env.APP_ORIGIN)
    missing.push({
      name: 'APP_ORIGIN',
      why: 'sign-in messages and the same-origin check would name each instance’s own address, not the public one',
    });
  if (env.CHAIN_RPC_URL && env.CHAIN_ID !== foundry.id && !env.TREASURY_PRIVATE_KEY)
    missing.push({
      name: 'TREASURY_PRIVATE_KEY',
      why: 'no worker could sign supplier payouts from the treasury on the configured chain',
    });
  if (env.STORAGE_BACKEND === 'local' && !env.STORAGE_SIGNING_KEY)
    missing.push({
      name: 'STORAGE_SIGNING_KEY',
      why: 'each instance would sign storage URLs with a key of its own, so a URL from one would be refused by another (or use STORAGE_BACKEND=s3)',
    });
  return missing;
}

/** Throws one error naming every missing setting and why it matters. */
export function assertSafeForSharedDatabase(env: ServerEnv): void {
  const missing = missingSharedSettings(env);
  if (missing.length === 0) return;
  throw new Error(
    `refusing to start on a shared database (DATABASE_URL) without ${missing.map((m) => m.name).join(', ')}:\n` +
      missing.map((m) => `  - ${m.name}: ${m.why}`).join('\n') +
      '\nSet them to the same values on every instance (docs/deploy.md).',
  );
}
