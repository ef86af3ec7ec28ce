'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { VerifiedBadge } from '@/components/market/verified-badge';
import { cn } from '@/components/ui/cn';
import { formatBandwidth, formatPercent } from '@/lib/format';
import { OFFER_COLUMNS, type OfferColumnId } from '@/lib/market/offer-columns';
import type { OfferDto } from '@/lib/market/offer-schemas';
import { DEFAULT_ORDER, type OfferSort } from '@/lib/market/offer-sorts';
import { formatUsd } from '@/lib/money';

/**
 * The cell of each column. Sorting and paging happen on the server (keyset), so a plain column list is all the
 * table needs — no client-side table engine on the market's first load.
 */
const CELLS: Record<OfferColumnId, (offer: OfferDto, now: Date) => ReactNode> = {
  gpu: (o) => (
    <Link
      href={`/market/${o.nodeId}`}
      // A page of offers is up to a hundred node pages: fetched when opened, not all prefetched on sight.
      prefetch={false}
      className="font-medium text-accent underline-offset-2 hover:underline"
    >
      {o.gpuCount}× {o.gpuName}
    </Link>
  ),
  free: (o) => o.freeGpus,
  vram: (o) => `${o.vramGb} GB`,
  price: (o) => formatUsd(o.priceMicros),
  'price-per-work': (o) => (
    <span title="Price per A100-80GB-hour of work">{formatUsd(o.pricePerWorkMicros)}</span>
  ),
  reliability: (o) => formatPercent(o.reliability),
  'job-success': (o) =>
    o.jobSuccessRate === null ? (
      <span className="text-muted-foreground">no jobs yet</span>
    ) : (
      formatPercent(o.jobSuccessRate)
    ),
  verified: (o, now) => (
    <VerifiedBadge
      verified={o.verified}
      verifiedAt={o.verifiedAt}
      method={o.verificationMethod}
      now={now}
      compact
    />
  ),
  region: (o) => o.regionName,
  link: (o) => (o.interconnect === 'nvlink' ? 'NVLink' : 'PCIe'),
  network: (o) => formatBandwidth(o.bandwidthMbps),
  cpu: (o) => `${o.cpuCores} cores`,
  ram: (o) => `${o.ramGb} GB`,
  disk: (o) => `${o.diskGb.toLocaleString('en-US')} GB`,
  cuda: (o) => o.cudaVersion,
};

export interface OfferTableProps {
  offers: OfferDto[];
  sort: OfferSort;
  order: 'asc' | 'desc';
  onSort: (sort: OfferSort, order: 'asc' | 'desc') => void;
  now: Date;
  busy: boolean;
  /** The columns to show (the others are left out of the markup). */
  visible: ReadonlySet<OfferColumnId>;
}

/** Dense offer table; sorting happens on the server, so the table only reports header clicks. */
export function OfferTable({ offers, sort, order, onSort, now, busy, visible }: OfferTableProps) {
  const columns = OFFER_COLUMNS.filter((c) => visible.has(c.id));
  return (
    <div className="relative overflow-x-auto rounded-lg border border-border" aria-busy={busy}>
      <table className={cn('w-full text-sm transition-opacity', busy && 'opacity-60')}>
        <caption className="sr-only">
          GPU offers, sorted by {sort.replace(/_/g, ' ')} ({order === 'asc' ? 'ascending' : 'descending'})
        </caption>
        <thead className="bg-muted text-left text-xs text-muted-foreground">
          <tr>
            {columns.map((column) => {
              const sortKey = 'sort' in column ? column.sort : undefined;
              const active = sortKey === sort;
              return (
                <th
                  key={column.id}
                  scope="col"
                  className="px-2 py-2 font-medium whitespace-nowrap first:pl-3 last:pr-3"
                  aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {sortKey ? (
                    <button
                      type="button"
                      className={cn(
                        'inline-flex items-center gap-1 hover:text-foreground',
                        active && 'text-foreground',
                      )}
                      onClick={() =>
                        onSort(sortKey, active ? (order === 'asc' ? 'desc' : 'asc') : DEFAULT_ORDER[sortKey])
                      }
                    >
                      {column.label}
                      <span aria-hidden="true">{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="tabular">
          {offers.map((offer) => (
            <tr
              key={offer.nodeId}
              data-node-id={offer.nodeId}
              className="border-t border-border hover:bg-muted/60"
            >
              {columns.map((column) => (
                <td
                  key={column.id}
                  // A long region name wraps at its words rather than widening every row.
                  className={cn(
                    'px-2 py-2 first:pl-3 last:pr-3',
                    column.id === 'region' ? 'min-w-28' : 'whitespace-nowrap',
                  )}
                >
                  {CELLS[column.id](offer, now)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
