import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChainInfo } from '@/lib/billing/schemas';
import { getJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/** The chain deposits are made on; fixed for the life of the server, so it is never refetched. */
export function chainInfoQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.chain,
    queryFn: ({ signal }) => getJson<ChainInfo>('/api/v1/chain', signal),
    staleTime: Infinity,
  });
}

export function useChainInfo() {
  return useQuery(chainInfoQueryOptions());
}
