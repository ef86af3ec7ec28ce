import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { refreshOffers } from '@/lib/market/refresh-offers';

/** How often offers are re-derived from node state and history (reliability moves slowly). */
export const OFFER_REFRESH_INTERVAL_MS = 5 * 60_000;

interface Loop {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

/**
 * Periodic background work. In the embedded stack it runs inside the web process (PGlite has one
 * connection, owned by that process). Each loop waits for its previous run to finish, so a slow run is never
 * overlapped by the next; a failing run is logged and retried at the next tick. Returns a stop function.
 */
export function startBackgroundLoops(
  db: Db,
  clock: Clock,
  log: Pick<Console, 'error'> = console,
): () => void {
  const loops: Loop[] = [
    { name: 'refresh-offers', intervalMs: OFFER_REFRESH_INTERVAL_MS, run: () => refreshOffers(db, clock) },
  ];
  const timers = loops.map((loop) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      loop
        .run()
        .catch((error: unknown) => log.error(`[worker] ${loop.name} failed`, error))
        .finally(() => {
          running = false;
        });
    }, loop.intervalMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach((timer) => clearInterval(timer));
}
