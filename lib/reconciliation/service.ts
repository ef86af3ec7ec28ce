import type { ServiceContext } from '@/lib/api/context';
import type { Db } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';
import { reconcileWithChain, unavailableReconciliation } from '@/lib/reconciliation/reconcile';
import type { Reconciliation } from '@/lib/reconciliation/schemas';

/** It reads the chain: shared caches may keep an answer half a minute. */
export const RECONCILIATION_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';
/** How long this process reuses a reconciliation (and shares one in flight) before reading the chain again. */
export const RECONCILIATION_TTL_MS = 30_000;

interface Cached {
  key: string;
  at: number;
  result: Promise<Reconciliation>;
}

const cache = new WeakMap<Db, Cached>();

/** Forgets the cached reconciliation of a database (tests, after changing the world). */
export function clearReconciliationCache(db: Db): void {
  cache.delete(db);
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The public reconciliation of the ledger with the configured chain, cached for RECONCILIATION_TTL_MS (one
 * read of the chain in flight at a time). Without a chain, or when the chain cannot be read, it answers
 * `status: 'unavailable'` with the reason, never an error. `timeoutMs` bounds the wait (the page's render).
 */
export async function chainReconciliation(
  ctx: Pick<ServiceContext, 'db' | 'clock' | 'chain' | 'chainClient'>,
  options: { timeoutMs?: number } = {},
): Promise<Reconciliation> {
  const { db, clock, chain, chainClient } = ctx;
  if (!chain)
    return unavailableReconciliation(
      'No chain is configured on this server (CHAIN_RPC_URL), so there is nothing to reconcile the ledger with.',
      clock.now(),
    );
  if (!chainClient)
    return unavailableReconciliation(
      'No client of the configured chain is available on this server.',
      clock.now(),
    );
  const startBlock = BigInt(serverEnv().RECONCILIATION_START_BLOCK ?? 0);
  const key = `${chain.chainId}:${chain.usdcAddress}:${chain.treasuryAddress}:${startBlock}`;
  const now = Date.now();
  let entry = cache.get(db);
  if (!entry || entry.key !== key || now - entry.at >= RECONCILIATION_TTL_MS) {
    const result = reconcileWithChain({ db, clock, chain, client: chainClient }, { startBlock }).catch(
      (error: unknown) => {
        console.error('[reconciliation] the chain could not be read', error);
        return unavailableReconciliation(
          `The chain (${chain.name}) could not be read just now; the reconciliation is retried shortly.`,
          clock.now(),
        );
      },
    );
    entry = { key, at: now, result };
    cache.set(db, entry);
  }
  if (options.timeoutMs === undefined) return entry.result;
  return withTimeout(entry.result, options.timeoutMs, () =>
    unavailableReconciliation(
      'The chain did not answer in time; the reconciliation is retried shortly.',
      clock.now(),
    ),
  );
}
