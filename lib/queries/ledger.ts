import { infiniteQueryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { LedgerEntryView, StatementView } from '@/lib/billing/schemas';
import { getJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

export interface LedgerPage {
  items: LedgerEntryView[];
  nextCursor: string | null;
}

/** The CSV of every ledger entry of the signed-in account (a download, not a query). */
export const LEDGER_EXPORT_PATH = '/api/v1/ledger/export';

/** Ledger entries per page; the billing page prefetches the first page with the same size. */
export const LEDGER_PAGE_SIZE = 25;

/** The account's ledger postings, newest first, one keyset page at a time ("Load more"). */
export function ledgerQueryOptions() {
  return infiniteQueryOptions({
    queryKey: queryKeys.account.ledger.list,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(LEDGER_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return getJson<LedgerPage>(`/api/v1/ledger?${params}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useLedger(enabled = true) {
  return useInfiniteQuery({ ...ledgerQueryOptions(), enabled });
}

/** A month's statement: as JSON for the printable page, as CSV for a spreadsheet (a download). */
export const statementPath = (month: string, format: 'json' | 'csv' = 'json') =>
  `/api/v1/statements/${month}${format === 'csv' ? '?format=csv' : ''}`;

export function useStatement(month: string, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.account.ledger.all, 'statement', month] as const,
    queryFn: ({ signal }) => getJson<StatementView>(statementPath(month), signal),
    enabled,
  });
}

/** The last `count` calendar months (UTC), newest first: `2026-12`, `2026-11`, … */
export function recentMonths(now: Date, count = 12): string[] {
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return d.toISOString().slice(0, 7);
  });
}
