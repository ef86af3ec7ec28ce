import { connection } from 'next/server';
import { systemClock, type Clock } from '@/lib/clock';
import { getDb, type Db } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';

export interface AppContext {
  db: Db;
  clock: Clock;
  /** Whether the database holds the simulated demo network. */
  simulated: boolean;
}

/**
 * What request-time server code needs: the database, the clock and the demo flag. Awaiting `connection()`
 * marks the caller as dynamic, so pages that read the database are never prerendered at build time.
 */
export async function appContext(): Promise<AppContext> {
  await connection();
  return { db: await getDb(), clock: systemClock, simulated: serverEnv().DEMO_NETWORK };
}
