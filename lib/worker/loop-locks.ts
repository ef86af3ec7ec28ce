import pg from 'pg';

/**
 * Coordinates singleton loops between processes. Each run of a loop first takes its lock; a worker that
 * cannot take it skips that run (another worker is doing it). Locks are PostgreSQL session-level advisory
 * locks on one dedicated connection: if a worker dies, its connection closes and the server releases its
 * locks at once, so another worker takes the loop over at its next tick.
 */
export interface LoopLocks {
  /** Takes the lock for `name`, or answers false at once when another process holds it. */
  tryAcquire(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
  /** Releases every lock and closes the connection. */
  close(): Promise<void>;
}

/** The advisory-lock key's text for a loop (hashed by the server with hashtext). */
export function loopLockKey(name: string): string {
  return `backfill-loop:${name}`;
}

/**
 * Advisory locks on a dedicated connection to `url`. A lost connection loses its locks: every lock this
 * process believed it held is forgotten, runs are skipped until a new connection is open, and the loops in
 * flight finish on their own (their data stays consistent: each claims its rows in its own transactions).
 */
export function postgresLoopLocks(url: string, log: Pick<Console, 'error'> = console): LoopLocks {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();
  let closed = false;
  // One query at a time on the connection (loops ask side by side; pg no longer queues them for us).
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const connection = async (): Promise<pg.Client> => {
    if (client) return client;
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url, application_name: 'backfill-worker-locks' });
      next.on('error', (error: Error) => {
        log.error('[worker] the loop-lock connection failed; its locks are gone', error.message);
        held.clear();
        if (client === next) client = null;
      });
      await next.connect();
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async tryAcquire(name) {
      if (closed) return false;
      if (held.has(name)) return true;
      try {
        const result = await serially(async () =>
          (await connection()).query<{ locked: boolean }>(
            'select pg_try_advisory_lock(hashtext($1)) as locked',
            [loopLockKey(name)],
          ),
        );
        const locked = result.rows[0]?.locked === true;
        if (locked) held.add(name);
        return locked;
      } catch (error) {
        log.error(
          `[worker] could not take the lock of ${name}`,
          error instanceof Error ? error.message : error,
        );
        return false;
      }
    },
    async release(name) {
      if (!held.delete(name) || !client) return;
      try {
        const open = client;
        await serially(() => open.query('select pg_advisory_unlock(hashtext($1))', [loopLockKey(name)]));
      } catch (error) {
        log.error(
          `[worker] could not release the lock of ${name}`,
          error instanceof Error ? error.message : error,
        );
      }
    },
    async close() {
      closed = true;
      held.clear();
      const open = client ?? (connecting ? await connecting.catch(() => null) : null);
      client = null;
      // Ending the session releases every advisory lock it holds.
      await open?.end().catch(() => {});
    },
  };
}
