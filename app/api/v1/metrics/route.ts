import { cachedJsonResponse } from '@/lib/api/cached-response';
import { apiRoute } from '@/lib/api/route';
import { readMetricsSummary } from '@/lib/cache/public-reads';
import { METRICS_CACHE_CONTROL } from '@/lib/metrics/http';

/** The headline figures, the generated history's progress and the list of metrics, from the public read cache. Public. */
export const GET = apiRoute({
  handler: async ({ ctx, request }) =>
    cachedJsonResponse(request, await readMetricsSummary(ctx), { cacheControl: METRICS_CACHE_CONTROL }),
});
