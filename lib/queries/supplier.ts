import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';
import { transfersOutKey } from '@/lib/queries/transfers-out';
import type { SupplierEarnings, SupplierNodeView } from '@/lib/supplier/schemas';

export interface SupplierNodePage {
  items: SupplierNodeView[];
  nextCursor: string | null;
}

export interface RegistrationToken {
  registrationToken: string;
  expiresAt: string;
}

/**
 * The earnings report's range as it lives in the URL (`?from=&to=`, UTC days, both included). Unset ends
 * take the server's defaults (the 30 days ending today); the answer says which days it covers.
 */
export interface EarningsRange {
  from?: string;
  to?: string;
}

/**
 * The supplier console's keys, under the account's prefix: signing in or out drops them with everything else
 * of the previous account.
 */
export const supplierKeys = {
  all: [...queryKeys.account.all, 'supplier'] as const,
  nodes: [...queryKeys.account.all, 'supplier', 'nodes'] as const,
  earningsAll: [...queryKeys.account.all, 'supplier', 'earnings'] as const,
  earnings: (range: EarningsRange) => [...queryKeys.account.all, 'supplier', 'earnings', range] as const,
  payouts: transfersOutKey('payout'),
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the range from the URL. Free of zod (the browser bundle stays small): a value that is not a
 * YYYY-MM-DD day is dropped. The server page and the client read the URL through this same function, so
 * their query keys match and hydration reuses the server's report.
 */
export function readEarningsRange(params: URLSearchParams): EarningsRange {
  const range: EarningsRange = {};
  const from = params.get('from');
  const to = params.get('to');
  if (from && DAY.test(from)) range.from = from;
  if (to && DAY.test(to)) range.to = to;
  return range;
}

/** Canonical query string of a range: fixed key order, unset ends omitted. */
export function earningsRangeToSearchParams(range: EarningsRange): URLSearchParams {
  const params = new URLSearchParams();
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  return params;
}

function withRange(path: string, range: EarningsRange): string {
  const query = earningsRangeToSearchParams(range).toString();
  return query ? `${path}?${query}` : path;
}

/** The earnings report (JSON) of a range, as a link for whoever wants the figures behind the chart. */
export function earningsJsonPath(range: EarningsRange): string {
  return withRange('/api/v1/supplier/earnings', range);
}

/** CSV of every earning of the range, one row per capture of paid work and per epoch reward (a download). */
export function earningsExportPath(range: EarningsRange): string {
  return withRange('/api/v1/supplier/earnings/export', range);
}

/** CSV of the payouts requested in the range (a download). */
export function payoutsExportPath(range: EarningsRange): string {
  return withRange('/api/v1/supplier/payouts/export', range);
}

/** Nodes per page of "My nodes"; the server page prefetches the first page with the same size. */
export const SUPPLIER_NODES_PAGE_SIZE = 20;

/** While a node is registering or being benchmarked, the list is re-read this often. */
export const NODES_FAST_POLL_MS = 2_000;
/** Otherwise status, uptime and earnings move slowly. */
const NODES_POLL_MS = 30_000;
/** Paid work is charged at checkpoints and at the end of attempts; incentives once per epoch. */
const EARNINGS_POLL_MS = 15_000;

/** A node still waiting for its first verdict: its list is worth re-reading quickly. */
export function isAwaitingVerification(node: Pick<SupplierNodeView, 'verification' | 'status'>): boolean {
  return node.verification.state === 'unverified' && node.status !== 'offline' && node.status !== 'lost';
}

export function supplierNodesQueryOptions() {
  return infiniteQueryOptions({
    queryKey: supplierKeys.nodes,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(SUPPLIER_NODES_PAGE_SIZE) });
      if (pageParam) params.set('cursor', pageParam);
      return getJson<SupplierNodePage>(`/api/v1/supplier/nodes?${params}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some(isAwaitingVerification))
        ? NODES_FAST_POLL_MS
        : NODES_POLL_MS,
  });
}

/** My nodes. `fastPoll` re-reads them every two seconds, e.g. while waiting for a new node to register. */
export function useSupplierNodes({
  enabled = true,
  fastPoll = false,
}: {
  enabled?: boolean;
  fastPoll?: boolean;
}) {
  const options = supplierNodesQueryOptions();
  return useInfiniteQuery({
    ...options,
    enabled,
    ...(fastPoll ? { refetchInterval: NODES_FAST_POLL_MS } : {}),
  });
}

export function supplierEarningsQueryOptions(range: EarningsRange) {
  return queryOptions({
    queryKey: supplierKeys.earnings(range),
    queryFn: ({ signal }) => getJson<SupplierEarnings>(earningsJsonPath(range), signal),
    placeholderData: keepPreviousData,
    refetchInterval: EARNINGS_POLL_MS,
  });
}

export function useSupplierEarnings(range: EarningsRange, enabled = true) {
  return useQuery({ ...supplierEarningsQueryOptions(range), enabled });
}

/** A one-time registration token for `npm run agent -- --token …` (single use, expires in an hour). */
export function useCreateRegistrationToken() {
  return useMutation({
    mutationFn: () => sendJson<RegistrationToken>('POST', '/api/v1/nodes/registration-tokens', {}),
  });
}

/**
 * Sets a node's price per GPU-hour. The answer is the node as the console shows it, so it replaces the
 * cached one at once; the list is then re-read (the market band includes the node's own offer).
 */
export function useUpdateNodePrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ nodeId, priceMicros }: { nodeId: string; priceMicros: bigint }) =>
      sendJson<SupplierNodeView>('PATCH', `/api/v1/nodes/${nodeId}`, {
        pricePerGpuHourMicros: priceMicros.toString(),
      }),
    onSuccess: (node) => {
      queryClient.setQueryData<InfiniteData<SupplierNodePage>>(supplierKeys.nodes, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((n) => (n.id === node.id ? node : n)),
              })),
            }
          : data,
      );
      return queryClient.invalidateQueries({ queryKey: supplierKeys.nodes });
    },
  });
}
