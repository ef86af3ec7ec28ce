/**
 * `npm run worker` — the background loops in their own process, for a deployment where web instances run
 * with EMBEDDED_WORKER=false (docs/deploy.md). Run as many as you like against one PostgreSQL: each loop runs
 * in one worker at a time (advisory locks, taken run by run), queued jobs are claimed with SKIP LOCKED, and
 * each loop's last run is recorded in `worker_loops` for readiness. SIGTERM finishes the runs in flight,
 * releases the locks and exits within SHUTDOWN_TIMEOUT_MS.
 */
import { configuredTarget, openDatabase } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';
import { pendingMigrations } from '@/lib/server/health';
import { assertSafeForSharedDatabase } from '@/lib/server/deployment';
import { startComposedLoops } from '@/scripts/lib/compose-loops';

async function main(): Promise<void> {
  const env = serverEnv();
  const target = configuredTarget();
  if (target.engine !== 'postgres')
    throw new Error(
      'a separate worker needs a shared PostgreSQL (DATABASE_URL): the embedded database belongs to the web process, which runs the loops itself',
    );
  assertSafeForSharedDatabase(env);
  const handle = await openDatabase(target);
  const pending = await pendingMigrations(handle.db);
  if (pending.length) {
    await handle.close();
    throw new Error(
      `${pending.length} migrations are not applied (${pending.join(', ')}): run npm run migrate first`,
    );
  }
  const loops = startComposedLoops(handle.db, target);
  console.log(`• worker ${process.pid}: background loops running`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`• worker ${process.pid}: ${signal}, finishing the runs in flight`);
    setTimeout(() => {
      console.error(`• worker ${process.pid}: runs still going after ${env.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    loops
      .stop()
      .then(() => handle.close())
      .then(() => {
        console.log(`• worker ${process.pid}: stopped`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(`• worker ${process.pid}: stopping failed`, error);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`• worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
