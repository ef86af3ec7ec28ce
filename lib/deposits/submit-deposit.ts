import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import { deposits, type Deposit } from '@/lib/db/schema';
import { advanceDeposit } from '@/lib/deposits/advance-deposits';
import { normalizeAddress, normalizeTxHash, type ChainDeps } from '@/lib/chain/deps';
import { isPlatformAddress } from '@/lib/chain/platform-addresses';
import type { DepositView } from '@/lib/deposits/schemas';
import { recordRejection, recordTransfer } from '@/lib/deposits/store';
import { findReceipt, treasuryTransfersIn } from '@/lib/deposits/verify-transfer';
import { currentHead, toDepositView } from '@/lib/deposits/views';

export interface SubmitDepositInput {
  accountId: string;
  /** The signed-in account's wallet: only transfers sent from it can be claimed. */
  walletAddress: string;
  chainId: number;
  txHash: string;
  /** What the wallet meant to send; a different log value rejects the submission (`amount_mismatch`). */
  expectedAmountMicros?: bigint;
}

/**
 * The dashboard's submission of a USDC transfer to the treasury, after the wallet saw its receipt. Everything
 * is read from the chain: the credited amount is always the Transfer log's value. A refused submission is
 * stored (and returned) as rejected with a reason, except when there is nothing to key it by (no such
 * transaction) or it is somebody else's transfer: a stranger must neither claim nor block it, so nothing is
 * stored and the indexer attributes it to its sender. A transfer from an address the platform controls is
 * refused as `platform_sender` (lib/chain/platform-addresses.ts).
 */
export async function submitDeposit(deps: ChainDeps, input: SubmitDepositInput): Promise<DepositView> {
  const { db, clock, chain, client } = deps;
  const txHash = normalizeTxHash(input.txHash);
  const wallet = normalizeAddress(input.walletAddress);
  const common = {
    chainId: input.chainId,
    txHash,
    accountId: input.accountId,
    confirmationsRequired: chain.confirmations,
  };
  if (input.chainId !== chain.chainId) {
    const row = await recordRejection(db, clock, { ...common, rejection: 'wrong_chain' });
    return toDepositView(chain, row, null);
  }

  const receipt = await findReceipt(client, txHash);
  if (!receipt)
    throw new AppError(
      'unprocessable',
      'This transaction is not mined on this chain yet; submit it again once your wallet shows it confirmed.',
    );
  const block = { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash };
  const verdict = treasuryTransfersIn(chain, receipt);
  if (!verdict.ok) {
    const row = await recordRejection(db, clock, { ...common, ...block, rejection: verdict.rejection });
    return toDepositView(chain, row, null);
  }
  const mine = verdict.transfers.filter((t) => t.from === wallet);
  if (mine.length === 0)
    throw new AppError('unprocessable', 'This transfer to the treasury was not sent from your wallet.');
  const total = mine.reduce((sum, t) => sum + t.amountMicros, 0n);
  // The platform's own money (the treasury paying itself, say a payout addressed to it) credits nobody, whoever signed in
  // with that wallet; the refusal is stored with its reason, as the indexer stores the transfer itself.
  if (isPlatformAddress(chain, wallet)) {
    const row = await recordRejection(db, clock, {
      ...common,
      ...block,
      rejection: 'platform_sender',
      fromAddress: wallet,
      amountMicros: total,
    });
    return toDepositView(chain, row, null);
  }
  if (input.expectedAmountMicros !== undefined && input.expectedAmountMicros !== total) {
    const row = await recordRejection(db, clock, {
      ...common,
      ...block,
      rejection: 'amount_mismatch',
      fromAddress: wallet,
      amountMicros: total,
    });
    return toDepositView(chain, row, null);
  }

  for (const transfer of mine) {
    await recordTransfer(db, clock, {
      ...common,
      ...block,
      logIndex: transfer.logIndex,
      fromAddress: transfer.from,
      amountMicros: transfer.amountMicros,
      source: 'dashboard',
    });
  }
  const rows = await db
    .select()
    .from(deposits)
    .where(
      and(
        eq(deposits.chainId, chain.chainId),
        eq(deposits.txHash, txHash),
        inArray(
          deposits.logIndex,
          mine.map((t) => t.logIndex),
        ),
      ),
    )
    .orderBy(asc(deposits.logIndex));
  const owned: Deposit[] = [];
  for (const row of rows) owned.push(await claimRow(deps, row, input.accountId));

  const head = await currentHead(deps);
  for (const row of owned) await advanceDeposit(deps, row, { head, receipt });
  const [first] = await db
    .select()
    .from(deposits)
    .where(
      inArray(
        deposits.id,
        owned.map((r) => r.id),
      ),
    )
    .orderBy(asc(deposits.logIndex))
    .limit(1);
  if (!first) throw new Error('submitted deposit disappeared');
  return toDepositView(chain, first, head);
}

/**
 * The row of a transfer from the submitter's wallet. The indexer may have found it first while the wallet had
 * no account (unattributed): the submission then attributes it.
 */
async function claimRow({ db, clock }: ChainDeps, row: Deposit, accountId: string): Promise<Deposit> {
  if (row.accountId === accountId) return row;
  if (row.accountId === null) {
    const [claimed] = await db
      .update(deposits)
      .set({ accountId, state: 'seen', updatedAt: clock.now() })
      .where(and(eq(deposits.id, row.id), isNull(deposits.accountId), eq(deposits.state, 'unattributed')))
      .returning();
    if (claimed) return claimed;
    // A concurrent submission of the same account may have claimed it first.
    const [current] = await db.select().from(deposits).where(eq(deposits.id, row.id)).limit(1);
    if (current?.accountId === accountId) return current;
  }
  throw new AppError('conflict', 'This transfer cannot be claimed by this account.');
}
