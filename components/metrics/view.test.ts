import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  metricApiHref,
  metricsViewHref,
  presetRange,
  rangeDays,
  readMetricsView,
  shownGranularity,
} from '@/components/metrics/view';

describe('readMetricsView', () => {
  it('reads the range and granularity from the URL', () => {
    expect(readMetricsView({ range: '3m', granularity: 'week' })).toEqual({
      view: { range: '3m', granularity: 'week' },
      ignored: [],
    });
  });

  it('falls back to the defaults and names what it ignored', () => {
    expect(readMetricsView({})).toEqual({ view: DEFAULT_VIEW, ignored: [] });
    expect(readMetricsView({ range: '5y', granularity: 'hour' })).toEqual({
      view: DEFAULT_VIEW,
      ignored: ['range', 'granularity'],
    });
    expect(readMetricsView({ range: '', granularity: ['day', 'month'] })).toEqual({
      view: { range: '12m', granularity: 'month' },
      ignored: [],
    });
  });
});

describe('metricsViewHref', () => {
  it('leaves the defaults out so /metrics is the default view', () => {
    expect(metricsViewHref(DEFAULT_VIEW)).toBe('/metrics');
    expect(metricsViewHref({ range: 'all', granularity: 'month' })).toBe('/metrics?range=all');
    expect(metricsViewHref({ range: '6m', granularity: 'day' })).toBe('/metrics?range=6m&granularity=day');
  });

  it('round-trips through readMetricsView', () => {
    const view = { range: '3m', granularity: 'week' } as const;
    const params = Object.fromEntries(new URL(metricsViewHref(view), 'http://x').searchParams);
    expect(readMetricsView(params).view).toEqual(view);
  });
});

describe('presetRange', () => {
  const MAX = 3 * 366;

  it('covers the last N calendar months, the current one included (as the API default of 12 does)', () => {
    expect(presetRange('3m', '2026-11-24', null, MAX)).toEqual({ from: '2026-09-01', to: '2026-11-24' });
    expect(presetRange('12m', '2026-11-24', null, MAX)).toEqual({ from: '2025-12-01', to: '2026-11-24' });
    expect(presetRange('6m', '2026-03-31', null, MAX)).toEqual({ from: '2025-10-01', to: '2026-03-31' });
  });

  it('starts "all" where the records start, held to the longest range the API serves', () => {
    expect(presetRange('all', '2026-11-24', '2026-09-25', MAX)).toEqual({
      from: '2026-09-25',
      to: '2026-11-24',
    });
    expect(presetRange('all', '2026-11-24', '2020-01-01', 30)).toEqual({
      from: '2026-10-26',
      to: '2026-11-24',
    });
    expect(presetRange('all', '2026-11-24', null, 30)).toEqual({ from: '2026-10-26', to: '2026-11-24' });
    expect(presetRange('all', '2026-11-24', '2026-12-01', MAX)).toEqual({
      from: '2026-11-24',
      to: '2026-11-24',
    });
  });
});

describe('metricApiHref', () => {
  it('names the exact range and granularity, as JSON or CSV', () => {
    const query = { from: '2026-09-01', to: '2026-11-24', granularity: 'week' } as const;
    expect(metricApiHref('paid-gpu-hours', query)).toBe(
      '/api/v1/metrics/paid-gpu-hours?from=2026-09-01&to=2026-11-24&granularity=week',
    );
    expect(metricApiHref('reconciliation', query, 'csv')).toBe(
      '/api/v1/metrics/reconciliation?from=2026-09-01&to=2026-11-24&granularity=week&format=csv',
    );
  });
});

describe('shownGranularity', () => {
  it('shows days up to 366 days, weeks beyond', () => {
    const year = { from: '2025-11-25', to: '2026-11-25' };
    expect(rangeDays(year)).toBe(366);
    expect(shownGranularity('day', year)).toBe('day');
    expect(shownGranularity('day', { from: '2025-11-24', to: '2026-11-25' })).toBe('week');
    expect(shownGranularity('month', { from: '2020-01-01', to: '2026-11-25' })).toBe('month');
  });
});
