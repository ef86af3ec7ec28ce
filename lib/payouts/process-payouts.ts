import { and, asc, eq } from 'drizzle-orm';
import { erc20Abi, type Hash, type LocalAccount } from 'viem';
import { payouts, type Payout, type PayoutState } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { confirmationsOf, findReceipt, transactionStatus } from '@/lib/deposits/verify-transfer';
import { reversePayout, reverseWithdrawal, settlePayout, settleWithdrawal } from '@/lib/ledger/operations';
import {
  broadcastRecorded,
  firstLine,
  isSigned,
  nonceUsedByAnother,
  type SignedPayout,
} from '@/lib/payouts/broadcast';
import { payoutKeys } from '@/lib/payouts/request-payout';
import { signPayout } from '@/lib/payouts/sign-payout';

/** Payouts looked at per state and pass. */
const BATCH = 100;
/** Headroom over the gas estimate: the state may change between estimate and inclusion. */
const GAS_MARGIN_PERCENT = 125n;

export interface ProcessPayoutsHooks {
  /** Called after a payout's transaction was broadcast and before it is marked sent (tests crash here). */
  afterBroadcast?(payout: Payout): void | Promise<void>;
}

export interface ProcessPayoutsSummary {
  /** Newly signed and broadcast. */
  sent: number;
  /** Found signed after a crash and broadcast again (the same transaction) or found mined. */
  recovered: number;
  confirmed: number;
  failed: number;
  /** Problems that leave a payout where it is, to be retried on the next pass. */
  errors: string[];
}

async function openPayouts(deps: ChainDeps, state: PayoutState): Promise<Payout[]> {
  return deps.db
    .select()
    .from(payouts)
    .where(and(eq(payouts.chainId, deps.chain.chainId), eq(payouts.state, state)))
    .orderBy(asc(payouts.createdAt), asc(payouts.id))
    .limit(BATCH);
}

async function markSent({ db, clock }: ChainDeps, id: string): Promise<void> {
  await db
    .update(payouts)
    .set({ state: 'sent', updatedAt: clock.now() })
    .where(and(eq(payouts.id, id), eq(payouts.state, 'signed')));
}

/**
 * Ends a payout in one database transaction: the UPDATE is conditional on the state it was seen in, so only
 * one of concurrent processors gets through, and the ledger movement has an idempotency key as well.
 * Confirmed → the reserve leaves the ledger; failed → it returns to the balance it came from (a supplier's
 * payable, a customer's available balance).
 */
async function finish(
  { db, clock }: ChainDeps,
  row: Payout,
  outcome: { state: 'confirmed' } | { state: 'failed'; reason: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [ended] = await tx
      .update(payouts)
      .set(
        outcome.state === 'confirmed'
          ? { state: 'confirmed', confirmedAt: now, updatedAt: now }
          : { state: 'failed', failureReason: outcome.reason, updatedAt: now },
      )
      .where(and(eq(payouts.id, row.id), eq(payouts.state, row.state)))
      .returning();
    if (!ended) return false;
    const keys = payoutKeys(ended.id);
    const confirmed = outcome.state === 'confirmed';
    const ending = {
      amountMicros: ended.amountMicros,
      idempotencyKey: confirmed ? keys.settle : keys.reverse,
    };
    if (ended.source === 'customer_balance') {
      const movement = { ...ending, customer: ended.accountId };
      const memo = `Withdrawal ${ended.id} ${confirmed ? 'confirmed' : 'failed'}`;
      await (confirmed ? settleWithdrawal : reverseWithdrawal)(tx, clock, { ...movement, memo });
    } else {
      const movement = { ...ending, supplier: ended.accountId };
      const memo = `Payout ${ended.id} ${confirmed ? 'confirmed' : 'failed'}`;
      await (confirmed ? settlePayout : reversePayout)(tx, clock, { ...movement, memo });
    }
    return true;
  });
}

/**
 * A payout's transaction is not known to the node: broadcast the recorded bytes again. If that can't work
 * because its nonce was used by another, settled transaction, the payout failed and its amount is returned.
 */
async function rebroadcastOrFail(
  deps: ChainDeps,
  row: SignedPayout,
  head: bigint,
  summary: ProcessPayoutsSummary,
): Promise<boolean> {
  const broadcast = await broadcastRecorded(deps, row);
  if (broadcast.known) return true;
  if (await nonceUsedByAnother(deps, row, head)) {
    const reason = 'Its treasury nonce was used by another transaction; nothing was sent.';
    if (await finish(deps, row, { state: 'failed', reason })) summary.failed++;
  } else {
    summary.errors.push(`payout ${row.id}: broadcast failed: ${broadcast.error}`);
  }
  return false;
}

/** `signed` payouts are those a crash may have interrupted: found mined, or the same bytes sent again. */
async function recoverSigned(deps: ChainDeps, summary: ProcessPayoutsSummary): Promise<void> {
  const rows = (await openPayouts(deps, 'signed')).filter(isSigned);
  if (rows.length === 0) return;
  const head = await deps.client.getBlockNumber({ cacheTime: 0 });
  for (const row of rows) {
    const mined = (await findReceipt(deps.client, row.txHash as Hash)) !== null;
    if (mined || (await rebroadcastOrFail(deps, row, head, summary))) {
      await markSent(deps, row.id);
      summary.recovered++;
    }
  }
}

/** Gas, fees and the chain's nonce for one payout; null (with the reason in the summary) when not possible now. */
async function transactionParams(
  deps: ChainDeps,
  signer: LocalAccount,
  row: Payout,
  summary: ProcessPayoutsSummary,
) {
  try {
    const [estimate, fees, chainNonce] = await Promise.all([
      deps.client.estimateContractGas({
        account: signer.address,
        address: deps.chain.usdcAddress,
        abi: erc20Abi,
        functionName: 'transfer',
        args: [row.toAddress as `0x${string}`, row.amountMicros],
      }),
      deps.client.estimateFeesPerGas(),
      deps.client.getTransactionCount({ address: signer.address, blockTag: 'pending' }),
    ]);
    return {
      chainNonce,
      gas: (estimate * GAS_MARGIN_PERCENT) / 100n,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    };
  } catch (error) {
    // E.g. the treasury holds too little USDC right now: the payout waits, requested, rather than burn gas.
    summary.errors.push(`payout ${row.id}: cannot prepare its transaction: ${firstLine(error)}`);
    return null;
  }
}

/** `requested` payouts: sign (recorded first), broadcast, then mark sent. */
async function sendRequested(
  deps: ChainDeps,
  hooks: ProcessPayoutsHooks,
  summary: ProcessPayoutsSummary,
): Promise<void> {
  const rows = await openPayouts(deps, 'requested');
  if (rows.length === 0) return;
  const signer = deps.chain.treasuryAccount;
  if (signer?.type !== 'local') {
    summary.errors.push('payouts are waiting: no local treasury signing key is configured');
    return;
  }
  for (const row of rows) {
    const params = await transactionParams(deps, signer, row, summary);
    if (!params) continue;
    const signed = await signPayout(deps, signer, row.id, params);
    if (!signed || !isSigned(signed)) continue;
    const broadcast = await broadcastRecorded(deps, signed);
    if (!broadcast.known) {
      // Recorded as signed: the next pass broadcasts the same transaction again.
      summary.errors.push(`payout ${signed.id}: broadcast failed: ${broadcast.error}`);
      continue;
    }
    await hooks.afterBroadcast?.(signed);
    await markSent(deps, signed.id);
    summary.sent++;
  }
}

/** `sent` payouts: confirmed or failed once the receipt has the required confirmations. */
async function settleSent(deps: ChainDeps, summary: ProcessPayoutsSummary): Promise<void> {
  const rows = (await openPayouts(deps, 'sent')).filter(isSigned);
  if (rows.length === 0) return;
  const head = await deps.client.getBlockNumber({ cacheTime: 0 });
  for (const row of rows) {
    const receipt = await findReceipt(deps.client, row.txHash as Hash);
    if (!receipt) {
      // Dropped from the mempool or reorged out: the same transaction goes out again.
      if ((await transactionStatus(deps.client, row.txHash as Hash)) === 'gone')
        await rebroadcastOrFail(deps, row, head, summary);
      continue;
    }
    // A revert can be reorged away too: a failure is final only with the same confirmations as a success.
    if (confirmationsOf(head, receipt.blockNumber) < deps.chain.confirmations) continue;
    const outcome =
      receipt.status === 'success'
        ? ({ state: 'confirmed' } as const)
        : ({
            state: 'failed',
            reason: 'The transfer reverted on-chain; the amount is payable again.',
          } as const);
    if (await finish(deps, row, outcome)) summary[outcome.state === 'confirmed' ? 'confirmed' : 'failed']++;
  }
}

/**
 * Moves payouts along: recovers those a crash left `signed`, signs and sends `requested` ones, and confirms or
 * fails `sent` ones. Database transactions are short and never span an RPC call. Safe to run concurrently:
 * a payout is claimed before it is signed, so it is signed once and sent once.
 */
export async function processPayouts(
  deps: ChainDeps,
  hooks: ProcessPayoutsHooks = {},
): Promise<ProcessPayoutsSummary> {
  const summary: ProcessPayoutsSummary = { sent: 0, recovered: 0, confirmed: 0, failed: 0, errors: [] };
  await recoverSigned(deps, summary);
  await sendRequested(deps, hooks, summary);
  await settleSent(deps, summary);
  return summary;
}
