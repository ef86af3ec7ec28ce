import { sql } from 'drizzle-orm';
import { systemClock, type Clock } from '@/lib/clock';
import { configuredTarget, migrateDatabase, openDatabase, type DatabaseHandle } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';
import { demoHistoryRecordDays, startDemoHistory } from '@/simulator/history/generator';
import { isNetworkEmpty, seedDemoNetwork } from '@/simulator/seed-demo-network';
import { refreshOffers } from '@/lib/market/refresh-offers';

export interface PrepareOptions {
  seed: boolean;
  reset?: boolean;
  clock?: Clock;
  log?: (line: string) => void;
}

/** Migrates the configured database and, when asked and it is empty, seeds the demo network. */
export async function prepareDatabase(options: PrepareOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const env = serverEnv();
  const target = configuredTarget();
  log(
    target.engine === 'postgres'
      ? '• database: PostgreSQL (DATABASE_URL)'
      : `• database: PGlite in ${target.dataDir}`,
  );
  const handle: DatabaseHandle = await openDatabase(target);
  try {
    await migrateDatabase(handle);
    log('• migrations applied');
    if (options.reset) {
      // Only what the generator made: demo suppliers' nodes (their GPUs, history, verifications and offers
      // go with them) and demo accounts that no ledger account refers to. Real accounts and money stay.
      await handle.db.transaction(async (tx) => {
        // Jobs that ran on demo nodes are money history (holds, charges, receipts): never deleted.
        const used = await tx.execute(
          sql`select 1 from job_attempts a join nodes n on n.id = a.node_id join accounts o on o.id = n.owner_account_id where o.is_demo limit 1`,
        );
        if ((used as unknown as { rows: unknown[] }).rows.length)
          throw new Error(
            'the demo network has run jobs, whose charges and receipts are kept; for a fresh network, stop the app and delete DATA_DIR (or use a new database)',
          );
        await tx.execute(
          sql`delete from nodes where owner_account_id in (select id from accounts where is_demo)`,
        );
        await tx.execute(
          sql`delete from accounts where is_demo and not exists (select 1 from ledger_accounts l where l.owner_account_id = accounts.id)`,
        );
      });
      log('• demo network removed');
    }
    if (!options.seed) return;
    if (!(await isNetworkEmpty(handle.db))) {
      const { listed, unlisted } = await refreshOffers(handle.db, options.clock ?? systemClock);
      log(
        `• demo network already present; ${listed} offers refreshed, ${unlisted} unlisted (npm run seed -- --reset regenerates it)`,
      );
      await startHistory(handle, options, log);
      return;
    }
    const started = performance.now();
    const now = (options.clock ?? systemClock).now();
    const summary = await seedDemoNetwork(
      handle.db,
      {
        seed: env.DEMO_SEED,
        nodeCount: env.DEMO_NODES,
        now,
        // The network's recorded past covers the whole history (nodes joined, went up and down, were checked).
        historyDays:
          env.DEMO_HISTORY_DAYS > 0 ? demoHistoryRecordDays(now, env.DEMO_HISTORY_DAYS) : undefined,
      },
      (done, label) => log(`• seeding demo network ${Math.round(done * 100)}% (${label})`),
    );
    log(
      `• seeded ${summary.nodes} nodes, ${summary.gpus} GPUs, ${summary.offers} offers, ` +
        `${summary.statusIntervals} status intervals from seed ${env.DEMO_SEED} in ${Math.round(performance.now() - started)} ms`,
    );
    await startHistory(handle, options, log);
  } finally {
    await handle.close();
  }
}

/**
 * Registers the demo network's generated history (DEMO_HISTORY_DAYS) so the web process's worker generates it
 * in the background, a day per transaction, while pages are served; it resumes where it stopped after a restart.
 */
async function startHistory(
  handle: DatabaseHandle,
  options: PrepareOptions,
  log: (line: string) => void,
): Promise<void> {
  const env = serverEnv();
  if (!env.DEMO_NETWORK) return;
  const row = await startDemoHistory(handle.db, options.clock ?? systemClock, {
    seed: env.DEMO_SEED,
    days: env.DEMO_HISTORY_DAYS,
  });
  if (!row) return;
  const through = row.generatedThrough.toISOString().slice(0, 10);
  const days = Math.round((row.toAt.getTime() - row.fromAt.getTime()) / 86_400_000);
  log(
    row.state === 'complete'
      ? `• demo history: ${days} days, complete${days !== env.DEMO_HISTORY_DAYS ? ` (kept; DEMO_HISTORY_DAYS=${env.DEMO_HISTORY_DAYS} applies to a new database)` : ''}`
      : `• demo history: ${env.DEMO_HISTORY_DAYS} days, generated through ${through}; the worker continues in the background`,
  );
}
