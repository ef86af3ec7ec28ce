'use client';

import { DEPOSIT_STATE_LABEL, DEPOSIT_STATE_TONE, rejectionText } from '@/components/billing/deposit-labels';
import { formatTimestamp } from '@/components/billing/format';
import { EmptyState, ErrorState, ListSkeleton, LoadMore } from '@/components/billing/list-states';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { TableHead } from '@/components/ui/table-head';
import { shortHash } from '@/components/wallet/short-address';
import type { DepositView } from '@/lib/deposits/schemas';
import { useDeposits } from '@/lib/queries/deposits';
import { formatUsd } from '@/lib/money';

function TxCell({ deposit }: { deposit: DepositView }) {
  const text = shortHash(deposit.txHash);
  if (!deposit.explorerUrl)
    return (
      <code className="text-xs" title={deposit.txHash}>
        {text}
      </code>
    );
  return (
    <a
      href={deposit.explorerUrl}
      target="_blank"
      rel="noreferrer"
      title={`${deposit.txHash} on the explorer`}
      className="font-mono text-xs text-accent underline-offset-2 hover:underline"
    >
      {text}
      <span className="sr-only"> (opens the block explorer)</span>
    </a>
  );
}

function StateCell({ deposit }: { deposit: DepositView }) {
  return (
    <span className="flex flex-col items-start gap-0.5">
      <Badge tone={DEPOSIT_STATE_TONE[deposit.state]}>{DEPOSIT_STATE_LABEL[deposit.state]}</Badge>
      {deposit.state === 'rejected' ? (
        <span className="text-xs text-danger">{rejectionText(deposit).replace(/^Rejected: /, '')}</span>
      ) : deposit.state === 'seen' || deposit.state === 'confirmed' ? (
        <span className="tabular text-xs text-muted-foreground">
          {Math.min(deposit.confirmations, deposit.confirmationsRequired)} of {deposit.confirmationsRequired}{' '}
          confirmations
        </span>
      ) : null}
    </span>
  );
}

/** Every deposit of the account, newest first, with its state and transaction. */
export function DepositHistory() {
  const deposits = useDeposits();
  const items = deposits.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Card className="flex flex-col gap-3">
      <h2 className="font-semibold">Deposits</h2>
      {deposits.isPending ? (
        <ListSkeleton />
      ) : deposits.error && items.length === 0 ? (
        <ErrorState
          message={`Could not load deposits: ${deposits.error.message}`}
          onRetry={() => void deposits.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState>No deposits yet. Deposits you make appear here with their confirmations.</EmptyState>
      ) : (
        // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
        <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Deposits table">
          <table className="w-full min-w-[560px] text-sm">
            <caption className="sr-only">Deposits, newest first</caption>
            <TableHead
              columns={['Date', { label: 'Amount', align: 'right' }, 'State', 'Transaction']}
              cellClassName="py-1 pr-4"
            />
            <tbody className="tabular">
              {items.map((deposit) => (
                <tr
                  key={deposit.id}
                  data-deposit-id={deposit.id}
                  className="border-t border-border align-top"
                >
                  <td className="py-2 pr-4 whitespace-nowrap">{formatTimestamp(deposit.createdAt)}</td>
                  <td className="py-2 pr-4 text-right whitespace-nowrap">
                    {deposit.amountMicros === null ? '—' : formatUsd(deposit.amountMicros)}
                  </td>
                  <td className="py-2 pr-4">
                    <StateCell deposit={deposit} />
                  </td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <TxCell deposit={deposit} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        label="Load more deposits"
        hasMore={deposits.hasNextPage}
        loading={deposits.isFetchingNextPage}
        onLoad={() => void deposits.fetchNextPage()}
      />
    </Card>
  );
}
