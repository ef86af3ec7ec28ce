import { apiRoute } from '@/lib/api/route';
import { readMetricSeries } from '@/lib/cache/public-reads';
import { metricSeriesResponse, wantsCsv } from '@/lib/metrics/http';
import { metricParamsSchema, metricQuerySchema } from '@/lib/metrics/schemas';

/** One metric over a date range and granularity, as JSON or CSV, from the public read cache. Public. */
export const GET = apiRoute({
  params: metricParamsSchema,
  query: metricQuerySchema,
  handler: async ({ ctx, params, query, request }) =>
    metricSeriesResponse(
      request,
      await readMetricSeries(ctx, params.metric, query),
      wantsCsv(query.format, request.headers.get('accept')),
    ),
});
