import { metricCsv } from '@/lib/metrics/queries';
import type { MetricSeries } from '@/lib/metrics/schemas';

/**
 * Public, and the rollups move once a minute: shared caches may keep an answer for a minute and serve it a
 * little stale while they fetch the next.
 */
export const METRICS_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

/** A published day's export never changes once written: caches may keep it for a day. */
export const METRICS_EXPORT_CACHE_CONTROL = 'public, max-age=86400, immutable';

/** `format=csv` wins; without `format`, an Accept header that prefers text/csv over JSON selects CSV. */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | null): boolean {
  if (format) return format === 'csv';
  if (!accept) return false;
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

export function metricCsvResponse(series: MetricSeries): Response {
  const name = `backfill-${series.metric.id}-${series.from}-${series.to}-${series.granularity}.csv`;
  return new Response(metricCsv(series), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': METRICS_CACHE_CONTROL,
      Vary: 'Accept',
    },
  });
}
