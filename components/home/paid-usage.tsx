import Link from 'next/link';
import { formatInstant, NOT_DEFINED } from '@/components/metrics/format';
import { homeHeadlines } from '@/components/metrics/headline';
import { HistoryProgress } from '@/components/metrics/history-progress';
import { Stat } from '@/components/ui/card';
import type { MetricsSummary } from '@/lib/metrics/schemas';

/**
 * The home page's paid-usage figures: the same headline figures as `/metrics` and `GET /api/v1/metrics`,
 * server-rendered (no chart code on the home page).
 */
export function PaidUsage({ summary }: { summary: MetricsSummary }) {
  const generating = summary.history?.state === 'generating' ? summary.history : null;
  return (
    <section aria-labelledby="paid-usage">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="paid-usage" className="text-lg font-semibold">
          Paid usage
        </h2>
        <Link href="/metrics" className="text-sm text-accent underline underline-offset-2">
          All network metrics, with methodology
        </Link>
      </div>
      {generating ? (
        <div className="mb-3">
          <HistoryProgress history={generating} />
        </div>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        {homeHeadlines(summary.headline).map((figure) => (
          <Stat
            key={figure.id}
            label={`${figure.label}, ${figure.window}`}
            value={figure.value}
            hint={figure.value === NOT_DEFINED ? figure.hint : undefined}
          />
        ))}
      </dl>
      <p className="mt-2 text-xs text-muted-foreground">
        What customers were charged for, from the ledger.
        {summary.refreshedAt ? (
          <>
            {' '}
            Records up to <time dateTime={summary.refreshedAt}>{formatInstant(summary.refreshedAt)}</time>.
          </>
        ) : null}
      </p>
    </section>
  );
}
