import { formatDay, spanLabel } from '@/components/metrics/format-dates';
import { formatInteger, formatPercent } from '@/lib/format-numbers';
import type { HistoryStatus } from '@/lib/metrics/schemas';

/** The progress as of one answer (what the server renders, and each poll re-renders). */
export function HistoryProgressView({ history }: { history: HistoryStatus }) {
  if (history.state === 'complete') return null;
  const span = spanLabel(history.fromAt, history.toAt);
  const through = formatDay(history.generatedThrough.slice(0, 10));
  const made = `${formatInteger(history.jobs)} jobs and ${formatInteger(history.customers)} customers so far`;
  if (history.state === 'failed')
    return (
      <div role="alert" className="rounded-lg border border-danger/40 bg-danger-soft p-3 text-sm text-danger">
        <strong>Generating the simulated network’s {span} history stopped with an error</strong> at{' '}
        {formatPercent(history.progress, 0)} (through {through}); {made}. The figures below cover what was
        generated.
      </div>
    );
  return (
    <div
      className="flex flex-col gap-2 rounded-lg border border-border bg-card p-3 text-sm"
      aria-live="polite"
    >
      <label htmlFor="history-progress">
        Generating the simulated network’s {span} history: {formatPercent(history.progress, 0)} (through{' '}
        {through}), {made}. The figures on this page grow as it runs and update by themselves.
      </label>
      <progress
        id="history-progress"
        className="h-2 w-full accent-[var(--accent)]"
        max={1}
        value={history.progress}
      />
    </div>
  );
}
