import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
} from '@tanstack/react-query';
import type { DepositView, SubmitDepositRequest } from '@/lib/deposits/schemas';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

export interface DepositPage {
  items: DepositView[];
  nextCursor: string | null;
}

/** A deposit stops changing once it is credited or rejected; unattributed ones wait for support. */
export function isDepositSettled(deposit: Pick<DepositView, 'state'>): boolean {
  return deposit.state === 'credited' || deposit.state === 'rejected' || deposit.state === 'unattributed';
}

/** How often a deposit still gathering confirmations is re-read: about once per block on a fast chain. */
export const DEPOSIT_POLL_MS = 1_000;

/** Deposits per page of the history; the billing page prefetches the first page with the same size. */
export const DEPOSITS_PAGE_SIZE = 10;

export function depositsQueryOptions() {
  return infiniteQueryOptions({
    queryKey: queryKeys.account.deposits.list,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(DEPOSITS_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return getJson<DepositPage>(`/api/v1/deposits?${params}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // Pending deposits on screen move on by themselves.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((d) => !isDepositSettled(d)))
        ? DEPOSIT_POLL_MS * 2
        : false,
  });
}

export function useDeposits(enabled = true) {
  return useInfiniteQuery({ ...depositsQueryOptions(), enabled });
}

/** One deposit, re-read every second until it is settled (credited or rejected). */
export function depositQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.account.deposits.detail(id),
    queryFn: ({ signal }) => getJson<DepositView>(`/api/v1/deposits/${id}`, signal),
    refetchInterval: (query) =>
      query.state.data && isDepositSettled(query.state.data) ? false : DEPOSIT_POLL_MS,
    staleTime: 0,
  });
}

export function useDeposit(id: string | null) {
  return useQuery({ ...depositQueryOptions(id ?? ''), enabled: id !== null });
}

/** Tells the server about a transfer the wallet made; the server reads the amount from the chain. */
export function useSubmitDeposit() {
  return useMutation({
    mutationFn: (request: SubmitDepositRequest) => sendJson<DepositView>('POST', '/api/v1/deposits', request),
  });
}
