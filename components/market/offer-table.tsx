'use client';

import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import Link from 'next/link';
import { useMemo } from 'react';
import { VerifiedBadge } from '@/components/market/verified-badge';
import { cn } from '@/components/ui/cn';
import { formatBandwidth, formatPercent } from '@/lib/format';
import type { OfferDto } from '@/lib/market/offer-schemas';
import { DEFAULT_ORDER, type OfferSort } from '@/lib/market/offer-sorts';
import { formatUsd } from '@/lib/money';

const column = createColumnHelper<OfferDto>();

/** Columns that map to a server-side sort key. */
const SORT_OF_COLUMN: Partial<Record<string, OfferSort>> = {
  priceMicros: 'price',
  pricePerWorkMicros: 'price_per_work',
  reliability: 'reliability',
  vramGb: 'vram',
  freeGpus: 'free_gpus',
};

function columns(now: Date) {
  return [
    column.accessor('gpuName', {
      header: 'GPU',
      cell: ({ row }) => (
        <Link
          href={`/market/${row.original.nodeId}`}
          className="font-medium text-accent underline-offset-2 hover:underline"
        >
          {row.original.gpuCount}× {row.original.gpuName}
        </Link>
      ),
    }),
    column.accessor('freeGpus', { header: 'Free', cell: (c) => c.getValue() }),
    column.accessor('vramGb', { header: 'VRAM', cell: (c) => `${c.getValue()} GB` }),
    column.accessor('priceMicros', { header: '$/GPU-hr', cell: (c) => formatUsd(c.getValue()) }),
    column.accessor('pricePerWorkMicros', {
      header: '$/work unit',
      cell: (c) => <span title="Price per A100-80GB-hour of work">{formatUsd(c.getValue())}</span>,
    }),
    column.accessor('reliability', { header: 'Reliability', cell: (c) => formatPercent(c.getValue()) }),
    column.accessor('jobSuccessRate', {
      header: 'Job success',
      cell: (c) => {
        const rate = c.getValue();
        return rate === null ? (
          <span className="text-muted-foreground">no jobs yet</span>
        ) : (
          formatPercent(rate)
        );
      },
    }),
    column.accessor('verified', {
      header: 'Verified',
      cell: ({ row }) => (
        <VerifiedBadge verified={row.original.verified} verifiedAt={row.original.verifiedAt} now={now} />
      ),
    }),
    column.accessor('regionName', { header: 'Region' }),
    column.accessor('interconnect', {
      header: 'Link',
      cell: (c) => (c.getValue() === 'nvlink' ? 'NVLink' : 'PCIe'),
    }),
    column.accessor('bandwidthMbps', { header: 'Network', cell: (c) => formatBandwidth(c.getValue()) }),
  ];
}

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
  const columnDefs = useMemo(() => columns(now), [now]);
  // TanStack Table returns functions that the React Compiler must not memoise.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: offers,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });

  return (
    <div className="overflow-x-auto rounded-lg border border-border" aria-busy={busy}>
      <table className={cn('w-full min-w-[960px] text-sm transition-opacity', busy && 'opacity-60')}>
        <caption className="sr-only">
          GPU offers, sorted by {sort.replace(/_/g, ' ')} ({order === 'asc' ? 'ascending' : 'descending'})
        </caption>
        <thead className="bg-muted text-left text-xs text-muted-foreground">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sortKey = SORT_OF_COLUMN[header.column.id];
                const active = sortKey === sort;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
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
                          onSort(
                            sortKey,
                            active ? (order === 'asc' ? 'desc' : 'asc') : DEFAULT_ORDER[sortKey],
                          )
                        }
                      >
                        {label}
                        <span aria-hidden="true">{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="tabular">
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              data-node-id={row.original.nodeId}
              className="border-t border-border hover:bg-muted/60"
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2 whitespace-nowrap">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
