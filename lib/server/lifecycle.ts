/**
 * The process's lifecycle, shared by our HTTP server (scripts/serve.ts), Next.js's route handlers and the
 * embedded worker. They are separate module instances in one process (the server imports the sources, the
 * handlers run from the build), so the state lives on `globalThis` under a registered symbol.
 *
 * On SIGTERM the server begins to drain: liveness answers 503, open event streams end with a reconnect hint
 * (so a client resumes on another instance with `Last-Event-ID`), and the background loops finish the run in
 * flight and release their locks. Hooks are awaited; the caller bounds the whole drain with a timeout.
 */
type DrainHook = () => void | Promise<void>;

interface Lifecycle {
  draining: boolean;
  hooks: Set<DrainHook>;
}

const KEY = Symbol.for('backfill.lifecycle');

function state(): Lifecycle {
  const holder = globalThis as unknown as { [KEY]?: Lifecycle };
  holder[KEY] ??= { draining: false, hooks: new Set() };
  return holder[KEY];
}

/** Whether this process has begun shutting down. */
export function isDraining(): boolean {
  return state().draining;
}

/**
 * Runs `hook` when the process begins to drain (at once if it already has). Returns a function that
 * unregisters it, for a stream or loop that ends on its own first.
 */
export function onDrain(hook: DrainHook): () => void {
  const lifecycle = state();
  if (lifecycle.draining) {
    void Promise.resolve()
      .then(hook)
      .catch(() => {});
    return () => {};
  }
  lifecycle.hooks.add(hook);
  return () => lifecycle.hooks.delete(hook);
}

/** Begins draining: every hook runs once, side by side; resolves when all have settled. */
export async function beginDrain(log: Pick<Console, 'error'> = console): Promise<void> {
  const lifecycle = state();
  if (lifecycle.draining) return;
  lifecycle.draining = true;
  const hooks = [...lifecycle.hooks];
  lifecycle.hooks.clear();
  const results = await Promise.allSettled(hooks.map(async (hook) => hook()));
  for (const result of results)
    if (result.status === 'rejected') log.error('[lifecycle] a drain step failed', result.reason);
}

/** For tests: back to a process that is not draining, with no hooks. */
export function resetLifecycleForTests(): void {
  const lifecycle = state();
  lifecycle.draining = false;
  lifecycle.hooks.clear();
}
