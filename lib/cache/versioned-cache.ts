import { changeGeneration, type ChangeKind } from '@/lib/cache/change-notices';
import type { Db } from '@/lib/db/client';
import { strongEtag } from '@/lib/server/conditional-get';

/**
 * A per-process cache of computed reads, each valid for one version of the data it was computed from. The
 * version comes from the database (one cheap query per kind of data), so several web instances on one
 * PostgreSQL each cache for themselves and never serve what another has since changed; this process's own
 * writes invalidate at once (lib/cache/change-notices.ts).
 *
 * A version reading is reused for `minTtlMs`, so a burst of requests costs one version query, and
 * concurrent misses of one key share one computation. A computation that fails is not cached.
 */

export interface VersionSource {
  /** The data it versions; this process's own writes of it are noted under the same name. */
  kind: ChangeKind;
  /**
   * One cheap query whose answer changes whenever the data may have changed. It is read before a
   * computation, so a value is never stored under a newer version than the data it was computed from.
   */
  read(db: Db): Promise<string>;
}

/** A body as sent and its entity tag. */
export interface Rendering {
  body: string;
  etag: string;
}

export interface CachedRead<T> {
  /** Shared by every request that reads this entry: treat it as read-only. */
  readonly value: T;
  /** The database version, this process's change count and the scope it was computed at. */
  readonly version: string;
  /** The value serialised one way (JSON, CSV) with its ETag, worked out once per entry. */
  render(format: string, serialize: (value: T) => string): Rendering;
}

export interface ReadSpec<T> {
  db: Db;
  source: VersionSource;
  /** The route and its normalised query. */
  key: string;
  /**
   * What the value depends on beyond the database (the request clock's time bucket, the demo flag): a
   * different scope is a different version.
   */
  scope: string;
  compute: () => Promise<T>;
}

export interface VersionedCacheOptions {
  /** How long a version reading is reused without asking the database again. */
  minTtlMs: number;
  /** Entries kept per database; the least recently used go first. */
  maxEntries: number;
  /** Monotonic milliseconds (tests move it by hand). */
  now?: () => number;
}

interface Reading {
  startedAt: number;
  promise: Promise<string>;
}

interface Flight {
  version: string;
  promise: Promise<CachedRead<unknown>>;
}

interface Store {
  entries: Map<string, CachedRead<unknown>>;
  flights: Map<string, Flight>;
  readings: Map<ChangeKind, Reading>;
}

export interface VersionedCache {
  read<T>(spec: ReadSpec<T>): Promise<CachedRead<T>>;
  /** Drops the version readings of a database: the next read asks the database again. */
  forgetReadings(db: Db): void;
  /** How many entries a database has cached. */
  size(db: Db): number;
}

function cachedRead<T>(value: T, version: string): CachedRead<T> {
  const renderings = new Map<string, Rendering>();
  return {
    value,
    version,
    render(format, serialize) {
      let rendering = renderings.get(format);
      if (!rendering) {
        const body = serialize(value);
        rendering = { body, etag: strongEtag(body) };
        renderings.set(format, rendering);
      }
      return rendering;
    },
  };
}

export function createVersionedCache(options: VersionedCacheOptions): VersionedCache {
  const now = options.now ?? (() => performance.now());
  const stores = new WeakMap<Db, Store>();

  const storeOf = (db: Db): Store => {
    let store = stores.get(db);
    if (!store) {
      store = { entries: new Map(), flights: new Map(), readings: new Map() };
      stores.set(db, store);
    }
    return store;
  };

  /** The database version of a source: one query in flight at a time, reused for minTtlMs after it began. */
  const databaseVersion = (db: Db, store: Store, source: VersionSource): Promise<string> => {
    const at = now();
    const current = store.readings.get(source.kind);
    if (current && at - current.startedAt < options.minTtlMs) return current.promise;
    const reading: Reading = { startedAt: at, promise: source.read(db) };
    store.readings.set(source.kind, reading);
    // A failed reading is not reused: the next request asks again.
    reading.promise.catch(() => {
      if (store.readings.get(source.kind) === reading) store.readings.delete(source.kind);
    });
    return reading.promise;
  };

  const keep = (store: Store, key: string, entry: CachedRead<unknown>) => {
    store.entries.delete(key);
    store.entries.set(key, entry);
    for (const oldest of store.entries.keys()) {
      if (store.entries.size <= options.maxEntries) break;
      store.entries.delete(oldest);
    }
  };

  return {
    async read<T>(spec: ReadSpec<T>): Promise<CachedRead<T>> {
      const store = storeOf(spec.db);
      const { key } = spec;
      // The change count is taken before the database version, so a write noted meanwhile is never missed.
      const generation = changeGeneration(spec.source.kind);
      const version = `${await databaseVersion(spec.db, store, spec.source)}|${generation}|${spec.scope}`;
      const entry = store.entries.get(key);
      if (entry?.version === version) {
        keep(store, key, entry);
        return entry as CachedRead<T>;
      }
      const flight = store.flights.get(key);
      if (flight?.version === version) return flight.promise as Promise<CachedRead<T>>;
      const promise = spec.compute().then(
        (value) => {
          const computed = cachedRead(value, version);
          // A computation overtaken by one for a newer version answers its own callers but is not kept.
          if (store.flights.get(key)?.promise === promise) {
            store.flights.delete(key);
            keep(store, key, computed);
          }
          return computed;
        },
        (error: unknown) => {
          if (store.flights.get(key)?.promise === promise) store.flights.delete(key);
          throw error;
        },
      );
      store.flights.set(key, { version, promise });
      return promise;
    },
    forgetReadings(db) {
      stores.get(db)?.readings.clear();
    },
    size(db) {
      return stores.get(db)?.entries.size ?? 0;
    },
  };
}
