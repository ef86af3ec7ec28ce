import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { HistoryProgressView as HistoryProgress } from '@/components/metrics/history-progress-view';
import { MetricSection } from '@/components/metrics/metric-section';
import { buildSeries } from '@/components/metrics/test-series';
import type { MetricSeries } from '@/lib/metrics/schemas';

const RANGE = { from: '2026-09-01', to: '2026-11-24' };

function render(series: MetricSeries | null, info = series?.metric, granularity = 'month' as const) {
  if (!info) throw new Error('info needed');
  // React separates adjacent text nodes with comments; the page reads as the text without them.
  return renderToString(
    <MetricSection
      info={info}
      series={series}
      range={RANGE}
      granularity={granularity}
      simulated={series?.simulated ?? true}
      tokenPrice={{ usdPriceMicros: '50000', source: 'configured' }}
    />,
  ).replaceAll('<!-- -->', '');
}

describe('MetricSection', () => {
  const series = buildSeries('reconciliation', [
    {
      period: '2026-10-01',
      depositsLedgerMicros: '5000000',
      depositsOnchainMicros: '3000000',
      depositsSimulatedMicros: '2000000',
      depositsUnreconciledMicros: '0',
      payoutsLedgerMicros: '1000000',
      payoutsOnchainMicros: '1000000',
      payoutsSimulatedMicros: '4000000',
      payoutsUnreconciledMicros: '0',
    },
  ]);

  it('renders the methodology, the downloads of the same range and the table behind the chart', () => {
    const html = render(series, series.metric, 'month');
    expect(html).toContain(series.metric.methodology.slice(0, 60));
    expect(html).toContain(
      'href="/api/v1/metrics/reconciliation?from=2026-09-01&amp;to=2026-11-24&amp;granularity=month&amp;format=csv"',
    );
    expect(html).toContain(
      'href="/api/v1/metrics/reconciliation?from=2026-09-01&amp;to=2026-11-24&amp;granularity=month"',
    );
    expect(html).toMatch(
      /<table[^>]*>.*<caption[^>]*>Deposits and payouts reconciled to chain, Sep 1, 2026 to Nov 24, 2026<\/caption>/,
    );
    expect(html).toContain('$5.00');
    expect(html).toContain('Unreconciled over this range: deposits $0.00, payouts $0.00.');
    // The chart waits for its section to be seen: only the fixed-height slot is in the server HTML.
    expect(html).toContain('data-chart-state="waiting"');
    expect(html).not.toContain('recharts');
  });

  it('labels simulated data, and says when incentives exceed fees and where the token price comes from', () => {
    const demand = buildSeries('demand-vs-incentives', [
      {
        period: '2026-10-01',
        paidDemandMicros: '10000000',
        incentiveUsdMicros: '3000000',
        incentiveTokenMicros: '60000000',
        subsidyRatio: 0.3,
        feeMicros: '1000000',
        incentivesToFees: 3,
        marginMicros: '-2000000',
        simulated: true,
      },
    ]);
    const html = render(demand, demand.metric, 'month');
    expect(html).toContain('>Simulated</span>');
    expect(html).toContain('The network spends more on incentives than it earns in fees.');
    expect(html).toContain('configured reference price of $0.05 per token');
    expect(html).toContain('It is configured, not a market price.');
    const real = render({ ...demand, simulated: false }, demand.metric, 'month');
    expect(real).not.toContain('>Simulated</span>');
  });

  it('states a reconciliation defect in words', () => {
    const broken = buildSeries('reconciliation', [
      { ...series.rows[0], depositsUnreconciledMicros: '-2500000', payoutsUnreconciledMicros: '0' },
    ]);
    expect(render(broken)).toContain('deposits −$2.50, payouts $0.00');
    expect(render(broken)).toContain('is a defect');
  });

  it('links customer metrics by month whatever the page granularity', () => {
    const customers = buildSeries('paying-customers', [
      { period: '2026-10-01', payingCustomers: 3, newCustomers: 1, returningCustomers: 2 },
    ]);
    const html = render(customers, customers.metric, 'week' as never);
    expect(html).toContain('granularity=month');
    expect(html).not.toContain('granularity=week');
  });

  it('says when the range has nothing yet, and when the metric could not be read', () => {
    const empty = buildSeries('paid-gpu-hours', [{ period: '2026-10-01', paidGpuMs: '0', paidGpuHours: 0 }]);
    const emptyHtml = render(empty);
    expect(emptyHtml).toContain('Nothing recorded in this range yet.');
    expect(emptyHtml).not.toContain('data-chart-state');

    const failed = render(null, empty.metric);
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('could not be read');
    expect(failed).toContain('Download CSV');
  });

  it('draws cohort retention as a heatmap table with the percentage in every cell', () => {
    const cohorts = buildSeries('cohort-retention', [
      {
        cohort: '2026-10-01',
        monthsSince: 0,
        period: '2026-10-01',
        cohortSize: 4,
        customers: 4,
        retention: 1,
        chargedMicros: '1',
      },
      {
        cohort: '2026-10-01',
        monthsSince: 1,
        period: '2026-11-01',
        cohortSize: 4,
        customers: 1,
        retention: 0.25,
        chargedMicros: '1',
      },
    ]);
    const html = render(cohorts);
    expect(html).toContain('Month 0');
    expect(html).toContain('Month 1');
    expect(html).toContain('October 2026');
    expect(html).toContain('100.0%');
    expect(html).toContain('25.0%');
    expect(html).toContain('the table behind the heatmap');
  });

  it('adds the right-now snapshot to verified GPUs online', () => {
    const online = buildSeries(
      'verified-gpus-online',
      [
        {
          period: '2026-10-01',
          verifiedGpuSeconds: '86400',
          coveredSeconds: '86400',
          averageVerifiedGpus: 1,
        },
      ],
      {
        snapshot: [
          { recency: '24h', nodes: 3, gpus: 12 },
          { recency: '7d', nodes: 1, gpus: 4 },
          { recency: '30d', nodes: 0, gpus: 0 },
          { recency: 'older', nodes: 0, gpus: 0 },
        ],
      },
    );
    const html = render(online);
    expect(html).toContain('Right now: 16 verified GPUs online');
    expect(html).toContain('Within 24 hours');
    expect(html).toContain('75%');
  });
});

describe('HistoryProgress', () => {
  const history = {
    state: 'generating' as const,
    progress: 0.43,
    fromAt: '2025-11-24T00:00:00.000Z',
    toAt: '2026-11-24T00:00:00.000Z',
    generatedThrough: '2026-05-03T10:00:00.000Z',
    jobs: 12345,
    customers: 210,
    startedAt: '2026-11-24T08:00:00.000Z',
    finishedAt: null,
  };

  it('shows the progress while generating, with a progress element', () => {
    const html = renderToString(<HistoryProgress history={history} />);
    expect(html.replaceAll('<!-- -->', '')).toContain(
      'Generating the simulated network’s 12-month history: 43% (through May 3, 2026), 12,345 jobs and 210 customers so far.',
    );
    expect(html).toMatch(/<progress[^>]*value="0.43"/);
  });

  it('says when generation failed, and nothing once complete', () => {
    expect(renderToString(<HistoryProgress history={{ ...history, state: 'failed' }} />)).toContain(
      'role="alert"',
    );
    expect(renderToString(<HistoryProgress history={{ ...history, state: 'complete', progress: 1 }} />)).toBe(
      '',
    );
  });
});
