import { cachedJsonResponse } from '@/lib/api/cached-response';
import { apiRoute } from '@/lib/api/route';
import { readOfferSummary } from '@/lib/cache/public-reads';
import { OFFER_SUMMARY_CACHE_CONTROL } from '@/lib/market/http';

/** Supply now, by GPU model, from the public read cache. Public. */
export const GET = apiRoute({
  handler: async ({ ctx, request }) =>
    cachedJsonResponse(request, await readOfferSummary(ctx), { cacheControl: OFFER_SUMMARY_CACHE_CONTROL }),
});
