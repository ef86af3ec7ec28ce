import type { ServiceContext } from '@/lib/api/context';
import { attributeDeposits } from '@/lib/deposits/attribute-deposits';

/**
 * After a wallet proves itself: transfers it sent to the treasury before it had an account (kept as
 * unattributed by the indexer) become its deposits, to be credited by the next confirmation pass.
 */
export async function onSignedIn(
  ctx: Pick<ServiceContext, 'db' | 'clock'>,
  session: { accountId: string; address: string },
): Promise<void> {
  await attributeDeposits(ctx, { accountId: session.accountId, walletAddress: session.address });
}
