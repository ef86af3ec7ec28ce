import { MS_PER_DAY, type Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { getHistoryStatus } from '@/lib/metrics/history-status';
import { refreshMetricRollups, refreshRecentMetricRollups } from '@/lib/metrics/rollups';
import type { Loop } from '@/lib/worker/background-loops';
import { runDemoHistoryBatch, type DemoHistoryOptions } from '@/simulator/history/generator';

/**
 * The simulated network's history as a background loop of the embedded stack: the composition root
 * (`instrumentation.ts`) hands it to `startBackgroundLoops` when the demo network runs. The core never imports
 * it: the generator is a client of the domain functions, like the fleet and the demand are of the API.
 */

/** How soon the next batch may start after one has rested: the rest below is what yields to web requests. */
const DEMO_HISTORY_INTERVAL_MS = 10;
/**
 * After each batch the history rests a tenth of the time the batch took, and requests that arrived meanwhile
 * go first: PGlite has one connection, and the live network's heartbeats and pages must not queue behind a
 * year of history. A batch is one short transaction (the set-based writer's, a tenth of a second or two), so a
 * request waits at most that long.
 */
const DEMO_HISTORY_REST_PER_BUSY_MS = 0.1;
/** While the history generates, its days are taken into the metric rollups a week at a time. */
const DEMO_HISTORY_ROLLUP_DAYS = 7;

/**
 * The demo history's generation, a batch per run; the simulated days are refreshed into the metric rollups
 * a week at a time, so the charts fill in while the history grows; the recent rollups once it is done. Once the
 * history is complete or has failed this process stops asking (a restart retries a failed history).
 */
export function demoHistoryLoop(
  db: Db,
  clock: Clock,
  history: DemoHistoryOptions,
  rollupEveryDays = DEMO_HISTORY_ROLLUP_DAYS,
): Loop {
  // The simulated range written since the last refresh: refreshed once a simulated week is complete (a day
  // is written in parts; refreshing after each would redo the same days and months).
  let pending: { from: Date; to: Date } | null = null;
  const options: DemoHistoryOptions = {
    ...history,
    onBatchCommitted: async (from, to) => {
      pending = pending
        ? { from: pending.from < from ? pending.from : from, to: pending.to > to ? pending.to : to }
        : { from, to };
    },
  };
  let settled = false;
  return {
    name: 'demo-history',
    intervalMs: DEMO_HISTORY_INTERVAL_MS,
    run: async () => {
      if (settled) return;
      if ((await getHistoryStatus(db))?.state !== 'generating') {
        settled = true;
        return;
      }
      const started = performance.now();
      const batch = await runDemoHistoryBatch(db, clock, options);
      const through = batch.generatedThrough.getTime();
      const weekDone =
        through % MS_PER_DAY === 0 &&
        pending &&
        through - pending.from.getTime() >= rollupEveryDays * MS_PER_DAY;
      if (pending && (batch.done || weekDone)) {
        await refreshMetricRollups(db, pending);
        pending = null;
      }
      if (batch.done) {
        await refreshRecentMetricRollups(db, clock);
        // The market's job success and reliability read the history's attempts and status: current at once.
        await refreshOffers(db, clock);
      }
      const rest = (performance.now() - started) * DEMO_HISTORY_REST_PER_BUSY_MS;
      await new Promise((resolve) => setTimeout(resolve, rest));
    },
  };
}
