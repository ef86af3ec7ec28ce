'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { formatDay, spanLabel } from '@/components/metrics/format';
import { formatInteger, formatPercent } from '@/lib/format';
import type { HistoryStatus } from '@/lib/metrics/schemas';

/** How often the page asks how far the history has got while it generates. */
const POLL_MS = 2_000;
/** How often, at most, the server-rendered figures around it are re-rendered while it grows. */
const REFRESH_MS = 15_000;

/**
 * How far the simulated network's history has been generated. Shown while it is generating — the bar moves as
 * it goes (polled from `GET /api/v1/metrics/history`) and the figures on the page are re-rendered every few
 * seconds and once more when it completes — or when generation stopped with an error; nothing once complete.
 */
export function HistoryProgress({ history: initial }: { history: HistoryStatus }) {
  const [history, setHistory] = useState(initial);
  const router = useRouter();
  const refreshedAt = useRef(0);
  useEffect(() => {
    if (history.state !== 'generating') return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch('/api/v1/metrics/history', { cache: 'no-store' });
        if (!response.ok || stopped) return;
        const body = (await response.json()) as { history: HistoryStatus | null };
        if (!body.history || stopped) return;
        setHistory(body.history);
        const now = Date.now();
        if (body.history.state !== 'generating' || now - refreshedAt.current >= REFRESH_MS) {
          refreshedAt.current = now;
          router.refresh();
        }
      } catch {
        // Offline for a moment: the next poll tries again.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [history.state, router]);
  return <HistoryProgressView history={history} />;
}

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
        {through}), {made}. The figures on this page grow as it runs.
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
