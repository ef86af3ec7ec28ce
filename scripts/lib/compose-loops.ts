/**
 * The background loops as the composition root wires them, for the web process's embedded worker
 * (instrumentation.ts) and for `npm run worker` alike: the core's loops, the chain's when one is configured,
 * the simulated network's history and its suppliers' live withdrawals when the demo runs (the core never
 * imports the simulator), and advisory locks when the database is a shared PostgreSQL.
 */
import { chainPublicClient } from '@/lib/chain/client';
import { chainConfig } from '@/lib/chain/config';
import { systemClock } from '@/lib/clock';
import type { DatabaseTarget, Db } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';
import { startBackgroundLoops, type Loop, type RunningLoops } from '@/lib/worker/background-loops';
import { postgresLoopLocks } from '@/lib/worker/loop-locks';
import { demoHistoryOptions } from '@/simulator/history/generator';
import { livePayoutsLoop } from '@/simulator/history/live-payouts';
import { demoHistoryLoop } from '@/simulator/history/loop';

export function startComposedLoops(
  db: Db,
  target: DatabaseTarget,
  log: Pick<Console, 'error'> = console,
): RunningLoops {
  const env = serverEnv();
  const chain = chainConfig();
  const extraLoops: Loop[] = [];
  // The demo suppliers' withdrawals continue the history's habits once it has handed over.
  if (env.DEMO_NETWORK && env.DEMO_HISTORY_DAYS > 0)
    extraLoops.push(
      demoHistoryLoop(db, systemClock, demoHistoryOptions(env)),
      livePayoutsLoop(db, systemClock),
    );
  return startBackgroundLoops(db, systemClock, {
    log,
    chain: chain ? { db, clock: systemClock, chain, client: chainPublicClient(chain) } : null,
    extraLoops,
    // Several processes on one PostgreSQL: each loop runs in one of them at a time.
    locks: target.engine === 'postgres' ? postgresLoopLocks(target.url, log) : undefined,
  });
}
