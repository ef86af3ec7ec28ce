import type { NextResponse } from 'next/server';
import { cachedJsonResponse, renderedResponse } from '@/lib/api/cached-response';
import type { CachedRead } from '@/lib/cache/versioned-cache';
import { metricCsv } from '@/lib/metrics/queries';
import type { MetricSeries } from '@/lib/metrics/schemas';

/**
 * Public, and the rollups are refreshed every 30 seconds: shared caches may keep an answer that long and serve
 * it a little stale while they fetch the next. Clients revalidate with the ETag (a 304 costs no body).
 */
export const METRICS_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';

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

/**
 * One metric as JSON or as a CSV download, each with its own ETag (304 when the client has it). Both vary on
 * `Accept`, which can choose between them.
 */
export function metricSeriesResponse(
  request: Request,
  read: CachedRead<MetricSeries>,
  csv: boolean,
): NextResponse {
  const options = { cacheControl: METRICS_CACHE_CONTROL, vary: 'Accept' };
  if (!csv) return cachedJsonResponse(request, read, options);
  const series = read.value;
  const name = `backfill-${series.metric.id}-${series.from}-${series.to}-${series.granularity}.csv`;
  return renderedResponse(request, read.render('csv', metricCsv), {
    ...options,
    contentType: 'text/csv; charset=utf-8',
    headers: { 'Content-Disposition': `attachment; filename="${name}"` },
  });
}
