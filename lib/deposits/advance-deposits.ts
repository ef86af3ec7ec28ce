import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Hash, TransactionReceipt } from 'viem';
import { deposits, type Deposit } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { isPlatformAddress } from '@/lib/chain/platform-addresses';
import { OPEN_STATES } from '@/lib/deposits/store';
import {
  confirmationsOf,
  findReceipt,
  transactionStatus,
  treasuryTransfersIn,
} from '@/lib/deposits/verify-transfer';
import { creditDeposit } from '@/lib/ledger/operations';

/** Open deposits looked at per pass; the rest wait for the next one. */
const BATCH = 500;

/** How long a transaction must be missing from the chain before its deposit is rejected as reorged. */
export const REORG_GRACE_MS = 60_000;

export type AdvanceOutcome = 'credited' | 'rejected' | 'waiting' | 'skipped';

/** The ledger idempotency key of a deposit: one credit per log, whoever gets there first. */
export function depositIdempotencyKey(row: Pick<Deposit, 'chainId' | 'txHash' | 'logIndex'>): string {
  return `deposit:${row.chainId}:${row.txHash}:${row.logIndex}`;
}

/** Rejects an open deposit for good with `rejection`. False when it was no longer open. */
async function rejectOpen(
  { db, clock }: ChainDeps,
  id: string,
  rejection: 'reorged' | 'platform_sender',
): Promise<boolean> {
  const updated = await db
    .update(deposits)
    .set({ state: 'rejected', rejection, updatedAt: clock.now() })
    .where(and(eq(deposits.id, id), inArray(deposits.state, OPEN_STATES)))
    .returning({ id: deposits.id });
  return updated.length > 0;
}

/** Marks an open deposit as reorged away; it is never spendable. False when it was no longer open. */
function rejectReorged(deps: ChainDeps, id: string): Promise<boolean> {
  return rejectOpen(deps, id, 'reorged');
}

/**
 * The transaction was re-mined in another block: finds this row's transfer in the new receipt and moves the
 * row there. Its log index may have changed (it counts within the block); a log another row already holds is
 * never taken over, so one transfer can't end up as two deposits. Null when the transfer is not there.
 */
async function followTransfer(
  { db, clock, chain }: ChainDeps,
  row: Deposit,
  receipt: TransactionReceipt,
): Promise<Deposit | null> {
  const verdict = treasuryTransfersIn(chain, receipt);
  if (!verdict.ok) return null;
  const candidates = verdict.transfers.filter(
    (t) => t.from === row.fromAddress && t.amountMicros === row.amountMicros,
  );
  let target = candidates.find((t) => t.logIndex === row.logIndex);
  if (!target) {
    const held = await db
      .select({ logIndex: deposits.logIndex })
      .from(deposits)
      .where(and(eq(deposits.chainId, row.chainId), eq(deposits.txHash, row.txHash)));
    const taken = new Set(held.map((h) => h.logIndex));
    target = candidates.find((t) => !taken.has(t.logIndex));
  }
  if (!target) return null;
  const [moved] = await db
    .update(deposits)
    .set({
      logIndex: target.logIndex,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      updatedAt: clock.now(),
    })
    .where(and(eq(deposits.id, row.id), inArray(deposits.state, OPEN_STATES)))
    .returning();
  return moved ?? null;
}

/**
 * Credits a deposit in one database transaction: the conditional UPDATE locks the row and only the first of
 * concurrent callers still finds it open; the ledger's idempotency key would refuse a second credit anyway.
 * It is credited only in the block it was verified in (`blockHash`).
 */
async function creditRow({ db, clock }: ChainDeps, id: string, blockHash: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [claimed] = await tx
      .update(deposits)
      .set({ updatedAt: now })
      .where(
        and(
          eq(deposits.id, id),
          inArray(deposits.state, OPEN_STATES),
          eq(deposits.blockHash, blockHash),
          isNotNull(deposits.accountId),
        ),
      )
      .returning();
    if (!claimed || claimed.accountId === null || claimed.amountMicros === null || claimed.logIndex === null)
      return false;
    const { transaction } = await creditDeposit(tx, clock, {
      customer: claimed.accountId,
      amountMicros: claimed.amountMicros,
      memo: `USDC deposit ${claimed.txHash}`,
      idempotencyKey: depositIdempotencyKey(claimed),
    });
    await tx
      .update(deposits)
      .set({ state: 'credited', ledgerTransactionId: transaction.id, creditedAt: now, updatedAt: now })
      .where(eq(deposits.id, claimed.id));
    return true;
  });
}

/**
 * One step of one deposit: re-reads its receipt (the chain is the truth, the row only a note of it), follows
 * a reorg, and credits it once it has the required confirmations. `receipt` may be passed when the caller
 * has just read it (undefined = read it here, null = known to be missing).
 */
export async function advanceDeposit(
  deps: ChainDeps,
  row: Deposit,
  context: { head: bigint; receipt?: TransactionReceipt | null },
): Promise<AdvanceOutcome> {
  if (!(OPEN_STATES as readonly string[]).includes(row.state) || row.accountId === null) return 'skipped';
  // The one place a deposit is credited, so the one place that must refuse the platform's own money, whichever
  // way the row got here (recorded before this check existed, attributed at a sign-in with a platform wallet).
  if (row.fromAddress !== null && isPlatformAddress(deps.chain, row.fromAddress))
    return (await rejectOpen(deps, row.id, 'platform_sender')) ? 'rejected' : 'skipped';
  const hash = row.txHash as Hash;
  const receipt = context.receipt === undefined ? await findReceipt(deps.client, hash) : context.receipt;
  if (!receipt) {
    // Still in the mempool after a reorg: it may be mined again, so wait. Gone entirely: never spendable —
    // but only once it has been gone for a grace period, since one node behind a load-balanced RPC may simply
    // not have it yet (the row's last change is when it was seen or moved). Uncredited either way.
    if ((await transactionStatus(deps.client, hash)) !== 'gone') return 'waiting';
    if (deps.clock.now().getTime() - row.updatedAt.getTime() < REORG_GRACE_MS) return 'waiting';
    return (await rejectReorged(deps, row.id)) ? 'rejected' : 'skipped';
  }
  // A node behind the block we saw (e.g. another node behind a load balancer) proves nothing yet.
  if (context.head < receipt.blockNumber) return 'waiting';
  let current: Deposit = row;
  if (receipt.blockHash !== row.blockHash) {
    const moved = await followTransfer(deps, row, receipt);
    if (!moved) return (await rejectReorged(deps, row.id)) ? 'rejected' : 'skipped';
    current = moved;
  }
  if (confirmationsOf(context.head, receipt.blockNumber) < current.confirmationsRequired) return 'waiting';
  return (await creditRow(deps, current.id, receipt.blockHash)) ? 'credited' : 'skipped';
}

/**
 * Moves every open deposit of the configured chain forward: credits those with enough confirmations, rejects
 * those reorged away (`reorged`) and follows those re-mined elsewhere. Safe to run concurrently with itself,
 * with submissions and with the indexer: each deposit is credited exactly once.
 */
export async function advanceDeposits(deps: ChainDeps): Promise<{ credited: number; rejected: number }> {
  const open = await deps.db
    .select()
    .from(deposits)
    .where(
      and(
        eq(deposits.chainId, deps.chain.chainId),
        inArray(deposits.state, OPEN_STATES),
        isNotNull(deposits.accountId),
      ),
    )
    .orderBy(asc(deposits.createdAt), asc(deposits.id))
    .limit(BATCH);
  const result = { credited: 0, rejected: 0 };
  if (open.length === 0) return result;
  const head = await deps.client.getBlockNumber({ cacheTime: 0 });
  // Several logs of one transaction share a receipt.
  const receipts = new Map<string, Promise<TransactionReceipt | null>>();
  for (const row of open) {
    let receipt = receipts.get(row.txHash);
    if (!receipt) {
      receipt = findReceipt(deps.client, row.txHash as Hash);
      receipts.set(row.txHash, receipt);
    }
    const outcome = await advanceDeposit(deps, row, { head, receipt: await receipt });
    if (outcome === 'credited') result.credited++;
    if (outcome === 'rejected') result.rejected++;
  }
  return result;
}
