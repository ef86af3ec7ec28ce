/**
 * The database half of `npm start`, run as its own process: migrate, seed an empty database, and provision
 * the simulated fleet (node tokens, demo customers, the credentials file). PGlite has one connection, which the
 * web process owns once it runs — and a process that has opened PGlite keeps its memory, so this one exits.
 */
import { systemClock } from '@/lib/clock';
import { configuredTarget, openDatabase } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';
import { provisionFleet } from '@/simulator/provision';
import { prepareDatabase } from '@/scripts/lib/prepare-database';

/** Demo customers that launch jobs through the public API when DEMO_DEMAND is on. */
const DEMAND_ACCOUNTS = 4;

async function main(): Promise<void> {
  const env = serverEnv();
  // DEMO_NETWORK means what it says: without it an empty database stays empty (a real marketplace's first start).
  await prepareDatabase({ seed: env.DEMO_NETWORK });
  if (!env.DEMO_NETWORK) return;
  const handle = await openDatabase(configuredTarget());
  try {
    const summary = await provisionFleet(handle.db, systemClock, {
      dataDir: env.DATA_DIR,
      demandAccounts: env.DEMO_DEMAND ? DEMAND_ACCOUNTS : 0,
    });
    console.log(
      `• fleet provisioned: ${summary.heartbeating} of ${summary.nodes} demo nodes will heartbeat, ` +
        `${summary.customers} demo customers${summary.funded ? ` (${summary.funded} topped up with simulated funds)` : ''}`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(`• preparing the database failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
