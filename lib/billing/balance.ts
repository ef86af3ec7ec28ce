import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { accounts } from '@/lib/db/schema';
import type { BalanceView } from '@/lib/billing/schemas';
import { balanceOf, getBalances } from '@/lib/ledger/operations';

/**
 * The billing summary of one account, straight from the ledger's balances. Runway needs a spend rate, which
 * only running jobs create; until an account has one it says so instead of inventing a figure.
 */
export async function getBalanceView(db: Db, accountId: string): Promise<BalanceView> {
  const [balances, [account]] = await Promise.all([
    getBalances(db, accountId),
    db
      .select({ threshold: accounts.lowBalanceThresholdMicros })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .limit(1),
  ]);
  const available = balanceOf(balances, 'customer_available');
  const threshold = account?.threshold ?? null;
  return {
    availableMicros: available.toString(),
    reservedMicros: balanceOf(balances, 'customer_reserved').toString(),
    payableMicros: balanceOf(balances, 'supplier_payable').toString(),
    payoutPendingMicros: balanceOf(balances, 'supplier_payout_pending').toString(),
    runway: { state: 'no_running_jobs', burnMicrosPerHour: null, hours: null },
    lowBalanceThresholdMicros: threshold?.toString() ?? null,
    lowBalance: threshold !== null && available < threshold,
  };
}

export async function setLowBalanceThreshold(
  db: Db,
  accountId: string,
  thresholdMicros: bigint | null,
): Promise<{ lowBalanceThresholdMicros: string | null }> {
  await db
    .update(accounts)
    .set({ lowBalanceThresholdMicros: thresholdMicros })
    .where(eq(accounts.id, accountId));
  return { lowBalanceThresholdMicros: thresholdMicros?.toString() ?? null };
}
