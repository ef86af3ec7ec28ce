/**
 * Next.js calls `register` once when a server process starts. In the embedded stack the background loops
 * run here, inside the web process, because PGlite's single connection belongs to it; with
 * `EMBEDDED_WORKER=false` separate `npm run worker` processes run them. This is the composition root: the one
 * place outside `simulator/` and the entry points that may wire the simulator in (scripts/lib/compose-loops.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { PHASE_PRODUCTION_BUILD } = await import('next/constants');
  if (process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { serverEnv } = await import('@/lib/env');
  if (!serverEnv().EMBEDDED_WORKER) return;
  const [{ getDb, configuredTarget }, { startComposedLoops }, { onDrain }] = await Promise.all([
    import('@/lib/db/client'),
    import('@/scripts/lib/compose-loops'),
    import('@/lib/server/lifecycle'),
  ]);
  const loops = startComposedLoops(await getDb(), configuredTarget());
  // On SIGTERM (scripts/serve.ts) the run in flight finishes and the locks are released before the exit.
  onDrain(() => loops.stop());
}
