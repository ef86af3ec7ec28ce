import { and, eq, isNull } from 'drizzle-orm';
import { deposits } from '@/lib/db/schema';
import { normalizeAddress, type ChainDeps } from '@/lib/chain/deps';

/**
 * Gives an account the transfers its wallet sent before the account existed (found by the indexer, kept as
 * `unattributed`). They go back to `seen`, so `advanceDeposits` re-checks them on-chain and credits them.
 * Called at sign-in with the wallet the account just proved it controls.
 */
export async function attributeDeposits(
  { db, clock }: Pick<ChainDeps, 'db' | 'clock'>,
  input: { accountId: string; walletAddress: string },
): Promise<{ attributed: number }> {
  const rows = await db
    .update(deposits)
    .set({ accountId: input.accountId, state: 'seen', updatedAt: clock.now() })
    .where(
      and(
        eq(deposits.state, 'unattributed'),
        isNull(deposits.accountId),
        eq(deposits.fromAddress, normalizeAddress(input.walletAddress)),
      ),
    )
    .returning({ id: deposits.id });
  return { attributed: rows.length };
}
