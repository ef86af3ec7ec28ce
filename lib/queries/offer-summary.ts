import { useQuery } from '@tanstack/react-query';
import type { OfferSummary } from '@/lib/market/offer-schemas';
import { getJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/**
 * Supply and price percentiles per GPU model now (public; the server caches it). A module of its own, so the
 * market page, which has a JavaScript budget, does not ship it.
 */
export function useOfferSummary(enabled = true) {
  return useQuery({
    queryKey: queryKeys.offers.summary,
    queryFn: ({ signal }) => getJson<OfferSummary>('/api/v1/offers/summary', signal),
    staleTime: 60_000,
    enabled,
  });
}
