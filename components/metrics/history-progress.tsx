'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { HistoryProgressView } from '@/components/metrics/history-progress-view';
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
