'use client';

import { formatTimestamp } from '@/components/billing/format';
import { EmptyState, ErrorState, ListSkeleton, LoadMore } from '@/components/billing/list-states';
import { formatMoney } from '@/lib/money';
import { PAYOUT_STATE_LABEL, PAYOUT_STATE_TONE, payoutStateMeaning } from '@/components/supplier/labels';
import { Badge } from '@/components/ui/badge';
import { TableHead } from '@/components/ui/table-head';
import { shortAddress, shortHash } from '@/components/wallet/short-address';
import type { PayoutView } from '@/lib/payouts/schemas';
import { useTransfersOut, type TransferOutKind } from '@/lib/queries/transfers-out';

/** The transaction of a payout or withdrawal: a link to the chain's explorer when it has one, else the hash itself. */
export function PayoutTx({ payout }: { payout: PayoutView }) {
  if (!payout.txHash) return <span className="text-muted-foreground">not sent yet</span>;
  const text = shortHash(payout.txHash);
  if (!payout.explorerUrl)
    return (
      <code className="text-xs" title={payout.txHash}>
        {text}
      </code>
    );
  return (
    <a
      href={payout.explorerUrl}
      target="_blank"
      rel="noreferrer"
      title={`${payout.txHash} on the explorer`}
      className="font-mono text-xs text-accent underline-offset-2 hover:underline"
    >
      {text}
      <span className="sr-only"> (opens the block explorer)</span>
    </a>
  );
}

export const TRANSFER_OUT_NOUN: Record<
  TransferOutKind,
  { plural: string; Plural: string; balance: 'payable' | 'available' }
> = {
  payout: { plural: 'payouts', Plural: 'Payouts', balance: 'payable' },
  withdrawal: { plural: 'withdrawals', Plural: 'Withdrawals', balance: 'available' },
};

/** Every payout (or withdrawal) of the account, newest first, with its state on-chain and its transaction. */
export function TransferOutHistory({ kind }: { kind: TransferOutKind }) {
  const payouts = useTransfersOut(kind);
  const { plural, Plural, balance } = TRANSFER_OUT_NOUN[kind];
  const items = payouts.data?.pages.flatMap((page) => page.items) ?? [];

  if (payouts.isPending) return <ListSkeleton />;
  if (payouts.error && items.length === 0)
    return (
      <ErrorState
        message={`Could not load ${plural}: ${payouts.error.message}`}
        onRetry={() => void payouts.refetch()}
      />
    );
  if (items.length === 0)
    return <EmptyState>No {plural} yet. Withdrawals you make appear here with their transaction.</EmptyState>;
  return (
    <div className="flex flex-col gap-3">
      {/* Focusable, so keyboard users can scroll the table sideways on a narrow screen. */}
      <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label={`${Plural} table`}>
        <table className="w-full min-w-[640px] text-sm">
          <caption className="sr-only">{Plural}, newest first</caption>
          <TableHead
            columns={['Requested', { label: 'Amount', align: 'right' }, 'State', 'To', 'Transaction']}
            cellClassName="py-1 pr-4"
          />
          <tbody className="tabular">
            {items.map((payout) => (
              <tr key={payout.id} data-payout-id={payout.id} className="border-t border-border align-top">
                <td className="py-2 pr-4 whitespace-nowrap">{formatTimestamp(payout.createdAt)}</td>
                <td className="py-2 pr-4 text-right whitespace-nowrap">{formatMoney(payout.amountMicros)}</td>
                <td className="py-2 pr-4">
                  <span className="flex flex-col items-start gap-0.5">
                    <Badge
                      tone={PAYOUT_STATE_TONE[payout.state]}
                      title={payoutStateMeaning(payout.state, balance)}
                    >
                      {PAYOUT_STATE_LABEL[payout.state]}
                    </Badge>
                    {payout.state === 'confirmed' && payout.confirmedAt ? (
                      <span className="text-xs text-muted-foreground">
                        {formatTimestamp(payout.confirmedAt)}
                      </span>
                    ) : null}
                    {payout.state === 'failed' && payout.failureReason ? (
                      <span className="text-xs text-danger">{payout.failureReason}</span>
                    ) : null}
                  </span>
                </td>
                <td className="py-2 pr-4 font-mono text-xs whitespace-nowrap" title={payout.toAddress}>
                  {shortAddress(payout.toAddress)}
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">
                  <PayoutTx payout={payout} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore
        label={`Load more ${plural}`}
        hasMore={payouts.hasNextPage}
        loading={payouts.isFetchingNextPage}
        onLoad={() => void payouts.fetchNextPage()}
      />
    </div>
  );
}
