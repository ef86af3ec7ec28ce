import { sql } from 'drizzle-orm';
import { createVersionedCache, type CachedRead, type VersionSource } from '@/lib/cache/versioned-cache';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import {
  DEFAULT_ORDER,
  type OfferPage,
  type OfferSearchQuery,
  type OfferSummary,
} from '@/lib/market/offer-schemas';
import { summarizeOffers } from '@/lib/market/offer-summary';
import { searchOffers } from '@/lib/market/search-offers';
import type { MetricId } from '@/lib/metrics/definitions';
import { getMetricSeries, getMetricsSummary } from '@/lib/metrics/queries';
import type { MetricQuery, MetricSeries, MetricsSummary } from '@/lib/metrics/schemas';

/**
 * The public, anonymous reads (the market's offers and summary, the network metrics), served to the API and
 * to the home, /market and /metrics pages from one per-process cache (lib/cache/versioned-cache.ts), so a
 * burst of visitors costs one version query and one computation instead of one each.
 */

/** A version reading is reused this long: a burst costs one query, and another instance's write shows within it. */
export const PUBLIC_READ_MIN_TTL_MS = 1_000;
/**
 * Whatever the version says, an entry is recomputed once the request clock enters a new 30-second bucket:
 * what moves with time alone (today's date, "verified within 24 h", a summary's "as of") stays current.
 */
export const PUBLIC_READ_MAX_AGE_MS = 30_000;
/** Entries per database; a crawler walking every filter evicts the least recently read. */
const MAX_ENTRIES = 128;

export const publicReadCache = createVersionedCache({
  minTtlMs: PUBLIC_READ_MIN_TTL_MS,
  maxEntries: MAX_ENTRIES,
});

/**
 * The offers show live availability (a lease takes a GPU off the market at once), written from many places
 * (leases, heartbeats, verification, price changes, the periodic refresh). The version is the database's
 * transaction snapshot: it moves when any write transaction starts or commits, so nothing written is ever
 * missed — at the cost of recomputing after every write, at most once per reading.
 */
export const MARKET_VERSION: VersionSource = {
  kind: 'offers',
  read: async (db) => {
    const [row] = await queryRows<{ version: string }>(
      db,
      sql`select pg_current_snapshot()::text as version`,
    );
    return row?.version ?? '';
  },
};

/**
 * The metrics read the rollups (their refresh stamps `metrics_rollup_state.updated_at` in the same
 * transaction), the demo history's progress, and "verified GPUs online now" (node statuses and verdicts,
 * which only ever grow by new rows): four index lookups.
 */
export const METRICS_VERSION: VersionSource = {
  kind: 'metrics',
  read: async (db) => {
    const [row] = await queryRows<{ version: string }>(
      db,
      sql`select concat_ws('/',
                 (select updated_at from metrics_rollup_state where id = 'rollups')::text,
                 (select max(updated_at) from demo_history)::text,
                 (select max(id) from node_status_intervals)::text,
                 (select max(id) from node_verifications)::text) as version`,
    );
    return row?.version ?? '';
  },
};

/** What a public read needs of the request: the database, its clock and whether the network is the demo. */
export interface PublicReadContext {
  db: Db;
  clock: Clock;
  simulated: boolean;
}

function scopeOf(ctx: PublicReadContext): string {
  const bucket = Math.floor(ctx.clock.now().getTime() / PUBLIC_READ_MAX_AGE_MS);
  return `${bucket}:${ctx.simulated ? 'simulated' : 'real'}`;
}

/**
 * A parsed query as one canonical string: keys sorted, unset keys left out, list values kept in their order
 * (`gpu=a,b` and `gpu=b,a` are two keys, as they are two requests).
 */
export function normaliseQuery(query: Record<string, unknown>): string {
  return Object.keys(query)
    .filter((key) => query[key] !== undefined)
    .sort()
    .map((key) => {
      const value = query[key];
      const text = Array.isArray(value)
        ? value.map((v) => encodeURIComponent(String(v))).join(',')
        : encodeURIComponent(String(value));
      return `${encodeURIComponent(key)}=${text}`;
    })
    .join('&');
}

/** `GET /api/v1/offers` and the first page /market renders. */
export function readOfferSearch(
  ctx: PublicReadContext,
  search: OfferSearchQuery,
): Promise<CachedRead<OfferPage>> {
  // The sort's default order, spelled out: `sort=price` and `sort=price&order=asc` are one entry.
  const query = { ...search, order: search.order ?? DEFAULT_ORDER[search.sort] };
  return publicReadCache.read({
    db: ctx.db,
    source: MARKET_VERSION,
    key: `offers?${normaliseQuery(query)}`,
    scope: scopeOf(ctx),
    compute: () => searchOffers(ctx.db, query, ctx.clock),
  });
}

/** `GET /api/v1/offers/summary` and the home page's network figures and price table. */
export function readOfferSummary(ctx: PublicReadContext): Promise<CachedRead<OfferSummary>> {
  return publicReadCache.read({
    db: ctx.db,
    source: MARKET_VERSION,
    key: 'offers/summary',
    scope: scopeOf(ctx),
    compute: () => summarizeOffers(ctx.db, ctx.clock, ctx.simulated),
  });
}

/** `GET /api/v1/metrics`, the home page's paid usage and the /metrics page's headline figures. */
export function readMetricsSummary(ctx: PublicReadContext): Promise<CachedRead<MetricsSummary>> {
  return publicReadCache.read({
    db: ctx.db,
    source: METRICS_VERSION,
    key: 'metrics',
    scope: scopeOf(ctx),
    compute: () => getMetricsSummary(ctx.db, ctx.clock, { simulated: ctx.simulated }),
  });
}

/** `GET /api/v1/metrics/{metric}` (JSON and CSV alike: `format` only chooses the rendering) and /metrics' charts. */
export function readMetricSeries(
  ctx: PublicReadContext,
  id: MetricId,
  query: MetricQuery,
): Promise<CachedRead<MetricSeries>> {
  const range: MetricQuery = { from: query.from, to: query.to, granularity: query.granularity };
  return publicReadCache.read({
    db: ctx.db,
    source: METRICS_VERSION,
    key: `metrics/${id}?${normaliseQuery(range)}`,
    scope: scopeOf(ctx),
    compute: () => getMetricSeries(ctx.db, ctx.clock, id, range, { simulated: ctx.simulated }),
  });
}
