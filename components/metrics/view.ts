import type { Route } from 'next';
import type { Granularity, MetricId } from '@/lib/metrics/definitions';

/**
 * The range presets of the metrics page. Without one in the address the page shows the network's whole history
 * when it spans at most 13 months (`all`), otherwise `12m` and says where it cut (as the API's default does).
 */
export const RANGE_PRESETS = [
  { id: '3m', label: 'Last 3 months', months: 3 },
  { id: '6m', label: 'Last 6 months', months: 6 },
  { id: '12m', label: 'Last 12 months', months: 12 },
  { id: 'all', label: 'All', months: null },
] as const;

export type RangePreset = (typeof RANGE_PRESETS)[number]['id'];

export const GRANULARITY_OPTIONS: readonly { id: Granularity; label: string }[] = [
  { id: 'day', label: 'By day' },
  { id: 'week', label: 'By week' },
  { id: 'month', label: 'By month' },
];

/** What the page shows, as it lives in the URL (`/metrics?range=6m&granularity=week`). */
export interface MetricsView {
  range: RangePreset;
  granularity: Granularity;
}

export const DEFAULT_VIEW: MetricsView = { range: '12m', granularity: 'month' };

/** The page's resolved range: UTC days, both included. */
export interface DayRange {
  from: string;
  to: string;
}

type SearchRecord = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === '' ? undefined : last;
}

/**
 * The view from the page's search parameters. Unknown values fall back to the default and are named in
 * `ignored`, so the page can say what it did instead of answering an error page for a hand-edited URL.
 */
export function readMetricsView(params: SearchRecord): { view: MetricsView; ignored: string[] } {
  const ignored: string[] = [];
  const range = single(params.range);
  const granularity = single(params.granularity);
  const view = { ...DEFAULT_VIEW };
  if (range !== undefined) {
    const preset = RANGE_PRESETS.find((p) => p.id === range);
    if (preset) view.range = preset.id;
    else ignored.push('range');
  }
  if (granularity !== undefined) {
    const option = GRANULARITY_OPTIONS.find((g) => g.id === granularity);
    if (option) view.granularity = option.id;
    else ignored.push('granularity');
  }
  return { view, ignored };
}

/** The page URL of a view; defaults are left out so the plain `/metrics` is the default view. */
export function metricsViewHref(view: MetricsView): Route {
  const params = new URLSearchParams();
  if (view.range !== DEFAULT_VIEW.range) params.set('range', view.range);
  if (view.granularity !== DEFAULT_VIEW.granularity) params.set('granularity', view.granularity);
  const query = params.toString();
  return (query ? `/metrics?${query}` : '/metrics') as Route;
}

function firstOfMonthBefore(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1)).toISOString().slice(0, 10);
}

function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The days a preset covers, ending today: the last N calendar months (the current one included, as the API's
 * default of 12 does); "all" starts where the network's records start (`earliest`, the simulated history's
 * first day on the demo network), held to the longest range the API serves, `maxDays`. Without a known start,
 * "all" is that longest range.
 */
export function presetRange(
  preset: RangePreset,
  today: string,
  earliest: string | null,
  maxDays: number,
): DayRange {
  const found = RANGE_PRESETS.find((p) => p.id === preset);
  const months = found?.months ?? null;
  if (months !== null) return { from: firstOfMonthBefore(today, months - 1), to: today };
  const longest = daysBefore(today, maxDays - 1);
  const from = earliest && earliest > longest ? earliest : longest;
  return { from: from > today ? today : from, to: today };
}

/** The summary of every metric and the headline figures, as JSON. */
export const METRICS_SUMMARY_API = '/api/v1/metrics';

/** The longest range shown by day: beyond it, a daily table runs to thousands of rows per metric. */
export const MAX_DAILY_DAYS = 366;

/** Days in a range, both ends included. */
export function rangeDays(range: DayRange): number {
  return Math.round((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000) + 1;
}

/** The granularity the page shows a range by: weeks instead of days beyond `MAX_DAILY_DAYS`. */
export function shownGranularity(granularity: Granularity, range: DayRange): Granularity {
  return granularity === 'day' && rangeDays(range) > MAX_DAILY_DAYS ? 'week' : granularity;
}

/** The API URL of a metric for exactly the page's range and granularity, as JSON or as CSV. */
export function metricApiHref(
  id: MetricId,
  query: DayRange & { granularity: Granularity },
  format: 'json' | 'csv' = 'json',
): string {
  const params = new URLSearchParams({ from: query.from, to: query.to, granularity: query.granularity });
  if (format === 'csv') params.set('format', 'csv');
  return `${METRICS_SUMMARY_API}/${id}?${params.toString()}`;
}
