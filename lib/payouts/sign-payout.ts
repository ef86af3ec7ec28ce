import { and, eq, sql } from 'drizzle-orm';
import { encodeFunctionData, erc20Abi, keccak256, type LocalAccount } from 'viem';
import { queryRows } from '@/lib/db/client';
import { payouts, type Payout } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';

/** Gas and fees decided before the database transaction (they need the RPC; the transaction must not wait on it). */
export interface PayoutTxParams {
  /** The treasury's pending nonce on the chain, read just before. */
  chainNonce: number;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** The USDC `transfer(to, amount)` call of a payout. */
export function payoutCallData(row: Pick<Payout, 'toAddress' | 'amountMicros'>): `0x${string}` {
  return encodeFunctionData({
    abi: erc20Abi,
    functionName: 'transfer',
    args: [row.toAddress as `0x${string}`, row.amountMicros],
  });
}

/**
 * Claims a requested payout, gives it the next treasury nonce and signs its transfer locally, recording nonce,
 * hash and raw transaction (state `signed`) in the same database transaction: the record exists before
 * anything is broadcast, so a crash later is recovered from the record and the payout is never signed twice.
 * The nonce is the higher of the chain's pending nonce and one past the highest recorded one (a transaction
 * signed but not yet seen by the node still holds its nonce); an advisory lock serialises allocation per chain.
 * Null when another processor claimed the payout first.
 */
export async function signPayout(
  { db, clock, chain }: Pick<ChainDeps, 'db' | 'clock' | 'chain'>,
  signer: LocalAccount,
  payoutId: string,
  params: PayoutTxParams,
): Promise<Payout | null> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .select()
      .from(payouts)
      .where(and(eq(payouts.id, payoutId), eq(payouts.state, 'requested')))
      .for('update', { skipLocked: true });
    if (!claimed) return null;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payout-nonce:${claimed.chainId}`}))`);
    const [recorded] = await queryRows<{ highest: number | null }>(
      tx,
      sql`select max(nonce) as highest from payouts where chain_id = ${claimed.chainId}`,
    );
    const highest = recorded?.highest ?? null;
    const nonce = Math.max(params.chainNonce, highest === null ? 0 : Number(highest) + 1);
    const raw = await signer.signTransaction({
      type: 'eip1559',
      chainId: chain.chainId,
      nonce,
      to: chain.usdcAddress,
      data: payoutCallData(claimed),
      value: 0n,
      gas: params.gas,
      maxFeePerGas: params.maxFeePerGas,
      maxPriorityFeePerGas: params.maxPriorityFeePerGas,
    });
    const [signed] = await tx
      .update(payouts)
      .set({
        state: 'signed',
        nonce,
        txHash: keccak256(raw),
        rawTransaction: raw,
        updatedAt: clock.now(),
      })
      .where(eq(payouts.id, claimed.id))
      .returning();
    return signed ?? null;
  });
}
