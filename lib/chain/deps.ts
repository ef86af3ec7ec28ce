import type { PublicClient } from 'viem';
import { AppError } from '@/lib/api/errors';
import type { ChainConfig } from '@/lib/chain/config';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';

/**
 * What the on-chain money code needs: the database, a clock, the configured chain and a client of it. Create
 * the client with `cacheTime: 0`: confirmations and reorg checks must see the newest block, not a cached one.
 */
export interface ChainDeps {
  db: Db;
  clock: Clock;
  chain: ChainConfig;
  client: PublicClient;
}

const TX_HASH = /^0x[0-9a-f]{64}$/;
const ADDRESS = /^0x[0-9a-f]{40}$/;

/** A transaction hash as stored: lower-case, validated (a malformed one is the caller's mistake). */
export function normalizeTxHash(value: string): `0x${string}` {
  const hash = value.toLowerCase();
  if (!TX_HASH.test(hash)) throw new AppError('bad_request', 'Not a transaction hash.');
  return hash as `0x${string}`;
}

/** An address as stored and compared: lower-case, validated. */
export function normalizeAddress(value: string): `0x${string}` {
  const address = value.toLowerCase();
  if (!ADDRESS.test(address)) throw new AppError('bad_request', 'Not an address.');
  return address as `0x${string}`;
}
