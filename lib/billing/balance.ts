import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { accounts, jobAttempts, jobs } from '@/lib/db/schema';
import type { BalanceView } from '@/lib/billing/schemas';
import { balanceOf, getBalances } from '@/lib/ledger/operations';

/**
 * The billing summary of one account, straight from the ledger's balances. Runway is the balance (available
 * and held) over the spend rate of the account's running jobs; with none running it says so instead of
 * inventing a figure.
 */
export async function getBalanceView(db: Db, accountId: string): Promise<BalanceView> {
  const [balances, [account], [burn]] = await Promise.all([
    getBalances(db, accountId),
    db
      .select({ threshold: accounts.lowBalanceThresholdMicros })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .limit(1),
    // The spend rate of the account's running attempts: price per GPU-hour × GPUs, at their locked prices.
    db
      .select({
        micros: sql<string>`coalesce(sum(${jobAttempts.pricePerGpuHourMicros} * ${jobs.gpuCount}), 0)`,
      })
      .from(jobAttempts)
      .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
      .where(and(eq(jobs.ownerAccountId, accountId), eq(jobAttempts.state, 'running'))),
  ]);
  const available = balanceOf(balances, 'customer_available');
  const threshold = account?.threshold ?? null;
  const reserved = balanceOf(balances, 'customer_reserved');
  const burnPerHour = BigInt(burn?.micros ?? '0');
  return {
    availableMicros: available.toString(),
    reservedMicros: reserved.toString(),
    payableMicros: balanceOf(balances, 'supplier_payable').toString(),
    payoutPendingMicros: balanceOf(balances, 'supplier_payout_pending').toString(),
    withdrawalPendingMicros: balanceOf(balances, 'customer_withdrawal_pending').toString(),
    runway:
      burnPerHour > 0n
        ? {
            state: 'estimated',
            burnMicrosPerHour: burnPerHour.toString(),
            hours: Number(available + reserved) / Number(burnPerHour),
          }
        : { state: 'no_running_jobs', burnMicrosPerHour: null, hours: null },
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
