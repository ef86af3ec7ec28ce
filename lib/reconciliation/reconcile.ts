import { sql } from 'drizzle-orm';
import { erc20Abi, isAddressEqual, zeroAddress, type Address, type Hash } from 'viem';
import type { ChainDeps } from '@/lib/chain/deps';
import { isPlatformAddress } from '@/lib/chain/platform-addresses';
import { queryRows } from '@/lib/db/client';
import { confirmationsOf, findReceipt, transferEvent } from '@/lib/deposits/verify-transfer';
import type {
  Reconciliation,
  ReconciliationDifference,
  ReconciliationDifferenceKind,
  ReconciliationSeverity,
} from '@/lib/reconciliation/schemas';

/** Blocks per eth_getLogs request, as the deposit indexer: public RPC endpoints refuse wide ranges. */
const CHUNK_BLOCKS = 2_000n;
/** An open deposit record with its confirmations but not credited yet waits this long for the credit loop. */
export const PENDING_GRACE_MS = 10 * 60_000;
/** Differences listed one by one in an answer; the rest are counted. */
export const DIFFERENCE_LIMIT = 500;

export interface ReconcileOptions {
  /** The first block scanned (the treasury's opening balance is read just before it). Default 0. */
  startBlock?: bigint;
  chunkBlocks?: bigint;
  limit?: number;
}

interface ChainTransfer {
  txHash: string;
  logIndex: number;
  blockNumber: bigint;
  from: Address;
  to: Address;
  amount: bigint;
}

const key = (txHash: string, logIndex: number | null) => `${txHash.toLowerCase()}:${logIndex ?? '-'}`;
const sum = (values: Iterable<bigint>) => {
  let total = 0n;
  for (const v of values) total += v;
  return total;
};

/** Every USDC Transfer log into (`to`) or out of (`from`) the treasury in [from, to], chunked like the indexer. */
async function treasuryTransfers(
  { client, chain }: ChainDeps,
  side: 'to' | 'from',
  fromBlock: bigint,
  toBlock: bigint,
  chunk: bigint,
): Promise<ChainTransfer[]> {
  const transfers: ChainTransfer[] = [];
  for (let start = fromBlock; start <= toBlock; start += chunk) {
    const end = start + chunk - 1n < toBlock ? start + chunk - 1n : toBlock;
    const logs = await client.getLogs({
      address: chain.usdcAddress,
      event: transferEvent,
      args: side === 'to' ? { to: chain.treasuryAddress } : { from: chain.treasuryAddress },
      fromBlock: start,
      toBlock: end,
      strict: true,
    });
    for (const log of logs) {
      if (log.removed || log.transactionHash === null || log.logIndex === null || log.blockNumber === null)
        continue;
      transfers.push({
        txHash: log.transactionHash.toLowerCase(),
        logIndex: log.logIndex,
        blockNumber: log.blockNumber,
        from: log.args.from,
        to: log.args.to,
        amount: log.args.value,
      });
    }
  }
  return transfers;
}

async function treasuryBalance({ client, chain }: ChainDeps, blockNumber: bigint): Promise<bigint> {
  return client.readContract({
    address: chain.usdcAddress,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [chain.treasuryAddress],
    blockNumber,
  });
}

interface DepositCreditRow {
  transaction_id: string;
  amount: string;
  deposit_id: string | null;
  chain_id: number | null;
  tx_hash: string | null;
  log_index: number | null;
  block_number: string | null;
  state: string | null;
}

interface DepositRecordRow {
  id: string;
  tx_hash: string;
  log_index: number;
  state: string;
  rejection: string | null;
  confirmations_required: number;
  updated_ms: number;
  ledger_transaction_id: string | null;
}

interface PayoutSettleRow {
  /** `payout` (a supplier's earnings) or `withdrawal` (a customer's unused balance). */
  kind: 'payout' | 'withdrawal';
  transaction_id: string;
  amount: string;
  payout_id: string | null;
  chain_id: number | null;
  tx_hash: string | null;
  to_address: string | null;
  state: string | null;
}

interface PayoutRecordRow {
  id: string;
  tx_hash: string;
  state: string;
  to_address: string;
  amount: string;
}

/**
 * The ledger side: deposit credits, simulated funding, settled payouts, simulated payouts, and the records
 * behind them.
 */
async function readLedger({ db, chain }: ChainDeps) {
  const [credits, simulated, simulatedPayouts, records, settles, payoutRecords] = await Promise.all([
    queryRows<DepositCreditRow>(
      db,
      sql`select t.id as transaction_id, p.amount_micros::text as amount, d.id as deposit_id, d.chain_id,
                 d.tx_hash, d.log_index, d.block_number::text as block_number, d.state
            from ledger_transactions t
            join ledger_postings p on p.transaction_id = t.id
            join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'customer_available'
            left join deposits d on d.ledger_transaction_id = t.id
           where t.kind = 'deposit' and p.currency = 'usdc'
           order by t.created_at, t.id`,
    ),
    queryRows<{ count: number; total: string }>(
      db,
      sql`select count(*)::int as count, coalesce(sum(p.amount_micros), 0)::text as total
            from ledger_transactions t
            join ledger_postings p on p.transaction_id = t.id
            join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'customer_available'
           where t.kind = 'simulated_funding' and p.currency = 'usdc'`,
    ),
    // The simulated demo suppliers' ledger-only withdrawals: the amount that left for `external`.
    queryRows<{ count: number; total: string }>(
      db,
      sql`select count(*)::int as count, coalesce(sum(p.amount_micros), 0)::text as total
            from ledger_transactions t
            join ledger_postings p on p.transaction_id = t.id
            join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'external'
           where t.kind = 'simulated_payout' and p.currency = 'usdc'`,
    ),
    queryRows<DepositRecordRow>(
      db,
      sql`select id, tx_hash, log_index, state, rejection, confirmations_required,
                 (extract(epoch from updated_at) * 1000)::float8 as updated_ms, ledger_transaction_id
            from deposits
           where chain_id = ${chain.chainId} and log_index is not null`,
    ),
    // A settled payout's (or withdrawal's) ledger transaction is keyed `payout:<payout id>`
    // (lib/payouts/request-payout.ts): both are transfers out of the treasury through the payouts table.
    queryRows<PayoutSettleRow>(
      db,
      sql`select t.kind, t.id as transaction_id, p.amount_micros::text as amount, po.id as payout_id, po.chain_id,
                 po.tx_hash, po.to_address, po.state
            from ledger_transactions t
            join ledger_postings p on p.transaction_id = t.id
            join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'external'
            left join payouts po on t.idempotency_key = 'payout:' || po.id::text
           where t.kind in ('payout', 'withdrawal') and p.currency = 'usdc'
           order by t.created_at, t.id`,
    ),
    queryRows<PayoutRecordRow>(
      db,
      sql`select id, tx_hash, state, to_address, amount_micros::text as amount
            from payouts
           where chain_id = ${chain.chainId} and tx_hash is not null`,
    ),
  ]);
  const none = { count: 0, total: '0' };
  return {
    credits,
    simulated: simulated[0] ?? none,
    simulatedPayouts: simulatedPayouts[0] ?? none,
    records,
    settles,
    payoutRecords,
  };
}

/**
 * Reconciles the ledger with the chain itself. The chain side is read from the chain, never from the deposit
 * or payout tables: the treasury's USDC balance (`balanceOf`) and every USDC Transfer log into and out of the
 * treasury from `startBlock` to the head. The ledger side is its deposit credits (kind `deposit`), its
 * simulated funding (kind `simulated_funding`: listed, never matched), its settled payouts (kind `payout`), its
 * customers' settled withdrawals (kind `withdrawal`, matched like payouts) and its simulated payouts (kind
 * `simulated_payout`: listed, never matched).
 * Entries are matched to transfers by (tx hash, log index) through the deposit and payout records that carry
 * them; every difference is listed, and the status is `failed` when any is unexplained.
 */
export async function reconcileWithChain(
  deps: ChainDeps,
  options: ReconcileOptions = {},
): Promise<Reconciliation> {
  const { chain, clock, client } = deps;
  const limit = options.limit ?? DIFFERENCE_LIMIT;
  const chunk = options.chunkBlocks ?? CHUNK_BLOCKS;
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const fromBlock = options.startBlock ?? 0n;
  const scanned = fromBlock <= head;
  const [transfersIn, transfersOut, balance, opening, ledger] = await Promise.all([
    scanned ? treasuryTransfers(deps, 'to', fromBlock, head, chunk) : Promise.resolve([]),
    scanned ? treasuryTransfers(deps, 'from', fromBlock, head, chunk) : Promise.resolve([]),
    treasuryBalance(deps, head),
    fromBlock > 0n
      ? treasuryBalance(deps, (fromBlock <= head ? fromBlock : head + 1n) - 1n)
      : Promise.resolve(0n),
    readLedger(deps),
  ]);
  const now = clock.now();
  const all: ReconciliationDifference[] = [];
  const note = (
    kind: ReconciliationDifferenceKind,
    severity: ReconciliationSeverity,
    fields: Partial<ReconciliationDifference> & { detail: string },
  ) =>
    all.push({
      kind,
      severity,
      direction: null,
      txHash: null,
      logIndex: null,
      blockNumber: null,
      ledgerTransactionId: null,
      ledgerMicros: null,
      chainMicros: null,
      counterparty: null,
      record: null,
      ...fields,
    });
  const onChain = (t: ChainTransfer, direction: 'in' | 'out') => ({
    direction,
    txHash: t.txHash,
    logIndex: t.logIndex,
    blockNumber: t.blockNumber.toString(),
    chainMicros: t.amount.toString(),
    counterparty: (direction === 'in' ? t.from : t.to).toLowerCase(),
  });

  // Deposits: each ledger credit must have its transfer into the treasury, of the same amount.
  const inByKey = new Map(transfersIn.map((t) => [key(t.txHash, t.logIndex), t]));
  const matchedIn = new Set<string>();
  let depositCount = 0;
  let depositTotal = 0n;
  for (const credit of ledger.credits) {
    const amount = BigInt(credit.amount);
    // Credits of transfers before the scanned range are outside this reconciliation.
    if (credit.block_number !== null && BigInt(credit.block_number) < fromBlock) continue;
    depositCount++;
    depositTotal += amount;
    const base = {
      direction: 'in' as const,
      ledgerTransactionId: credit.transaction_id,
      ledgerMicros: credit.amount,
    };
    if (credit.deposit_id === null || credit.tx_hash === null) {
      note('unbacked_credit', 'failure', {
        ...base,
        detail: 'A deposit credit in the ledger with no on-chain deposit record behind it.',
      });
      continue;
    }
    const record = `deposit ${credit.deposit_id} (${credit.state})`;
    if (credit.chain_id !== chain.chainId) {
      note('unbacked_credit', 'failure', {
        ...base,
        txHash: credit.tx_hash,
        logIndex: credit.log_index,
        record,
        detail: `Its deposit record is on chain ${credit.chain_id}, not on ${chain.name} (${chain.chainId}).`,
      });
      continue;
    }
    const k = key(credit.tx_hash, credit.log_index);
    const transfer = inByKey.get(k);
    if (!transfer) {
      note('unbacked_credit', 'failure', {
        ...base,
        txHash: credit.tx_hash,
        logIndex: credit.log_index,
        blockNumber: credit.block_number,
        record,
        detail: 'No USDC transfer into the treasury at this transaction and log index on the chain.',
      });
      continue;
    }
    matchedIn.add(k);
    if (transfer.amount !== amount)
      note('amount_mismatch', 'failure', {
        ...base,
        ...onChain(transfer, 'in'),
        ledgerTransactionId: credit.transaction_id,
        ledgerMicros: credit.amount,
        record,
        detail: 'The ledger credited another amount than the transfer carried.',
      });
  }

  // Transfers into the treasury that no ledger credit matched.
  const recordOf = new Map(ledger.records.map((r) => [key(r.tx_hash, r.log_index), r]));
  for (const t of transfersIn) {
    const k = key(t.txHash, t.logIndex);
    if (matchedIn.has(k)) continue;
    const fields = onChain(t, 'in');
    const r = recordOf.get(k);
    const record = r ? `deposit ${r.id} (${r.state}${r.rejection ? `: ${r.rejection}` : ''})` : null;
    if (isAddressEqual(t.from, zeroAddress)) {
      note('transfer_not_in_ledger', 'explained', {
        ...fields,
        record,
        detail: 'USDC minted to the treasury: nobody’s deposit.',
      });
    } else if (isPlatformAddress(chain, t.from) || r?.rejection === 'platform_sender') {
      note('transfer_not_in_ledger', 'explained', {
        ...fields,
        record,
        detail: 'Sent from an address the platform controls: its own money, never a customer’s deposit.',
      });
    } else if (!r) {
      const confirmations = confirmationsOf(head, t.blockNumber);
      if (confirmations < chain.confirmations)
        note('transfer_not_in_ledger', 'pending', {
          ...fields,
          detail: `Within its confirmations (${confirmations} of ${chain.confirmations}); not recorded yet.`,
        });
      else
        note('transfer_not_in_ledger', 'failure', {
          ...fields,
          detail: 'A USDC transfer into the treasury with no deposit record and no ledger credit.',
        });
    } else if (r.state === 'unattributed') {
      note('transfer_not_in_ledger', 'pending', {
        ...fields,
        record,
        detail: 'From a wallet no account owns yet: kept, credited when that wallet signs in.',
      });
    } else if (r.state === 'seen' || r.state === 'confirmed') {
      const confirmations = confirmationsOf(head, t.blockNumber);
      const recent = now.getTime() - Number(r.updated_ms) < PENDING_GRACE_MS;
      if (confirmations < r.confirmations_required || recent)
        note('transfer_not_in_ledger', 'pending', {
          ...fields,
          record,
          detail: `Not credited yet: ${Math.min(confirmations, r.confirmations_required)} of ${r.confirmations_required} confirmations.`,
        });
      else
        note('transfer_not_in_ledger', 'failure', {
          ...fields,
          record,
          detail: 'Confirmed on the chain long enough, but never credited.',
        });
    } else {
      note('transfer_not_in_ledger', 'failure', {
        ...fields,
        record,
        detail:
          r.state === 'rejected'
            ? `Its deposit record was rejected (${r.rejection}), yet the transfer is on the chain.`
            : 'Its deposit record says credited, but no deposit credit in the ledger matches it.',
      });
    }
  }

  // Payouts: each settled payout in the ledger must have its transfer out of the treasury.
  const outByTx = new Map<string, ChainTransfer[]>();
  for (const t of transfersOut) outByTx.set(t.txHash, [...(outByTx.get(t.txHash) ?? []), t]);
  const matchedOut = new Set<string>();
  const outTotals = { payout: { count: 0, total: 0n }, withdrawal: { count: 0, total: 0n } };
  const tally = (settle: PayoutSettleRow, amount: bigint) => {
    outTotals[settle.kind].count++;
    outTotals[settle.kind].total += amount;
  };
  for (const settle of ledger.settles) {
    const amount = BigInt(settle.amount);
    const base = {
      direction: 'out' as const,
      ledgerTransactionId: settle.transaction_id,
      ledgerMicros: settle.amount,
    };
    const record = settle.payout_id ? `${settle.kind} ${settle.payout_id} (${settle.state})` : null;
    if (settle.payout_id === null || settle.tx_hash === null || settle.chain_id !== chain.chainId) {
      tally(settle, amount);
      note('payout_without_transfer', 'failure', {
        ...base,
        txHash: settle.tx_hash,
        record,
        detail:
          settle.payout_id === null
            ? 'A payout in the ledger with no payout record (and so no transaction) behind it.'
            : settle.tx_hash === null
              ? 'Its payout record has no transaction hash.'
              : `Its payout record is on chain ${settle.chain_id}, not on ${chain.name} (${chain.chainId}).`,
      });
      continue;
    }
    const txHash = settle.tx_hash.toLowerCase();
    const candidates = (outByTx.get(txHash) ?? []).filter((t) => !matchedOut.has(key(t.txHash, t.logIndex)));
    const transfer =
      candidates.find((t) => t.to.toLowerCase() === settle.to_address?.toLowerCase()) ?? candidates[0];
    if (!transfer) {
      // A payout sent before the scanned range is outside this reconciliation.
      if (fromBlock > 0n) {
        const receipt = await findReceipt(client, txHash as Hash);
        if (receipt && receipt.blockNumber < fromBlock) continue;
      }
      tally(settle, amount);
      note('payout_without_transfer', 'failure', {
        ...base,
        txHash,
        record,
        detail: 'No USDC transfer out of the treasury in this transaction on the chain.',
      });
      continue;
    }
    tally(settle, amount);
    matchedOut.add(key(transfer.txHash, transfer.logIndex));
    if (transfer.amount !== amount)
      note('amount_mismatch', 'failure', {
        ...base,
        ...onChain(transfer, 'out'),
        ledgerTransactionId: settle.transaction_id,
        ledgerMicros: settle.amount,
        record,
        detail: 'The ledger settled another amount than the transfer carried.',
      });
  }

  // Transfers out of the treasury that no settled payout matched.
  const payoutByTx = new Map(ledger.payoutRecords.map((p) => [p.tx_hash.toLowerCase(), p]));
  for (const t of transfersOut) {
    const k = key(t.txHash, t.logIndex);
    if (matchedOut.has(k)) continue;
    const fields = onChain(t, 'out');
    const p = payoutByTx.get(t.txHash);
    const record = p ? `payout ${p.id} (${p.state})` : null;
    if (isAddressEqual(t.to, chain.treasuryAddress))
      note('transfer_out_without_payout', 'explained', {
        ...fields,
        record,
        detail: 'The treasury paying itself: counted in and out, no customer’s money moves.',
      });
    else if (p && (p.state === 'signed' || p.state === 'sent'))
      note('transfer_out_without_payout', 'pending', {
        ...fields,
        record,
        detail: 'A payout waiting for its confirmations: settled in the ledger once confirmed.',
      });
    else
      note('transfer_out_without_payout', 'failure', {
        ...fields,
        record,
        detail: p
          ? `Its payout record is ${p.state}, yet the transfer is on the chain.`
          : 'A USDC transfer out of the treasury that is no payout.',
      });
  }

  // The treasury's balance against the transfers, and the transfers against the ledger.
  const inTotal = sum(transfersIn.map((t) => t.amount));
  const outTotal = sum(transfersOut.map((t) => t.amount));
  const expected = opening + inTotal - outTotal;
  if (expected !== balance)
    note('balance_mismatch', 'failure', {
      ledgerMicros: null,
      chainMicros: balance.toString(),
      detail: `The treasury holds ${balance} micro-USDC at block ${head}, but its opening balance plus the transfers in less the transfers out is ${expected}.`,
    });
  const setAside = (direction: 'in' | 'out') =>
    sum(
      all
        .filter((d) => d.direction === direction && d.severity !== 'failure' && d.chainMicros !== null)
        .map((d) => BigInt(d.chainMicros as string)),
    );
  const chainNet = inTotal - setAside('in') - (outTotal - setAside('out'));
  const ledgerNet = depositTotal - outTotals.payout.total - outTotals.withdrawal.total;

  const failures = all.filter((d) => d.severity === 'failure');
  const pending = all.filter((d) => d.severity === 'pending');
  const explained = all.filter((d) => d.severity === 'explained');
  const listed = [...failures, ...pending];
  const status = failures.length > 0 ? 'failed' : 'ok';
  return {
    status,
    message:
      status === 'ok'
        ? `The ledger reconciles with ${chain.name}: every deposit credit, payout and withdrawal has its transfer.`
        : `${failures.length} unexplained difference${failures.length === 1 ? '' : 's'} between the ledger and ${chain.name}.`,
    checkedAt: now.toISOString(),
    chain: {
      chainId: chain.chainId,
      name: chain.name,
      usdcAddress: chain.usdcAddress.toLowerCase(),
      treasuryAddress: chain.treasuryAddress.toLowerCase(),
      fromBlock: fromBlock.toString(),
      toBlock: head.toString(),
      openingBalanceMicros: opening.toString(),
      balanceMicros: balance.toString(),
      transfersIn: { count: transfersIn.length, totalMicros: inTotal.toString() },
      transfersOut: { count: transfersOut.length, totalMicros: outTotal.toString() },
      expectedBalanceMicros: expected.toString(),
      balanceMatches: expected === balance,
      netMicros: chainNet.toString(),
    },
    ledger: {
      deposits: { count: depositCount, totalMicros: depositTotal.toString() },
      simulatedFunding: { count: ledger.simulated.count, totalMicros: ledger.simulated.total },
      payouts: { count: outTotals.payout.count, totalMicros: outTotals.payout.total.toString() },
      withdrawals: {
        count: outTotals.withdrawal.count,
        totalMicros: outTotals.withdrawal.total.toString(),
      },
      simulatedPayouts: { count: ledger.simulatedPayouts.count, totalMicros: ledger.simulatedPayouts.total },
      netMicros: ledgerNet.toString(),
    },
    ledgerMatchesChain: chainNet === ledgerNet,
    counts: { failures: failures.length, pending: pending.length, explained: explained.length },
    differences: listed.slice(0, limit),
    explained: explained.slice(0, limit),
    limit,
    omitted: Math.max(0, listed.length - limit) + Math.max(0, explained.length - limit),
  };
}

/** The answer when there is no chain to reconcile with, or it could not be read. */
export function unavailableReconciliation(message: string, now: Date): Reconciliation {
  return {
    status: 'unavailable',
    message,
    checkedAt: now.toISOString(),
    chain: null,
    ledger: null,
    ledgerMatchesChain: null,
    counts: { failures: 0, pending: 0, explained: 0 },
    differences: [],
    explained: [],
    limit: DIFFERENCE_LIMIT,
    omitted: 0,
  };
}
