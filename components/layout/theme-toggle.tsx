'use client';

import { useTheme } from 'next-themes';
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** Cycles light → dark → system. Renders a stable label until mounted so server and client agree. */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const mounted = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const current = mounted ? (theme ?? 'system') : 'system';
  const next = current === 'light' ? 'dark' : current === 'dark' ? 'system' : 'light';
  return (
    <button
      type="button"
      onClick={() => setTheme(next)}
      className="rounded-md border border-border px-2 py-1 text-xs text-muted-foreground hover:bg-muted"
      aria-label={`Theme: ${current}. Switch to ${next}.`}
    >
      Theme: {current}
    </button>
  );
}
