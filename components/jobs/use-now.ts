'use client';

import { useCallback, useSyncExternalStore } from 'react';

/**
 * The time, refreshed every `intervalMs`; null during the server render and hydration, so countdowns render
 * the server's figure first and never mismatch.
 */
export function useNow(intervalMs: number): number | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const timer = window.setInterval(onChange, intervalMs);
      return () => window.clearInterval(timer);
    },
    [intervalMs],
  );
  return useSyncExternalStore(
    subscribe,
    () => Math.floor(Date.now() / intervalMs) * intervalMs,
    () => null,
  );
}
