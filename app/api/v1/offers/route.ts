import { cachedJsonResponse } from '@/lib/api/cached-response';
import { apiRoute } from '@/lib/api/route';
import { readOfferSearch } from '@/lib/cache/public-reads';
import { OFFER_SEARCH_CACHE_CONTROL } from '@/lib/market/http';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';

/** One keyset page of offers, from the public read cache. Public. */
export const GET = apiRoute({
  query: offerSearchQuerySchema,
  handler: async ({ query, ctx, request }) =>
    cachedJsonResponse(request, await readOfferSearch(ctx, query), {
      cacheControl: OFFER_SEARCH_CACHE_CONTROL,
    }),
});
