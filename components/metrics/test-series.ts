import { metricDefinition, type Granularity, type MetricId } from '@/lib/metrics/definitions';
import type { MetricRow, MetricSeries } from '@/lib/metrics/schemas';

/** Test builder: a series as the API answers it, for one metric and the given rows. */
export function buildSeries(
  id: MetricId,
  rows: MetricRow[],
  patch: Partial<MetricSeries> = {},
): MetricSeries {
  const d = metricDefinition(id);
  return {
    metric: {
      id,
      title: d.title,
      summary: d.summary,
      methodology: d.methodology,
      granularities: [...d.granularities],
    },
    from: '2026-09-01',
    to: '2026-11-24',
    granularity: 'month' as Granularity,
    simulated: true,
    refreshedAt: '2026-11-24T12:00:00.000Z',
    cut: null,
    columns: d.columns.map((c) => ({ ...c })),
    rows,
    ...patch,
  };
}
