/**
 * Next.js calls `register` once when a server process starts. In the embedded stack the background loops
 * run here, inside the web process, because PGlite's single connection belongs to it. This is the composition
 * root: the one place outside `simulator/` and the entry points that may wire the simulator in.
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
  const env = serverEnv();
  if (!env.EMBEDDED_WORKER) return;
  const db = await getDb();
  const chain = chainConfig();
  // The composition root wires the simulator in when the demo network runs; the core never imports it.
  const extra = [];
  if (env.DEMO_NETWORK && env.DEMO_HISTORY_DAYS > 0) {
    const [{ demoHistoryLoop }, { demoHistoryOptions }] = await Promise.all([
      import('@/simulator/history/loop'),
      import('@/simulator/history/generator'),
    ]);
    extra.push(demoHistoryLoop(db, systemClock, demoHistoryOptions(env)));
  }
  startBackgroundLoops(
    db,
    systemClock,
    console,
    chain ? { db, clock: systemClock, chain, client: chainPublicClient(chain) } : null,
    undefined,
    undefined,
    extra,
  );
}
