import {
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  parseAbiItem,
  parseEventLogs,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import type { ChainConfig } from '@/lib/chain/config';
import type { DepositRejection } from '@/lib/db/schema';

/** The ERC-20 Transfer event; USDC deposits are read from it, never from what a request claims. */
export const transferEvent = parseAbiItem(
  'event Transfer(address indexed from, address indexed to, uint256 value)',
);

/** One USDC Transfer log to the treasury. */
export interface TreasuryTransfer {
  logIndex: number;
  /** Lower-case. */
  from: `0x${string}`;
  amountMicros: bigint;
}

export type ReceiptVerdict =
  | { ok: false; rejection: Extract<DepositRejection, 'transaction_failed' | 'not_usdc' | 'wrong_recipient'> }
  | { ok: true; transfers: TreasuryTransfer[] };

/**
 * The USDC transfers to the treasury in a mined transaction, or why it can't be a deposit. Only logs emitted
 * by the configured USDC contract count: any contract can emit a Transfer-shaped event (a look-alike token),
 * and a reverted transaction's logs never happened.
 */
export function treasuryTransfersIn(
  chain: Pick<ChainConfig, 'usdcAddress' | 'treasuryAddress'>,
  receipt: Pick<TransactionReceipt, 'status' | 'logs'>,
): ReceiptVerdict {
  if (receipt.status !== 'success') return { ok: false, rejection: 'transaction_failed' };
  const usdc = chain.usdcAddress.toLowerCase();
  const treasury = chain.treasuryAddress.toLowerCase();
  // strict: logs that only share the event's signature but not its shape (e.g. ERC-721) are dropped.
  const transfers = parseEventLogs({ abi: [transferEvent], logs: receipt.logs, strict: true }).filter(
    (log) => log.address.toLowerCase() === usdc && !log.removed,
  );
  if (transfers.length === 0) return { ok: false, rejection: 'not_usdc' };
  const toTreasury = transfers.filter((log) => log.args.to.toLowerCase() === treasury && log.args.value > 0n);
  if (toTreasury.length === 0) return { ok: false, rejection: 'wrong_recipient' };
  return {
    ok: true,
    transfers: toTreasury.map((log) => ({
      logIndex: log.logIndex,
      from: log.args.from.toLowerCase() as `0x${string}`,
      amountMicros: log.args.value,
    })),
  };
}

/** The transaction's receipt, or null when it isn't mined (or no longer is, after a reorg). */
export async function findReceipt(client: PublicClient, hash: Hash): Promise<TransactionReceipt | null> {
  try {
    return await client.getTransactionReceipt({ hash });
  } catch (error) {
    if (error instanceof TransactionReceiptNotFoundError) return null;
    throw error;
  }
}

/**
 * Whether a transaction without a receipt still exists: `pending` (in the mempool, may be mined again) or
 * `gone` (dropped, e.g. reorged away and not re-included). `mined` means the receipt appeared meanwhile.
 */
export async function transactionStatus(
  client: PublicClient,
  hash: Hash,
): Promise<'pending' | 'mined' | 'gone'> {
  try {
    const transaction = await client.getTransaction({ hash });
    return transaction.blockNumber === null ? 'pending' : 'mined';
  } catch (error) {
    if (error instanceof TransactionNotFoundError) return 'gone';
    throw error;
  }
}

/** Blocks on top of and including `block`; zero when the node's head hasn't reached it. */
export function confirmationsOf(head: bigint, block: bigint | null): number {
  if (block === null || head < block) return 0;
  return Number(head - block + 1n);
}
