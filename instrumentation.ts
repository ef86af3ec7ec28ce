/**
 * Next.js calls `register` once when a server process starts. In the embedded stack the background loops
 * run here, inside the web process, because PGlite's single connection belongs to it.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { PHASE_PRODUCTION_BUILD } = await import('next/constants');
  if (process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const [
    { serverEnv },
    { getDb },
    { systemClock },
    { startBackgroundLoops },
    { chainConfig },
    { chainPublicClient },
  ] = await Promise.all([
    import('@/lib/env'),
    import('@/lib/db/client'),
    import('@/lib/clock'),
    import('@/lib/worker/background-loops'),
    import('@/lib/chain/config'),
    import('@/lib/chain/client'),
  ]);
  if (!serverEnv().EMBEDDED_WORKER) return;
  const db = await getDb();
  const chain = chainConfig();
  startBackgroundLoops(
    db,
    systemClock,
    console,
    chain ? { db, clock: systemClock, chain, client: chainPublicClient(chain) } : null,
  );
}
