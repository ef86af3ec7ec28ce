/**
 * `npm run metrics:rebuild` — recompute every public-metrics rollup from the raw records (ledger, jobs,
 * attempts, incentive epochs, deposits, payouts) of the configured database. The worker keeps them up to date
 * on its own; this is for after a restore, a manual correction or a change of definition. With the embedded
 * PGlite database, stop `npm start` first (one process per data folder).
 */
import { systemClock } from '@/lib/clock';
import { configuredTarget, migrateDatabase, openDatabase } from '@/lib/db/client';
import { rebuildMetricRollups } from '@/lib/metrics/rollups';

async function main(): Promise<void> {
  const handle = await openDatabase(configuredTarget());
  try {
    await migrateDatabase(handle);
    const summary = await rebuildMetricRollups(handle.db, systemClock);
    console.log(
      `• metrics rollups rebuilt: ${summary.days} days (${summary.fromDay} to ${summary.toDay}) in ${summary.ms} ms`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
