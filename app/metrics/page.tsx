import type { Metadata } from 'next';
import { ChainReconciliation } from '@/components/metrics/chain-reconciliation';
import { formatInstant } from '@/components/metrics/format';
import { HeadlineFigures } from '@/components/metrics/headline-figures';
import { HistoryProgressView } from '@/components/metrics/history-progress-view';
import { MetricSection } from '@/components/metrics/metric-section';
import { SimulatedMetricsNote } from '@/components/metrics/simulated-note';
import { ViewControls } from '@/components/metrics/view-controls';
import {
  MAX_DAILY_DAYS,
  METRICS_SUMMARY_API,
  presetRange,
  readMetricsView,
  shownGranularity,
} from '@/components/metrics/view';
import { appContext } from '@/lib/app-context';
import { readMetricSeries, readMetricsSummary } from '@/lib/cache/public-reads';
import { chainPublicClient } from '@/lib/chain/client';
import { chainConfig } from '@/lib/chain/config';
import { defaultRangeFrom, MAX_RANGE_DAYS } from '@/lib/metrics/queries';
import type { MetricSeries } from '@/lib/metrics/schemas';
import { unavailableReconciliation } from '@/lib/reconciliation/reconcile';
import { chainReconciliation } from '@/lib/reconciliation/service';

export const metadata: Metadata = {
  title: 'Network metrics',
  description:
    'Paid GPU-hours, paid demand against incentives, retention cohorts, utilization of verified supply and reconciliation to chain, each with its methodology, CSV and JSON.',
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The public network metrics, rendered on the server from the same queries the API serves
 * (`GET /api/v1/metrics`, `GET /api/v1/metrics/{metric}`): headline figures, then one section per metric with
 * its chart, methodology, downloads and the table behind the chart. Range and granularity live in the URL.
 */
export default async function MetricsPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await appContext();
  const { db, clock } = ctx;
  const params = await searchParams;
  const { view, ignored } = readMetricsView(params);
  const rangeChosen = params.range !== undefined && !ignored.includes('range');
  // The cached reads the API serves (`GET /api/v1/metrics`, `GET /api/v1/metrics/{metric}`).
  const summary = (await readMetricsSummary(ctx)).value;
  const today = clock.now().toISOString().slice(0, 10);
  const earliest = summary.extent.firstDay ?? summary.history?.fromAt.slice(0, 10) ?? null;
  // Without a range in the address: the whole history when it spans at most 13 months, else 12 months, said so.
  const fallback = defaultRangeFrom(today, earliest);
  const preset = rangeChosen ? view.range : fallback.cut ? '12m' : 'all';
  const cut = rangeChosen ? null : fallback.cut;
  const range = presetRange(preset, today, earliest, MAX_RANGE_DAYS);
  const granularity = shownGranularity(view.granularity, range);

  // One metric failing to read leaves the others on the page; its section says so.
  const series = await Promise.all(
    summary.metrics.map((info) =>
      readMetricSeries(ctx, info.id, {
        ...range,
        granularity: info.granularities.includes(granularity) ? granularity : 'month',
      }).then(
        (read) => read.value,
        (error: unknown): MetricSeries | null => {
          console.error(`[metrics] ${info.id} could not be read`, error);
          return null;
        },
      ),
    ),
  );

  // Read from the chain (cached briefly); a chain that is slow or down makes it "not available", never the page.
  const reconciliation = await (async () => {
    try {
      const chain = chainConfig();
      return await chainReconciliation(
        { db, clock, chain, chainClient: chain ? chainPublicClient(chain) : null },
        { timeoutMs: 3_000 },
      );
    } catch (error) {
      console.error('[metrics] the reconciliation with the chain could not be made', error);
      return unavailableReconciliation('The chain configuration of this server is invalid.', clock.now());
    }
  })();

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Network metrics</h1>
        <p className="max-w-3xl text-muted-foreground">
          GPU networks usually publish how many GPUs they have listed: capacity, not use. These figures are
          about paid usage: GPU-hours customers were charged for, what they paid against the incentives the
          network emits, whether customers come back, how much of the verified supply is rented, how jobs end,
          and whether the ledger agrees with the chain. Each is computed from the ledger and the job records,
          never typed in, and served by the public API with its methodology, as CSV and as JSON.
        </p>
        <p className="text-sm text-muted-foreground">
          {summary.refreshedAt ? (
            <>
              Records up to <time dateTime={summary.refreshedAt}>{formatInstant(summary.refreshedAt)}</time>{' '}
              are reflected; the rollups behind these figures are refreshed in the background.
            </>
          ) : (
            'The rollups behind these figures have not been computed yet.'
          )}{' '}
          The headline figures as JSON:{' '}
          <a href={METRICS_SUMMARY_API} className="font-mono text-accent underline underline-offset-2">
            GET /api/v1/metrics
          </a>
          .
        </p>
      </div>

      {summary.simulated ? <SimulatedMetricsNote generatedHistory={summary.history !== null} /> : null}
      {summary.history && summary.history.state !== 'complete' ? (
        <>
          {/* While the history generates the page reloads itself every ten seconds, so its progress and its
              figures move without a click — and without shipping any script to a finished page. */}
          {summary.history.state === 'generating' ? <meta httpEquiv="refresh" content="10" /> : null}
          <HistoryProgressView history={summary.history} />
        </>
      ) : null}

      <section aria-labelledby="headline-title" className="flex flex-col gap-3">
        <h2 id="headline-title" className="text-lg font-semibold">
          Headline figures
        </h2>
        <HeadlineFigures headline={summary.headline} />
      </section>

      <section aria-labelledby="charts-title" className="flex flex-col gap-3">
        <h2 id="charts-title" className="text-lg font-semibold">
          Over time
        </h2>
        <ViewControls view={{ ...view, range: preset, granularity }} />
        {ignored.length > 0 ? (
          <p role="status" className="text-sm text-warning">
            Unknown {ignored.join(' and ')} in the address: showing the default instead.
          </p>
        ) : null}
        {granularity !== view.granularity ? (
          <p role="status" className="text-sm text-warning">
            By day covers at most {MAX_DAILY_DAYS} days: this range is shown by week.
          </p>
        ) : null}
        <p className="text-sm text-muted-foreground">
          Periods are UTC; weeks start on Monday. The latest period is still running. Customer metrics are
          monthly by definition. {summary.rules} A missing period is shown as “—” and as a gap in its chart.
        </p>
        {cut ? <p className="text-sm text-muted-foreground">{cut}</p> : null}
        <nav aria-label="Metrics on this page">
          <ol className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-3">
            {summary.metrics.map((info) => (
              <li key={info.id}>
                <a href={`#${info.id}`} className="text-accent underline-offset-2 hover:underline">
                  {info.title}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      </section>

      {summary.metrics.map((info, index) => (
        <MetricSection
          key={info.id}
          info={info}
          series={series[index] ?? null}
          range={range}
          granularity={granularity}
          simulated={summary.simulated}
          tokenPrice={summary.tokenPrice}
        />
      ))}

      <ChainReconciliation reconciliation={reconciliation} />
    </div>
  );
}
