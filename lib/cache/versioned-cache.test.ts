import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { noteDataChanged } from '@/lib/cache/change-notices';
import { createVersionedCache, type VersionSource } from '@/lib/cache/versioned-cache';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const TTL_MS = 1_000;

describe('versioned cache', () => {
  let handle: DatabaseHandle;
  let db: Db;
  /** Monotonic time of the cache under test, moved by hand. */
  let time = 0;
  let versionReads = 0;
  /** A version that lives in the database: a one-row table the tests bump like a writer would. */
  const source: VersionSource = {
    kind: 'offers',
    read: async (from) => {
      versionReads += 1;
      const [row] = await queryRows<{ v: number }>(from, sql`select v from cache_test_version`);
      return String(row?.v);
    },
  };
  const bumpVersion = () => db.execute(sql`update cache_test_version set v = v + 1`);
  const newCache = () => createVersionedCache({ minTtlMs: TTL_MS, maxEntries: 3, now: () => time });

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    db = handle.db;
    await db.execute(sql`create table cache_test_version (v int not null)`);
    await db.execute(sql`insert into cache_test_version values (1)`);
  });
  afterAll(() => handle.close());
  beforeEach(() => {
    time = 0;
    versionReads = 0;
  });

  /** A computation that counts its runs and answers `value`, after `gate` resolves when one is given. */
  function counted<T>(value: () => T, gate?: Promise<void>) {
    const counter = {
      runs: 0,
      compute: async () => {
        counter.runs += 1;
        await gate;
        return value();
      },
    };
    return counter;
  }

  it('serves the same entry, one version query per reading, until the version moves', async () => {
    const cache = newCache();
    let answer = 'first';
    const work = counted(() => answer);
    const read = () => cache.read({ db, source, key: 'k', scope: '', compute: work.compute });

    const first = await read();
    expect(first.value).toBe('first');
    time += TTL_MS / 2;
    expect(await read()).toBe(first);
    expect(versionReads).toBe(1);

    // Past the minimum TTL the database is asked again; an unchanged version keeps the entry.
    time += TTL_MS;
    expect(await read()).toBe(first);
    expect(versionReads).toBe(2);
    expect(work.runs).toBe(1);

    answer = 'second';
    await bumpVersion();
    // Within the reading's TTL the write is not seen yet: that is the minimum TTL.
    expect((await read()).value).toBe('first');
    time += TTL_MS;
    const second = await read();
    expect(second.value).toBe('second');
    expect(second.version).not.toBe(first.version);
    expect(work.runs).toBe(2);
  });

  it('a burst of concurrent misses costs one version query and one computation', async () => {
    const cache = newCache();
    let open!: () => void;
    const work = counted(() => ({ figures: [1, 2, 3] }), new Promise<void>((resolve) => (open = resolve)));
    const burst = Array.from({ length: 50 }, () =>
      cache.read({ db, source, key: 'burst', scope: '', compute: work.compute }),
    );
    // Let every request reach the cache before the computation finishes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    open();
    const answers = await Promise.all(burst);
    expect(work.runs).toBe(1);
    expect(versionReads).toBe(1);
    expect(new Set(answers.map((a) => a.value)).size).toBe(1);
  });

  it('renders each format once per entry, with a strong ETag of the body', async () => {
    const cache = newCache();
    const read = await cache.read({ db, source, key: 'r', scope: '', compute: async () => ({ a: 1 }) });
    let serialised = 0;
    const json = () => read.render('json', (v) => (serialised++, JSON.stringify(v)));
    expect(json().body).toBe('{"a":1}');
    expect(json().etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(json()).toBe(json());
    expect(serialised).toBe(1);
    const csv = read.render('csv', () => 'a\n1\n');
    expect(csv.etag).not.toBe(json().etag);
  });

  it('does not cache a computation that throws; everyone waiting on it gets the error', async () => {
    const cache = newCache();
    let fail = true;
    const work = counted(() => {
      if (fail) throw new Error('database went away');
      return 'recovered';
    });
    const read = () => cache.read({ db, source, key: 'f', scope: '', compute: work.compute });
    const results = await Promise.allSettled([read(), read(), read()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(work.runs).toBe(1);
    expect(cache.size(db)).toBe(0);
    fail = false;
    expect((await read()).value).toBe('recovered');
    expect(work.runs).toBe(2);
  });

  it('does not reuse a version reading that failed', async () => {
    const cache = newCache();
    let broken = true;
    const flaky: VersionSource = {
      kind: 'offers',
      read: async (from) => {
        if (broken) throw new Error('version query failed');
        return source.read(from);
      },
    };
    const read = () => cache.read({ db, source: flaky, key: 'v', scope: '', compute: async () => 1 });
    await expect(read()).rejects.toThrow('version query failed');
    broken = false;
    expect((await read()).value).toBe(1);
  });

  it("this process's own writes invalidate at once, without waiting for the TTL", async () => {
    const cache = newCache();
    let answer = 1;
    const read = () => cache.read({ db, source, key: 'n', scope: '', compute: async () => answer });
    expect((await read()).value).toBe(1);
    answer = 2;
    noteDataChanged('offers');
    expect((await read()).value).toBe(2);
    expect(versionReads).toBe(1);
  });

  it('a new scope (the clock bucket) is a new version', async () => {
    const cache = newCache();
    let answer = 'morning';
    const read = (scope: string) => cache.read({ db, source, key: 's', scope, compute: async () => answer });
    expect((await read('1')).value).toBe('morning');
    answer = 'noon';
    expect((await read('1')).value).toBe('morning');
    expect((await read('2')).value).toBe('noon');
  });

  it('keeps a computation overtaken by a newer version out of the cache', async () => {
    const cache = newCache();
    let open!: () => void;
    const slow = counted(() => 'old', new Promise<void>((resolve) => (open = resolve)));
    const first = cache.read({ db, source, key: 'o', scope: '', compute: slow.compute });
    await new Promise((resolve) => setTimeout(resolve, 10));
    noteDataChanged('offers');
    const second = await cache.read({ db, source, key: 'o', scope: '', compute: async () => 'new' });
    open();
    expect((await first).value).toBe('old');
    expect(second.value).toBe('new');
    const third = await cache.read({ db, source, key: 'o', scope: '', compute: async () => 'unused' });
    expect(third).toBe(second);
  });

  it('evicts the least recently read entry beyond its size', async () => {
    const cache = newCache();
    const read = (key: string) => cache.read({ db, source, key, scope: '', compute: async () => key });
    const a = await read('a');
    await read('b');
    await read('c');
    expect(await read('a')).toBe(a);
    await read('d');
    expect(cache.size(db)).toBe(3);
    // b was the least recently read: it is computed again, a is still there.
    expect(await read('a')).toBe(a);
    let recomputed = false;
    await cache.read({
      db,
      source,
      key: 'b',
      scope: '',
      compute: async () => ((recomputed = true), 'b'),
    });
    expect(recomputed).toBe(true);
  });

  it('keeps databases apart', async () => {
    const other = await createPgliteTestDb();
    try {
      await other.db.execute(sql`create table cache_test_version (v int not null)`);
      await other.db.execute(sql`insert into cache_test_version values (1)`);
      const cache = newCache();
      const mine = await cache.read({ db, source, key: 'x', scope: '', compute: async () => 'mine' });
      const theirs = await cache.read({
        db: other.db,
        source,
        key: 'x',
        scope: '',
        compute: async () => 'theirs',
      });
      expect([mine.value, theirs.value]).toEqual(['mine', 'theirs']);
    } finally {
      await other.close();
    }
  });
});
