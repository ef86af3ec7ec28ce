import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { accounts } from '@/lib/db/schema';
import type { SessionResponse } from '@/lib/auth/schemas';
import { getAddress } from 'viem';

/** The public view of an account (its wallet, checksummed). */
export async function getAccountView(
  db: Db,
  accountId: string,
): Promise<NonNullable<SessionResponse['account']>> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!row) throw new Error(`account ${accountId} vanished`);
  return { id: row.id, address: getAddress(row.walletAddress), createdAt: row.createdAt.toISOString() };
}
