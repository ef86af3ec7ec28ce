import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, inject, vi } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle, Db } from '@/lib/db/client';
import { workerLoops } from '@/lib/db/schema';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import {
  listeningWindow,
  type Loop,
  OFFER_REFRESH_INTERVAL_MS,
  startBackgroundLoops,
  startLoops,
} from '@/lib/worker/background-loops';
import { loopLockKey, postgresLoopLocks } from '@/lib/worker/loop-locks';

const refresh = vi.hoisted(() => vi.fn());
vi.mock('@/lib/market/refresh-offers', () => ({ refreshOffers: refresh }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('background loops', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    refresh.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('refreshes offers on every tick, never overlapping a slow run, and survives a failing run', async () => {
    let finish: () => void = () => {};
    refresh.mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    refresh.mockRejectedValueOnce(new Error('database went away'));
    refresh.mockResolvedValue({ listed: 1, unlisted: 0 });
    const errors: unknown[] = [];
    const loops = startBackgroundLoops({} as Db, new ManualClock(0), {
      log: { error: (...args: unknown[]) => errors.push(args) },
    });

    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(1); // the first run is still going
    finish();
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(2); // this one fails
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(3);
    // Other loops fail too on this stand-in database; only the refresh's own failure is counted here.
    expect(
      errors.filter((e) => String((e as unknown[])[0]) === '[worker] refresh-offers failed'),
    ).toHaveLength(1);

    await loops.stop();
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS * 3);
    expect(refresh).toHaveBeenCalledTimes(3);
  });
});

describe('loop runs', () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createPgliteTestDb();
  });
  afterEach(() => handle.close());

  it('records each loop’s last success, and its errors with the failures since', async () => {
    const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
    let fail = true;
    const loops = startLoops(
      handle.db,
      clock,
      [
        {
          name: 'flaky',
          intervalMs: 10,
          run: async () => {
            if (fail) throw new Error('chain unreachable');
          },
        },
      ],
      { log: { error: () => {} }, workerId: 'worker-a' },
    );
    await vi.waitFor(async () => {
      const [row] = await handle.db.select().from(workerLoops);
      expect(row?.consecutiveFailures).toBeGreaterThanOrEqual(2);
    });
    const [failing] = await handle.db.select().from(workerLoops);
    expect(failing).toMatchObject({
      name: 'flaky',
      workerId: 'worker-a',
      intervalMs: 10,
      lastError: 'chain unreachable',
      lastSuccessAt: null,
    });
    fail = false;
    await vi.waitFor(async () => {
      const [row] = await handle.db.select().from(workerLoops);
      expect(row?.lastSuccessAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    });
    const [recovered] = await handle.db.select().from(workerLoops);
    expect(recovered?.consecutiveFailures).toBe(0);
    // The last error stays visible after the recovery, for whoever investigates.
    expect(recovered?.lastError).toBe('chain unreachable');
    await loops.stop();
  });

  it('stop waits for the run in flight and schedules no more', async () => {
    let runs = 0;
    let finished = 0;
    const loops = startLoops(
      handle.db,
      new ManualClock(0),
      [
        {
          name: 'slow',
          intervalMs: 5,
          run: async () => {
            runs++;
            await sleep(100);
            finished++;
          },
        },
      ],
      { log: { error: () => {} } },
    );
    await vi.waitFor(() => expect(runs).toBe(1));
    await loops.stop();
    expect(finished).toBe(1);
    await sleep(50);
    expect(runs).toBe(1);
  });
});

describe('loop locks on PostgreSQL', () => {
  it('takes and releases several loops’ locks side by side on its one connection', async () => {
    const errors: unknown[] = [];
    const locks = postgresLoopLocks(inject('postgresAdminUrl'), {
      error: (...args: unknown[]) => errors.push(args),
    });
    const other = postgresLoopLocks(inject('postgresAdminUrl'), { error: () => {} });
    const names = Array.from(
      { length: 6 },
      (_, i) => `side-by-side-${i}-${Math.random().toString(36).slice(2)}`,
    );
    try {
      expect(await Promise.all(names.map((n) => locks.tryAcquire(n)))).toEqual(names.map(() => true));
      expect(await Promise.all(names.map((n) => other.tryAcquire(n)))).toEqual(names.map(() => false));
      await Promise.all(names.map((n) => locks.release(n)));
      expect(await Promise.all(names.map((n) => other.tryAcquire(n)))).toEqual(names.map(() => true));
      expect(errors).toEqual([]);
    } finally {
      await locks.close();
      await other.close();
    }
  });

  it('runs a loop in one worker at a time, and another takes it over at once when the holder’s connection dies', async () => {
    const url = inject('postgresAdminUrl');
    const name = `race-${Math.random().toString(36).slice(2)}`;
    let concurrent = 0;
    let maxConcurrent = 0;
    const ranIn = { a: 0, b: 0 };
    const loop = (worker: 'a' | 'b'): Loop => ({
      name,
      intervalMs: 5,
      run: async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        ranIn[worker]++;
        await sleep(20);
        concurrent--;
      },
    });
    // The records go to an in-memory database: this test is about the locks on the shared server.
    const records = await createPgliteTestDb();
    const locksA = postgresLoopLocks(url, { error: () => {} });
    const locksB = postgresLoopLocks(url, { error: () => {} });
    const a = startLoops(records.db, new ManualClock(0), [loop('a')], {
      locks: locksA,
      log: { error: () => {} },
    });
    const b = startLoops(records.db, new ManualClock(0), [loop('b')], {
      locks: locksB,
      log: { error: () => {} },
    });
    try {
      await vi.waitFor(() => expect(ranIn.a + ranIn.b).toBeGreaterThanOrEqual(20), { timeout: 10_000 });
      expect(maxConcurrent).toBe(1);

      // Worker A stops for good; a held-forever lock is simulated by a session that takes it and dies.
      await a.stop();
      const holder = new pg.Client({ connectionString: url });
      holder.on('error', () => {}); // its connection is about to be terminated
      await holder.connect();
      const { rows } = await holder.query<{ pid: number }>(
        'select pg_backend_pid() as pid, pg_advisory_lock(hashtext($1))',
        [loopLockKey(name)],
      );
      const before = ranIn.b;
      await sleep(100);
      // B cannot run while the other session holds the lock...
      expect(ranIn.b - before).toBeLessThanOrEqual(1);
      // ...and takes the loop over at its next tick once that session's connection is gone.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      const released = ranIn.b;
      await vi.waitFor(() => expect(ranIn.b).toBeGreaterThan(released + 2), { timeout: 5_000 });
    } finally {
      await a.stop();
      await b.stop();
      await records.close();
    }
  });
});

describe('the listening window silent nodes are judged by', () => {
  it('starts at start-up and starts again after a stall of the process, not after a jump of the domain clock', () => {
    const clock = new ManualClock('2026-12-07T12:00:00Z');
    let real = 0;
    const window = listeningWindow(clock, 10_000, () => real);
    const start = clock.now();
    // Ticks a second apart: listening since the start, however far the domain clock moves.
    for (let i = 0; i < 5; i++) {
      real += 1_000;
      clock.advance(60_000);
      expect(window.tick()).toEqual(start);
    }
    // The process could not run for 12 s: the silence of that time is held against nobody.
    real += 12_000;
    clock.advance(12_000);
    const afterStall = window.tick();
    expect(afterStall).toEqual(clock.now());
    real += 1_000;
    clock.advance(1_000);
    expect(window.tick()).toEqual(afterStall);
  });
});
