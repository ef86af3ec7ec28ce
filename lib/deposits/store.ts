import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { deposits, type Deposit, type DepositRejection } from '@/lib/db/schema';

/** The states in which a deposit is on its way to being credited. */
export const OPEN_STATES = ['seen', 'confirmed'] as const;

/** A USDC Transfer log to the treasury, as found in a receipt or by the indexer. */
export interface TransferRecord {
  chainId: number;
  txHash: `0x${string}`;
  logIndex: number;
  fromAddress: `0x${string}`;
  amountMicros: bigint;
  blockNumber: bigint;
  blockHash: `0x${string}`;
  /** Null when no account owns the sending wallet (the row is then `unattributed`). */
  accountId: string | null;
  source: 'dashboard' | 'indexer';
  confirmationsRequired: number;
  /**
   * Set when the transfer can never be a deposit however it is confirmed: the row is stored `rejected` with this
   * reason at once (kept as a record of the transfer, never credited).
   */
  rejection?: Extract<DepositRejection, 'platform_sender'>;
}

/**
 * Records a transfer once: the unique (chain id, tx hash, log index) index, not code, decides who wins when the
 * dashboard and the indexer (or many submissions) race, so a log can never become two deposits. When the row
 * exists because the transfer was reorged away and it has now reappeared at the same place, it is revived.
 */
export async function recordTransfer(
  db: Db,
  clock: Clock,
  record: TransferRecord,
): Promise<'inserted' | 'revived' | 'existing'> {
  const now = clock.now();
  const inserted = await db
    .insert(deposits)
    .values({
      ...record,
      state: record.rejection ? 'rejected' : record.accountId === null ? 'unattributed' : 'seen',
      rejection: record.rejection ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: deposits.id });
  if (inserted.length > 0) return 'inserted';
  // A transfer that can never be credited is not revived towards a credit either.
  if (record.rejection) return 'existing';
  const revived = await db
    .update(deposits)
    .set({
      state: sql`case when ${deposits.accountId} is null then 'unattributed' else 'seen' end::deposit_state`,
      rejection: null,
      blockNumber: record.blockNumber,
      blockHash: record.blockHash,
      updatedAt: now,
    })
    .where(
      and(
        eq(deposits.chainId, record.chainId),
        eq(deposits.txHash, record.txHash),
        eq(deposits.logIndex, record.logIndex),
        eq(deposits.state, 'rejected'),
        eq(deposits.rejection, 'reorged'),
        eq(deposits.fromAddress, record.fromAddress),
        eq(deposits.amountMicros, record.amountMicros),
      ),
    )
    .returning({ id: deposits.id });
  return revived.length > 0 ? 'revived' : 'existing';
}

export interface RejectionRecord {
  chainId: number;
  txHash: `0x${string}`;
  accountId: string;
  rejection: DepositRejection;
  confirmationsRequired: number;
  fromAddress?: `0x${string}`;
  amountMicros?: bigint;
  blockNumber?: bigint;
  blockHash?: `0x${string}`;
}

/**
 * Stores a refused dashboard submission, without a log index: it claims no log, so the transfer (if it is
 * real) stays free for the indexer to attribute to its actual sender. Unique per (chain, tx, account): a
 * repeat returns the row stored the first time.
 */
export async function recordRejection(db: Db, clock: Clock, record: RejectionRecord): Promise<Deposit> {
  const now = clock.now();
  const [inserted] = await db
    .insert(deposits)
    .values({
      ...record,
      logIndex: null,
      source: 'dashboard',
      state: 'rejected',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [existing] = await db
    .select()
    .from(deposits)
    .where(
      and(
        eq(deposits.chainId, record.chainId),
        eq(deposits.txHash, record.txHash),
        eq(deposits.accountId, record.accountId),
        isNull(deposits.logIndex),
      ),
    )
    .limit(1);
  if (!existing) throw new Error('rejected deposit neither inserted nor found');
  return existing;
}
