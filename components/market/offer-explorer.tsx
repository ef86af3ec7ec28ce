'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { ColumnChooser } from '@/components/market/column-chooser';
import { OfferFiltersPanel } from '@/components/market/offer-filters';
import { OfferTable } from '@/components/market/offer-table';
import { Button } from '@/components/ui/button';
import {
  offerColumnsCookie,
  readOfferColumnsCookie,
  visibleOfferColumns,
  type OfferColumnId,
} from '@/lib/market/offer-columns';
import { DEFAULT_ORDER, type OfferSort } from '@/lib/market/offer-sorts';
import { offerFiltersToSearchParams, readOfferFilters, type OfferFilters } from '@/lib/market/offer-url';
import { ApiError } from '@/lib/queries/api-client';
import { useOffers } from '@/lib/queries/offers';

/**
 * The market: filters and sort live in the URL (shareable), changes go through the History API so the
 * page never reloads, and the first page arrives server-rendered through the hydrated query cache.
 */
export function OfferExplorer({ now, columns }: { now: string; columns: OfferColumnId[] }) {
  const searchParams = useSearchParams();
  const filters = useMemo(
    () => readOfferFilters(new URLSearchParams(searchParams.toString())),
    [searchParams],
  );
  const { data, error, isFetching, isPending, isPlaceholderData } = useOffers(filters);
  const nowDate = useMemo(() => new Date(now), [now]);
  // The server read the cookie for the first paint; in the browser the cookie itself is the truth, so a
  // page restored from the router's cache (Back) shows the columns chosen since, not those it was rendered with.
  const [chosen, setChosen] = useState(() =>
    typeof document === 'undefined' ? columns : readOfferColumnsCookie(document.cookie),
  );
  const visible = useMemo(() => visibleOfferColumns(chosen, filters), [chosen, filters]);
  const onColumnsChange = (next: OfferColumnId[]) => {
    setChosen(next);
    document.cookie = offerColumnsCookie(next);
  };

  const navigate = useCallback((next: OfferFilters, mode: 'push' | 'replace') => {
    const query = offerFiltersToSearchParams(next).toString();
    const url = query ? `?${query}` : window.location.pathname;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, []);

  const onFilterChange = useCallback(
    (patch: Partial<OfferFilters>) => navigate({ ...filters, ...patch, cursor: undefined }, 'replace'),
    [filters, navigate],
  );
  const onClear = () =>
    navigate({ gpu: [], region: [], sort: filters.sort, order: filters.order }, 'replace');
  const onSort = (sort: OfferSort, order: 'asc' | 'desc') =>
    navigate(
      { ...filters, sort, order: order === DEFAULT_ORDER[sort] ? undefined : order, cursor: undefined },
      'replace',
    );

  const order = filters.order ?? DEFAULT_ORDER[filters.sort];
  const offers = data?.data ?? [];
  const busy = isFetching && (isPlaceholderData || isPending);
  const status = error
    ? 'Could not load offers.'
    : isPending
      ? 'Loading offers…'
      : busy
        ? 'Updating…'
        : offers.length === 0
          ? 'No offers match these filters.'
          : `Showing ${offers.length} offer${offers.length === 1 ? '' : 's'}${filters.cursor ? ' (later page)' : ''}.`;

  return (
    <div className="grid gap-6 sm:grid-cols-[220px_1fr]">
      <details className="rounded-lg border border-border p-3 sm:hidden">
        <summary className="cursor-pointer text-sm font-medium">Filters</summary>
        <div className="mt-3">
          <OfferFiltersPanel filters={filters} onChange={onFilterChange} onClear={onClear} />
        </div>
      </details>
      <aside className="hidden sm:block">
        <OfferFiltersPanel filters={filters} onChange={onFilterChange} onClear={onClear} />
      </aside>
      <div className="flex min-w-0 flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
            {status}
          </p>
          <ColumnChooser chosen={chosen} visible={visible} onChange={onColumnsChange} />
        </div>
        {error ? (
          <div
            role="alert"
            className="rounded-lg border border-danger/40 bg-danger-soft p-4 text-sm text-danger"
          >
            <p className="font-medium">{error.message}</p>
            {error instanceof ApiError && error.fields.length > 0 ? (
              <ul className="mt-2 list-disc pl-5">
                {error.fields.map((f) => (
                  <li key={`${f.field}:${f.message}`}>
                    <code>{f.field}</code>: {f.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {!error && !isPending && offers.length === 0 ? (
          <div className="rounded-lg border border-dashed border-border p-8 text-center text-sm text-muted-foreground">
            Nothing is available with these filters right now. Try a higher price or fewer constraints.
          </div>
        ) : null}
        {offers.length > 0 ? (
          <OfferTable
            offers={offers}
            sort={filters.sort}
            order={order}
            onSort={onSort}
            now={nowDate}
            busy={busy}
            visible={visible}
          />
        ) : null}
        <nav aria-label="Pages" className="flex gap-2">
          <Button
            disabled={!filters.cursor}
            onClick={() => navigate({ ...filters, cursor: undefined }, 'push')}
          >
            ← First page
          </Button>
          <Button
            disabled={!data?.nextCursor || busy}
            onClick={() => data?.nextCursor && navigate({ ...filters, cursor: data.nextCursor }, 'push')}
          >
            Next page →
          </Button>
        </nav>
      </div>
    </div>
  );
}
