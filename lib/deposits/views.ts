import { and, desc, eq } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import { explorerTxUrl, type ChainConfig } from '@/lib/chain/config';
import { deposits, type Deposit } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { decodeCreatedCursor, isUuid, olderThan, toPage } from '@/lib/api/page-cursor';
import { rejectionText } from '@/lib/deposits/rejection-reasons';
import type { DepositView } from '@/lib/deposits/schemas';
import { confirmationsOf } from '@/lib/deposits/verify-transfer';

/**
 * The API view of a deposit. `head` is the chain's current block (null when not read): confirmations are
 * counted from it, and a rejected deposit has none (a reorged one's block is no longer on the chain).
 */
export function toDepositView(
  chain: Pick<ChainConfig, 'chainId' | 'explorerUrl'>,
  row: Deposit,
  head: bigint | null,
): DepositView {
  return {
    id: row.id,
    chainId: row.chainId,
    txHash: row.txHash,
    logIndex: row.logIndex,
    source: row.source,
    fromAddress: row.fromAddress,
    amountMicros: row.amountMicros === null ? null : row.amountMicros.toString(),
    state: row.state,
    rejection: row.rejection,
    rejectionMessage: row.state === 'rejected' ? rejectionText(row) : null,
    confirmations:
      row.state === 'rejected' || head === null || row.chainId !== chain.chainId
        ? 0
        : confirmationsOf(head, row.blockNumber),
    confirmationsRequired: row.confirmationsRequired,
    blockNumber: row.blockNumber === null ? null : row.blockNumber.toString(),
    explorerUrl: row.chainId === chain.chainId ? explorerTxUrl(chain, row.txHash) : null,
    createdAt: row.createdAt.toISOString(),
    creditedAt: row.creditedAt ? row.creditedAt.toISOString() : null,
  };
}

/** The chain's head, read fresh, for the confirmations of the views of one response. */
export function currentHead({ client }: Pick<ChainDeps, 'client'>): Promise<bigint> {
  return client.getBlockNumber({ cacheTime: 0 });
}

export const MAX_PAGE = 100;

/** One account's deposits, newest first, keyset-paginated. Other accounts' deposits are never listed. */
export async function listDeposits(
  deps: ChainDeps,
  accountId: string,
  page: { cursor?: string; limit: number },
): Promise<{ items: DepositView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(Math.trunc(page.limit), 1), MAX_PAGE);
  const after = page.cursor ? decodeCreatedCursor(page.cursor) : null;
  const rows = await deps.db
    .select()
    .from(deposits)
    .where(
      and(
        eq(deposits.accountId, accountId),
        after ? olderThan(deposits.createdAt, deposits.id, after) : undefined,
      ),
    )
    .orderBy(desc(deposits.createdAt), desc(deposits.id))
    .limit(limit + 1);
  const head = rows.length > 0 ? await currentHead(deps) : null;
  return toPage(rows, limit, (row) => toDepositView(deps.chain, row, head));
}

/** One of the account's deposits; another account's (or a missing) id is not found, never forbidden. */
export async function getDeposit(deps: ChainDeps, accountId: string, id: string): Promise<DepositView> {
  const [row] = isUuid(id)
    ? await deps.db
        .select()
        .from(deposits)
        .where(and(eq(deposits.id, id), eq(deposits.accountId, accountId)))
        .limit(1)
    : [];
  if (!row) throw new AppError('not_found', 'No such deposit.');
  return toDepositView(deps.chain, row, await currentHead(deps));
}
