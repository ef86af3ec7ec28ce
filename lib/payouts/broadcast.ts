import { recoverTransactionAddress, type Hash, type TransactionSerialized } from 'viem';
import type { Payout } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { findReceipt, transactionStatus } from '@/lib/deposits/verify-transfer';

/** A payout that has been signed: its transaction is on record. */
export type SignedPayout = Payout & { txHash: string; rawTransaction: string; nonce: number };

export function isSigned(row: Payout): row is SignedPayout {
  return row.txHash !== null && row.rawTransaction !== null && row.nonce !== null;
}

/**
 * Broadcasts the payout's recorded transaction — always exactly the stored bytes, never a new signature — and
 * reports whether the node knows it afterwards. Errors such as "already known" or "nonce too low" are not
 * interpreted: the node is asked about the transaction instead.
 */
export async function broadcastRecorded(
  { client }: Pick<ChainDeps, 'client'>,
  row: SignedPayout,
): Promise<{ known: true } | { known: false; error: string }> {
  try {
    await client.sendRawTransaction({ serializedTransaction: row.rawTransaction as `0x${string}` });
    return { known: true };
  } catch (cause) {
    if ((await transactionStatus(client, row.txHash as Hash)) !== 'gone') return { known: true };
    return { known: false, error: firstLine(cause) };
  }
}

/** The headline of an RPC error (viem appends pages of details). */
export function firstLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.split('\n')[0] ?? error.name;
}

/**
 * Whether the payout's transaction can never be mined: its sender's nonce was used by another transaction in
 * a block that already has the required confirmations, and this one has no receipt. Only then is it safe to
 * give the money back to the payable balance: the transfer cannot happen any more.
 */
export async function nonceUsedByAnother(
  { client, chain }: Pick<ChainDeps, 'client' | 'chain'>,
  row: SignedPayout,
  head: bigint,
): Promise<boolean> {
  const settled = head - BigInt(chain.confirmations) + 1n;
  if (settled < 0n) return false;
  const sender = await recoverTransactionAddress({
    serializedTransaction: row.rawTransaction as TransactionSerialized,
  });
  const usedNonces = await client.getTransactionCount({ address: sender, blockNumber: settled });
  if (usedNonces <= row.nonce) return false;
  return (await findReceipt(client, row.txHash as Hash)) === null;
}
