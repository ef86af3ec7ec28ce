import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getMetricRoute } from '@/app/api/v1/metrics/[metric]/route';
import { GET as getSummaryRoute } from '@/app/api/v1/metrics/route';
import { GET as searchRoute } from '@/app/api/v1/offers/route';
import { GET as offerSummaryRoute } from '@/app/api/v1/offers/summary/route';
import {
  MARKET_VERSION,
  METRICS_VERSION,
  PUBLIC_READ_MAX_AGE_MS,
  publicReadCache,
} from '@/lib/cache/public-reads';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle, Db } from '@/lib/db/client';
import { nodes, offers } from '@/lib/db/schema';
import type { OfferPage, OfferSummary } from '@/lib/market/offer-schemas';
import { refreshRecentMetricRollups } from '@/lib/metrics/rollups';
import type { MetricsSummary } from '@/lib/metrics/schemas';
import { updateNodePrice } from '@/lib/supplier/nodes';
import { call, useTestServices } from '@/lib/testing/api-harness';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';

const START = '2026-11-01T00:00:00Z';
const SEARCH = '/api/v1/offers?gpu=rtx-4090-24gb&sort=price&limit=5';
const TAKE_RATE = '/api/v1/metrics/take-rate?from=2026-08-01&to=2026-10-31&granularity=month';
const take = { params: { metric: 'take-rate' } };

/** Another web instance's write: straight to the database, so this process notes nothing. */
const elsewhere = (db: Db, query: ReturnType<typeof sql>) => db.execute(query);

describe('public reads from the cache, over HTTP', () => {
  let handle: DatabaseHandle;
  let db: Db;
  const clock = new ManualClock(START);
  /** What happens once the version reading's minimum TTL has passed (without sleeping through it). */
  const ttlPasses = () => publicReadCache.forgetReadings(db);

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    db = handle.db;
    useTestServices({ db, clock, chain: null });
    await seedDemoNetwork(db, { seed: 7, nodeCount: 40, now: new Date(START) });
    await refreshRecentMetricRollups(db, clock);
  });
  afterAll(() => handle.close());

  it('serves the same offer page, with a strong ETag and a short public Cache-Control', async () => {
    const first = await call(searchRoute, SEARCH);
    const second = await call(searchRoute, SEARCH);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(second.headers.get('etag')).toBe(etag);
    expect(await second.text()).toBe(await first.text());
    expect(first.headers.get('cache-control')).toBe('public, max-age=1, stale-while-revalidate=2');
    expect(first.headers.get('content-type')).toBe('application/json');
  });

  it('answers 304 with no body when If-None-Match names the ETag (weakly compared), 200 otherwise', async () => {
    const etag = (await call(searchRoute, SEARCH)).headers.get('etag') ?? '';
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const answer = await call(searchRoute, SEARCH, { headers: { 'if-none-match': header } });
      expect(answer.status, header).toBe(304);
      expect(await answer.text()).toBe('');
      expect(answer.headers.get('etag')).toBe(etag);
      expect(answer.headers.get('cache-control')).toContain('public');
    }
    const stale = await call(searchRoute, SEARCH, { headers: { 'if-none-match': '"0000"' } });
    expect(stale.status).toBe(200);
  });

  it('one entry per normalised query: parameter order and defaults do not matter', async () => {
    await call(searchRoute, SEARCH);
    const entries = publicReadCache.size(db);
    const reordered = await call(
      searchRoute,
      '/api/v1/offers?limit=5&sort=price&order=asc&gpu=rtx-4090-24gb',
    );
    expect(reordered.headers.get('etag')).toBe((await call(searchRoute, SEARCH)).headers.get('etag'));
    expect(publicReadCache.size(db)).toBe(entries);
  });

  it("shows this instance's new price at once", async () => {
    const before = (await (await call(searchRoute, SEARCH)).json()) as OfferPage;
    const offer = before.data[0];
    if (!offer) throw new Error('the seeded network lists no RTX 4090');
    const [node] = await db.select().from(nodes).where(eq(nodes.id, offer.nodeId));
    if (!node) throw new Error('no node behind the offer');
    await updateNodePrice(db, clock, node.ownerAccountId, node.id, 1n);
    const after = (await (await call(searchRoute, SEARCH)).json()) as OfferPage;
    expect(after.data[0]).toMatchObject({ nodeId: node.id, priceMicros: '1' });
  });

  it("shows another instance's change of availability once the version reading is renewed", async () => {
    const before = await call(searchRoute, SEARCH);
    const page = (await before.json()) as OfferPage;
    const offer = page.data.find((o) => o.freeGpus > 1);
    if (!offer) throw new Error('no offer with two free GPUs');
    const version = await MARKET_VERSION.read(db);
    await elsewhere(
      db,
      sql`update offers set free_gpus = free_gpus - 1 where node_id = ${offer.nodeId}::uuid`,
    );
    expect(await MARKET_VERSION.read(db)).not.toBe(version);
    // Within the reading's minimum TTL (a second) a burst is still answered from memory …
    expect((await call(searchRoute, SEARCH)).headers.get('etag')).toBe(before.headers.get('etag'));
    // … and the first request after it sees the write.
    ttlPasses();
    const after = await call(searchRoute, SEARCH, {
      headers: { 'if-none-match': before.headers.get('etag') ?? '' },
    });
    expect(after.status).toBe(200);
    const shown = ((await after.json()) as OfferPage).data.find((o) => o.nodeId === offer.nodeId);
    expect(shown?.freeGpus).toBe(offer.freeGpus - 1);
  });

  it('the offer summary: ETag, 304, and a fresh answer after a write elsewhere', async () => {
    const first = await call(offerSummaryRoute, '/api/v1/offers/summary');
    const etag = first.headers.get('etag') ?? '';
    const summary = (await first.json()) as OfferSummary;
    expect(first.headers.get('cache-control')).toBe('public, max-age=5, stale-while-revalidate=10');
    expect(
      (await call(offerSummaryRoute, '/api/v1/offers/summary', { headers: { 'if-none-match': etag } }))
        .status,
    ).toBe(304);
    const [listed] = await db.select().from(offers).limit(1);
    if (!listed) throw new Error('nothing listed');
    await elsewhere(db, sql`delete from offers where node_id = ${listed.nodeId}::uuid`);
    ttlPasses();
    const after = await call(offerSummaryRoute, '/api/v1/offers/summary', {
      headers: { 'if-none-match': etag },
    });
    expect(after.status).toBe(200);
    expect(((await after.json()) as OfferSummary).gpusAvailable).toBe(
      summary.gpusAvailable - listed.freeGpus,
    );
  });

  it('the metrics summary: cached until the rollups are refreshed, then the next request sees it', async () => {
    const first = await call(getSummaryRoute, '/api/v1/metrics');
    const etag = first.headers.get('etag') ?? '';
    const before = (await first.json()) as MetricsSummary;
    expect(before.refreshedAt).toBe(new Date(START).toISOString());
    expect(first.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    const again = await call(getSummaryRoute, '/api/v1/metrics', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    // The worker's refresh, five seconds on (the same 30-second bucket of the clock).
    clock.advance(5_000);
    await refreshRecentMetricRollups(db, clock);
    const after = await call(getSummaryRoute, '/api/v1/metrics', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as MetricsSummary).refreshedAt).toBe(clock.now().toISOString());
  });

  it("the metrics follow another instance's refresh once the version reading is renewed", async () => {
    const etag = (await call(getSummaryRoute, '/api/v1/metrics')).headers.get('etag') ?? '';
    const version = await METRICS_VERSION.read(db);
    const through = new Date(clock.now().getTime() + 1_000);
    await elsewhere(
      db,
      sql`update metrics_rollup_state set refreshed_through = ${through.toISOString()}::timestamptz,
                 updated_at = now() where id = 'rollups'`,
    );
    expect(await METRICS_VERSION.read(db)).not.toBe(version);
    ttlPasses();
    const after = await call(getSummaryRoute, '/api/v1/metrics', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(((await after.json()) as MetricsSummary).refreshedAt).toBe(through.toISOString());
  });

  it('time alone renews an entry: a new 30-second bucket of the clock recomputes', async () => {
    const etag = (await call(offerSummaryRoute, '/api/v1/offers/summary')).headers.get('etag') ?? '';
    clock.advance(PUBLIC_READ_MAX_AGE_MS);
    const later = await call(offerSummaryRoute, '/api/v1/offers/summary', {
      headers: { 'if-none-match': etag },
    });
    expect(later.status).toBe(200);
    expect(((await later.json()) as OfferSummary).generatedAt).toBe(clock.now().toISOString());
  });

  it('one metric as JSON and as CSV: each its own ETag and 304, both varying on Accept', async () => {
    const json = await call(getMetricRoute, TAKE_RATE, take);
    const csv = await call(getMetricRoute, `${TAKE_RATE}&format=csv`, take);
    const viaAccept = await call(getMetricRoute, TAKE_RATE, { ...take, headers: { accept: 'text/csv' } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('backfill-take-rate-2026-08-01-2026-10-31');
    for (const answer of [json, csv]) {
      expect(answer.headers.get('vary')).toBe('Accept');
      expect(answer.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    }
    const csvTag = csv.headers.get('etag') ?? '';
    expect(csvTag).not.toBe(json.headers.get('etag'));
    expect(viaAccept.headers.get('etag')).toBe(csvTag);
    expect(await viaAccept.text()).toBe(await csv.text());
    const revalidated = await call(getMetricRoute, `${TAKE_RATE}&format=csv`, {
      ...take,
      headers: { 'if-none-match': csvTag },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('vary')).toBe('Accept');
    expect(revalidated.headers.get('content-disposition')).toBeNull();
  });

  it('refuses a bad range every time (errors are not cached), then answers a good one', async () => {
    const bad = '/api/v1/metrics/take-rate?from=2026-10-31&to=2026-08-01';
    expect((await call(getMetricRoute, bad, take)).status).toBe(400);
    expect((await call(getMetricRoute, bad, take)).status).toBe(400);
    expect((await call(getMetricRoute, TAKE_RATE, take)).status).toBe(200);
  });

  it('concurrent requests for one key are answered alike, from one entry', async () => {
    clock.advance(PUBLIC_READ_MAX_AGE_MS);
    const entries = publicReadCache.size(db);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(getSummaryRoute, '/api/v1/metrics')),
    );
    expect(new Set(answers.map((a) => a.headers.get('etag'))).size).toBe(1);
    expect(publicReadCache.size(db)).toBe(entries);
  });
});
