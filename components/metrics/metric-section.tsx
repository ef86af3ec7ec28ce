import { chartModel, hasFigures, sumMicros } from '@/components/metrics/chart-data';
import { ChartSlot } from '@/components/metrics/chart-slot';
import { CohortHeatmap } from '@/components/metrics/cohort-heatmap';
import { formatDay } from '@/components/metrics/format';
import { MetricTable } from '@/components/metrics/metric-table';
import { RecencySnapshot } from '@/components/metrics/recency-snapshot';
import { metricApiHref, type DayRange } from '@/components/metrics/view';
import type { Granularity } from '@/lib/metrics/definitions';
import type { MetricSeries, MetricsSummary } from '@/lib/metrics/schemas';
import { formatUsd } from '@/lib/money';

type MetricInfo = MetricsSummary['metrics'][number];

const GRANULARITY_WORDS: Record<Granularity, string> = { day: 'day', week: 'week', month: 'month' };

function Downloads({ info, href }: { info: MetricInfo; href: (format: 'json' | 'csv') => string }) {
  return (
    <p className="flex flex-wrap gap-3 text-sm">
      <a href={href('csv')} download={`${info.id}.csv`} className="text-accent underline underline-offset-2">
        Download CSV<span className="sr-only"> of {info.title}</span>
      </a>
      <a href={href('json')} className="text-accent underline underline-offset-2">
        JSON<span className="sr-only"> of {info.title}</span>
      </a>
    </p>
  );
}

/** The sentence under the reconciliation chart: what is unaccounted for over the whole range. */
function Unreconciled({ series }: { series: MetricSeries }) {
  const deposits = sumMicros(series.rows, 'depositsUnreconciledMicros');
  const payouts = sumMicros(series.rows, 'payoutsUnreconciledMicros');
  const clean = deposits === 0n && payouts === 0n;
  return (
    <p className={clean ? 'text-sm' : 'text-sm font-medium text-danger'}>
      Unreconciled over this range: deposits {formatUsd(deposits)}, payouts {formatUsd(payouts)}.{' '}
      {clean
        ? 'Every USDC deposit credited or paid out in the ledger is matched by an on-chain transfer; simulated funding is published apart, never as a deposit.'
        : 'Anything but $0.00 is a defect: the ledger and the chain disagree.'}
    </p>
  );
}

/** Under the demand chart: the configured token price, and whether incentives exceed fees over the range. */
function Margin({ series, tokenPrice }: { series: MetricSeries; tokenPrice: MetricsSummary['tokenPrice'] }) {
  const fees = sumMicros(series.rows, 'feeMicros');
  const incentives = sumMicros(series.rows, 'incentiveUsdMicros');
  const price = formatUsd(tokenPrice.usdPriceMicros);
  return (
    <div className="flex flex-col gap-1 text-sm">
      <p className={incentives > fees ? 'font-medium text-warning' : ''}>
        Over this range: platform fees {formatUsd(fees)}, incentives {formatUsd(incentives)}, margin{' '}
        {formatUsd(fees - incentives)}.{' '}
        {incentives > fees
          ? 'The network spends more on incentives than it earns in fees.'
          : 'The network earns at least as much in fees as it spends on incentives.'}
      </p>
      <p className="text-muted-foreground">
        Token price source: incentives are valued at a configured reference price of {price} per token (the
        INCENTIVE_USD_PRICE setting), recorded with each emission. It is configured, not a market price.
      </p>
    </div>
  );
}

function Figure({ series }: { series: MetricSeries }) {
  if (series.metric.id === 'cohort-retention') return <CohortHeatmap series={series} />;
  const model = chartModel(series);
  return model ? <ChartSlot model={model} /> : null;
}

/**
 * One public metric: what it shows, its chart (or the cohort heatmap), the methodology, the CSV and JSON of
 * exactly the figures shown, and the table behind the chart. `series` is null when the metric could not be
 * read; the section then says so and still offers the downloads, which answer from the API directly.
 */
export function MetricSection({
  info,
  series,
  range,
  granularity,
  simulated,
  tokenPrice,
}: {
  info: MetricInfo;
  series: MetricSeries | null;
  range: DayRange;
  granularity: Granularity;
  /** The network's data is simulated (used when the series could not be read). */
  simulated: boolean;
  tokenPrice: MetricsSummary['tokenPrice'];
}) {
  // Customer metrics are monthly by definition, whatever the page's granularity.
  const shownGranularity = info.granularities.includes(granularity) ? granularity : 'month';
  const href = (format: 'json' | 'csv') =>
    metricApiHref(info.id, { ...range, granularity: shownGranularity }, format);
  const titleId = `${info.id}-title`;
  const empty = series ? !hasFigures(series) : false;

  return (
    <section
      id={info.id}
      aria-labelledby={titleId}
      className="flex scroll-mt-4 flex-col gap-3 rounded-lg border border-border bg-card p-4"
    >
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1">
        <div>
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={titleId} className="text-lg font-semibold">
              {info.title}
            </h2>
            {(series?.simulated ?? simulated) ? (
              <span className="rounded border border-warning/40 bg-warning-soft px-1.5 py-0.5 text-xs font-medium text-warning">
                Simulated
              </span>
            ) : null}
          </div>
          <p className="text-sm text-muted-foreground">
            {info.summary} By {GRANULARITY_WORDS[shownGranularity]}, {formatDay(range.from)} to{' '}
            {formatDay(range.to)} (UTC).
          </p>
        </div>
        <Downloads info={info} href={href} />
      </div>

      {!series ? (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger-soft p-3 text-sm text-danger">
          This metric could not be read just now. The CSV and JSON links above ask the API again.
        </p>
      ) : empty ? (
        <p className="rounded-md border border-dashed border-border p-6 text-center text-sm text-muted-foreground">
          Nothing recorded in this range yet.
        </p>
      ) : (
        <Figure series={series} />
      )}

      {series?.snapshot ? <RecencySnapshot buckets={series.snapshot} /> : null}
      {series && info.id === 'reconciliation' ? <Unreconciled series={series} /> : null}
      {series && info.id === 'demand-vs-incentives' ? (
        <Margin series={series} tokenPrice={tokenPrice} />
      ) : null}
      {series?.cut ? <p className="text-sm text-muted-foreground">{series.cut}</p> : null}

      <div className="text-sm">
        <h3 className="font-medium">Methodology</h3>
        <p className="mt-1 max-w-4xl text-muted-foreground">{info.methodology}</p>
      </div>

      {series && series.rows.length > 0 ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-muted-foreground">
            {info.title}: the table behind the {info.id === 'cohort-retention' ? 'heatmap' : 'chart'} (
            {series.rows.length} rows)
          </summary>
          <div className="mt-2">
            <MetricTable
              series={series}
              caption={`${info.title}, ${formatDay(range.from)} to ${formatDay(range.to)}`}
            />
          </div>
        </details>
      ) : null}
    </section>
  );
}
