import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import { explorerTxUrl, type ChainConfig } from '@/lib/chain/config';
import { payouts, type Payout, type PayoutSource } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { decodeCreatedCursor, isUuid, olderThan, toPage } from '@/lib/api/page-cursor';
import type { PayoutView } from '@/lib/payouts/schemas';

/** The API view of a payout; the raw transaction and nonce stay server-side. */
export function toPayoutView(chain: Pick<ChainConfig, 'chainId' | 'explorerUrl'>, row: Payout): PayoutView {
  return {
    id: row.id,
    source: row.source,
    chainId: row.chainId,
    toAddress: row.toAddress,
    amountMicros: row.amountMicros.toString(),
    state: row.state,
    txHash: row.txHash,
    explorerUrl: row.txHash && row.chainId === chain.chainId ? explorerTxUrl(chain, row.txHash) : null,
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
    confirmedAt: row.confirmedAt ? row.confirmedAt.toISOString() : null,
  };
}

const MAX_PAGE = 100;

/**
 * One account's payouts (supplier earnings) or withdrawals (customer balance), newest first, keyset-paginated.
 * Other accounts' are never listed.
 */
export async function listPayouts(
  deps: Pick<ChainDeps, 'db' | 'chain'>,
  accountId: string,
  page: { cursor?: string; limit: number },
  source: PayoutSource = 'supplier_earnings',
): Promise<{ items: PayoutView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(page.limit), 1), MAX_PAGE);
  const after = page.cursor ? decodeCreatedCursor(page.cursor) : null;
  const rows = await deps.db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.accountId, accountId),
        eq(payouts.source, source),
        after ? olderThan(payouts.createdAt, payouts.id, after) : undefined,
      ),
    )
    .orderBy(desc(payouts.createdAt), desc(payouts.id))
    .limit(limit + 1);
  return toPage(rows, limit, (row) => toPayoutView(deps.chain, row));
}

/** One of the account's payouts (or withdrawals); another account's (or a missing) id is not found, never forbidden. */
export async function getPayout(
  deps: Pick<ChainDeps, 'db' | 'chain'>,
  accountId: string,
  id: string,
  source: PayoutSource = 'supplier_earnings',
): Promise<PayoutView> {
  const [row] = isUuid(id)
    ? await deps.db
        .select()
        .from(payouts)
        .where(and(eq(payouts.id, id), eq(payouts.accountId, accountId), eq(payouts.source, source)))
        .limit(1)
    : [];
  if (!row)
    throw new AppError(
      'not_found',
      source === 'customer_balance' ? 'No such withdrawal.' : 'No such payout.',
    );
  return toPayoutView(deps.chain, row);
}
