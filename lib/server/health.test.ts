import { createPublicClient, http } from 'viem';
import { foundry } from 'viem/chains';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_FOLDER, openDatabase, type DatabaseHandle } from '@/lib/db/client';
import { GET as live } from '@/app/api/v1/health/live/route';
import { READINESS_REUSE_MS, pendingMigrations, readiness } from '@/lib/server/health';
import { beginDrain, resetLifecycleForTests } from '@/lib/server/lifecycle';
import { provideServiceContext } from '@/lib/api/context';
import { GET as ready } from '@/app/api/v1/health/ready/route';
import { call, useTestServices } from '@/lib/testing/api-harness';
import { freePort } from '@/lib/testing/free-port';
import { createPgliteTestDb, createTestDb, TEST_ENGINES } from '@/lib/testing/test-db';
import { recordLoopRun } from '@/lib/worker/background-loops';

const T0 = Date.parse('2026-12-01T12:00:00Z');

function run(name: string, intervalMs: number, at: Date, error: unknown = null) {
  return { name, intervalMs, workerId: 'w1', startedAt: at, durationMs: 3, error, at };
}

const checkOf = (result: Awaited<ReturnType<typeof readiness>>, name: string) =>
  result.checks.find((c) => c.name === name)!;

describe.each(TEST_ENGINES)('readiness on %s', (engine) => {
  let handle: DatabaseHandle;
  afterEach(async () => {
    resetLifecycleForTests();
    await handle?.close();
  });

  it('is ready only once a worker runs the loops, and not while one is stalled', async () => {
    handle = await createTestDb(engine);
    const clock = new ManualClock(T0);
    const before = await readiness(handle.db, clock, null);
    expect(before.ready).toBe(false);
    expect(checkOf(before, 'database')).toMatchObject({ ok: true });
    expect(checkOf(before, 'migrations')).toMatchObject({ ok: true });
    expect(checkOf(before, 'chain')).toMatchObject({ ok: true, detail: 'none configured' });
    expect(checkOf(before, 'worker-loops')).toMatchObject({
      ok: false,
      detail: 'no worker has run the background loops yet',
    });

    await recordLoopRun(handle.db, run('orchestration', 1_000, clock.now()));
    await recordLoopRun(handle.db, run('housekeeping', 3_600_000, clock.now()));
    expect((await readiness(handle.db, clock, null)).ready).toBe(true);

    // The one-second loop has not finished a run for over a minute (twice its period and the grace): stalled.
    clock.advance(71_000);
    const stalled = await readiness(handle.db, clock, null);
    expect(stalled.ready).toBe(false);
    expect(checkOf(stalled, 'worker-loops').detail).toBe('stalled: orchestration');
    expect(stalled.loops.find((l) => l.name === 'housekeeping')?.state).toBe('ok');

    // A loop that fails run after run still runs: reported, but the instance stays ready.
    for (let i = 0; i < 3; i++)
      await recordLoopRun(handle.db, run('orchestration', 1_000, clock.now(), new Error('rpc down')));
    const failing = await readiness(handle.db, clock, null);
    expect(failing.ready).toBe(true);
    expect(checkOf(failing, 'worker-loops').detail).toBe('2 running; failing: orchestration');
    expect(failing.loops.find((l) => l.name === 'orchestration')).toMatchObject({
      state: 'failing',
      lastError: 'rpc down',
      consecutiveFailures: 3,
    });

    // Draining: unready whatever else holds.
    await beginDrain();
    const draining = await readiness(handle.db, clock, null);
    expect(draining.ready).toBe(false);
    expect(checkOf(draining, 'lifecycle')).toMatchObject({ ok: false, detail: 'shutting down' });
  });

  it('does not judge a loop silent for a day (one no worker runs any more)', async () => {
    handle = await createTestDb(engine);
    const clock = new ManualClock(T0);
    await recordLoopRun(handle.db, run('renamed-loop', 1_000, clock.now()));
    clock.advance(86_400_001);
    await recordLoopRun(handle.db, run('orchestration', 1_000, clock.now()));
    const result = await readiness(handle.db, clock, null);
    expect(result.ready).toBe(true);
    expect(result.loops.find((l) => l.name === 'renamed-loop')?.state).toBe('retired');
  });

  it('reports an unreachable chain RPC within its timeout', async () => {
    handle = await createTestDb(engine);
    const clock = new ManualClock(T0);
    await recordLoopRun(handle.db, run('orchestration', 1_000, clock.now()));
    // Nothing listens on this port: a real connection refused, as when the RPC is down.
    const client = createPublicClient({
      chain: foundry,
      transport: http(`http://127.0.0.1:${await freePort()}`, { retryCount: 0 }),
    });
    const result = await readiness(handle.db, clock, client);
    expect(result.ready).toBe(false);
    expect(checkOf(result, 'chain').ok).toBe(false);
  });
});

describe('migrations and liveness', () => {
  it('lists every shipped migration as pending on a database never migrated', async () => {
    const empty = await openDatabase({ engine: 'pglite' });
    try {
      const pending = await pendingMigrations(empty.db);
      expect(pending.length).toBeGreaterThan(10);
      expect(pending[0]).toMatch(/^0000_/);
      const journal = JSON.parse(
        readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
      ) as { entries: { tag: string }[] };
      expect(pending).toEqual(journal.entries.map((e) => e.tag));
    } finally {
      await empty.close();
    }
  });

  it('answers liveness 200, then 503 once draining; readiness 503 with its checks, then 200', async () => {
    const handle = await createPgliteTestDb();
    const clock = new ManualClock(T0);
    useTestServices({ db: handle.db, clock, chain: null });
    try {
      const unready = await call(ready, '/api/v1/health/ready');
      expect(unready.status).toBe(503);
      expect(await unready.json()).toMatchObject({ status: 'unready', loops: [] });
      await recordLoopRun(handle.db, run('orchestration', 1_000, clock.now()));
      // Within a second the answer is reused (and concurrent probes share it); then the checks run again.
      const reused = await Promise.all([1, 2, 3].map(() => call(ready, '/api/v1/health/ready')));
      expect(reused.map((r) => r.status)).toEqual([503, 503, 503]);
      clock.advance(READINESS_REUSE_MS);
      const readyNow = await call(ready, '/api/v1/health/ready');
      expect(readyNow.status).toBe(200);
      expect((await readyNow.json()).checks.map((c: { ok: boolean }) => c.ok)).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);

      expect((await call(live, '/api/v1/health/live')).status).toBe(200);
      await beginDrain();
      const draining = await call(live, '/api/v1/health/live');
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ status: 'draining' });
      // Draining shows at once, inside the reuse window of the last answer.
      const drainingReady = await call(ready, '/api/v1/health/ready');
      expect(drainingReady.status).toBe(503);
      expect((await drainingReady.json()).checks[0]).toEqual({
        name: 'lifecycle',
        ok: false,
        detail: 'shutting down',
      });
    } finally {
      resetLifecycleForTests();
      provideServiceContext(null);
      await handle.close();
    }
  });
});
