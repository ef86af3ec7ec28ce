import { apiRoute } from '@/lib/api/route';
import { METRICS_CACHE_CONTROL } from '@/lib/metrics/http';
import { getMetricsSummary } from '@/lib/metrics/queries';

/** The headline figures, the generated history's progress and the list of metrics. Public. */
export const GET = apiRoute({
  cacheControl: METRICS_CACHE_CONTROL,
  handler: async ({ ctx }) => getMetricsSummary(ctx.db, ctx.clock, { simulated: ctx.simulated }),
});
