import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { OfferPage } from '@/lib/market/offer-schemas';
import { offerFiltersToSearchParams, type OfferFilters } from '@/lib/market/offer-url';
import { getJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

export function offersQueryOptions(filters: OfferFilters) {
  return queryOptions({
    queryKey: queryKeys.offers.list(filters),
    queryFn: ({ signal }) =>
      getJson<OfferPage>(`/api/v1/offers?${offerFiltersToSearchParams(filters)}`, signal),
    placeholderData: keepPreviousData,
    retry: (count, error) => count < 2 && !(error instanceof Error && error.name === 'ApiError'),
  });
}

export function useOffers(filters: OfferFilters) {
  return useQuery(offersQueryOptions(filters));
}
