'use client';

import { formatTimestamp } from '@/components/billing/format';
import { ACCOUNT_LABEL, KIND_LABEL, signedMoney } from '@/components/billing/ledger-labels';
import { EmptyState, ErrorState, ListSkeleton, LoadMore } from '@/components/billing/list-states';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { TableHead } from '@/components/ui/table-head';
import { LEDGER_EXPORT_PATH, useLedger } from '@/lib/queries/ledger';

/** The account's side of the double-entry ledger, newest first, with a CSV of all of it. */
export function LedgerTable() {
  const ledger = useLedger();
  const items = ledger.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Card className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">Ledger</h2>
        <a href={LEDGER_EXPORT_PATH} download className="text-sm text-accent underline underline-offset-2">
          Download CSV
        </a>
      </div>
      <p className="text-sm text-muted-foreground">
        Every movement of your money, as postings of a double-entry ledger in USDC. The CSV holds all of them.
      </p>
      {ledger.isPending ? (
        <ListSkeleton rows={4} />
      ) : ledger.error && items.length === 0 ? (
        <ErrorState
          message={`Could not load the ledger: ${ledger.error.message}`}
          onRetry={() => void ledger.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState>No ledger entries yet. Your first deposit will be the first entry.</EmptyState>
      ) : (
        // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
        <div
          className="relative overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label="Ledger entries table"
        >
          <table className="w-full min-w-[640px] text-sm">
            <caption className="sr-only">Ledger entries, newest first</caption>
            <TableHead
              columns={['Date', 'Entry', 'Account', 'Memo', { label: 'Amount', align: 'right' }]}
              cellClassName="py-1 pr-4"
            />
            <tbody className="tabular">
              {items.map((entry) => (
                <tr key={entry.id} data-ledger-entry-id={entry.id} className="border-t border-border">
                  <td className="py-2 pr-4 whitespace-nowrap">{formatTimestamp(entry.createdAt)}</td>
                  <td className="py-2 pr-4 whitespace-nowrap">{KIND_LABEL[entry.kind]}</td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    {ACCOUNT_LABEL[entry.account]}
                    {entry.currency === 'incentive' ? ' (incentive token)' : ''}
                  </td>
                  <td className="py-2 pr-4 text-muted-foreground">{entry.memo}</td>
                  <td
                    className={cn(
                      'py-2 pr-4 text-right whitespace-nowrap',
                      entry.amountMicros.startsWith('-') ? 'text-foreground' : 'text-success',
                    )}
                  >
                    {signedMoney(entry.amountMicros)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        label="Load more ledger entries"
        hasMore={ledger.hasNextPage}
        loading={ledger.isFetchingNextPage}
        onLoad={() => void ledger.fetchNextPage()}
      />
    </Card>
  );
}
