import { apiRoute } from '@/lib/api/route';
import { METRICS_CACHE_CONTROL, metricCsvResponse, wantsCsv } from '@/lib/metrics/http';
import { getMetricSeries } from '@/lib/metrics/queries';
import { metricParamsSchema, metricQuerySchema } from '@/lib/metrics/schemas';

/** One metric over a date range and granularity, as JSON or CSV. Public. */
export const GET = apiRoute({
  params: metricParamsSchema,
  query: metricQuerySchema,
  cacheControl: METRICS_CACHE_CONTROL,
  handler: async ({ ctx, params, query, request }) => {
    const series = await getMetricSeries(ctx.db, ctx.clock, params.metric, query, {
      simulated: ctx.simulated,
    });
    return wantsCsv(query.format, request.headers.get('accept')) ? metricCsvResponse(series) : series;
  },
});
