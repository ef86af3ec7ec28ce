'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { VerifiedBadge } from '@/components/market/verified-badge';
import { cn } from '@/components/ui/cn';
import { formatBandwidth, formatPercent } from '@/lib/format';
import type { OfferDto } from '@/lib/market/offer-schemas';
import { DEFAULT_ORDER, type OfferSort } from '@/lib/market/offer-sorts';
import { formatUsd } from '@/lib/money';

interface Column {
  id: string;
  header: string;
  /** The server-side sort key this column maps to, if any. */
  sort?: OfferSort;
  cell: (offer: OfferDto, now: Date) => ReactNode;
}

/**
 * The offer columns. Sorting and paging happen on the server (keyset), so a plain column list is all the table
 * needs — no client-side table engine on the market's first load.
 */
const COLUMNS: Column[] = [
  {
    id: 'gpu',
    header: 'GPU',
    cell: (o) => (
      <Link
        href={`/market/${o.nodeId}`}
        // A page of offers is up to a hundred node pages: fetched when opened, not all prefetched on sight.
        prefetch={false}
        className="font-medium text-accent underline-offset-2 hover:underline"
      >
        {o.gpuCount}× {o.gpuName}
      </Link>
    ),
  },
  { id: 'free', header: 'Free', sort: 'free_gpus', cell: (o) => o.freeGpus },
  { id: 'vram', header: 'VRAM', sort: 'vram', cell: (o) => `${o.vramGb} GB` },
  { id: 'price', header: '$/GPU-hr', sort: 'price', cell: (o) => formatUsd(o.priceMicros) },
  {
    id: 'price-per-work',
    header: '$/work unit',
    sort: 'price_per_work',
    cell: (o) => <span title="Price per A100-80GB-hour of work">{formatUsd(o.pricePerWorkMicros)}</span>,
  },
  {
    id: 'reliability',
    header: 'Reliability',
    sort: 'reliability',
    cell: (o) => formatPercent(o.reliability),
  },
  {
    id: 'job-success',
    header: 'Job success',
    cell: (o) =>
      o.jobSuccessRate === null ? (
        <span className="text-muted-foreground">no jobs yet</span>
      ) : (
        formatPercent(o.jobSuccessRate)
      ),
  },
  {
    id: 'verified',
    header: 'Verified',
    cell: (o, now) => (
      <VerifiedBadge
        verified={o.verified}
        verifiedAt={o.verifiedAt}
        method={o.verificationMethod}
        now={now}
      />
    ),
  },
  { id: 'region', header: 'Region', cell: (o) => o.regionName },
  { id: 'link', header: 'Link', cell: (o) => (o.interconnect === 'nvlink' ? 'NVLink' : 'PCIe') },
  { id: 'network', header: 'Network', cell: (o) => formatBandwidth(o.bandwidthMbps) },
];

export interface OfferTableProps {
  offers: OfferDto[];
  sort: OfferSort;
  order: 'asc' | 'desc';
  onSort: (sort: OfferSort, order: 'asc' | 'desc') => void;
  now: Date;
  busy: boolean;
}

/** Dense offer table; sorting happens on the server, so the table only reports header clicks. */
export function OfferTable({ offers, sort, order, onSort, now, busy }: OfferTableProps) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-border" aria-busy={busy}>
      <table className={cn('w-full min-w-[960px] text-sm transition-opacity', busy && 'opacity-60')}>
        <caption className="sr-only">
          GPU offers, sorted by {sort.replace(/_/g, ' ')} ({order === 'asc' ? 'ascending' : 'descending'})
        </caption>
        <thead className="bg-muted text-left text-xs text-muted-foreground">
          <tr>
            {COLUMNS.map((column) => {
              const sortKey = column.sort;
              const active = sortKey === sort;
              return (
                <th
                  key={column.id}
                  scope="col"
                  className="px-3 py-2 font-medium whitespace-nowrap"
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
                      {column.header}
                      <span aria-hidden="true">{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
                    </button>
                  ) : (
                    column.header
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
              {COLUMNS.map((column) => (
                <td key={column.id} className="px-3 py-2 whitespace-nowrap">
                  {column.cell(offer, now)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
