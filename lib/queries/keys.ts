import type { OfferFilters } from '@/lib/market/offer-url';

/** The one query-key factory: nested arrays, so invalidating a prefix reaches every list under it. */
export const queryKeys = {
  offers: {
    all: ['offers'] as const,
    list: (filters: OfferFilters) => ['offers', 'list', filters] as const,
  },
};
