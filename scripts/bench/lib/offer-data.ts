import { asc, getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '@/lib/db/client';
import { accounts, nodeGpus, nodes, offers } from '@/lib/db/schema';
import { generateDemoNetwork, type DemoNetwork } from '@/simulator/demo-network';
import { encodeOfferCursor } from '@/lib/market/offer-cursor';

/** The part of a demo network the offer search depends on (plus GPUs, so nodes look complete). */
export interface OfferData {
  seed: number;
  nodeCount: number;
  accounts: DemoNetwork['accounts'];
  nodes: DemoNetwork['nodes'];
  gpus: DemoNetwork['gpus'];
  offers: DemoNetwork['offers'];
  /** Status intervals generated but not loaded: the search reads reliability from the offer row. */
  skippedStatusIntervals: number;
  skippedVerifications: number;
  generateMs: number;
}

/** A fixed clock keeps the generated network, and so every figure, reproducible from the seed alone. */
const BENCH_NOW = new Date('2026-11-01T00:00:00Z');
/** Share of generated nodes that end up listed (online, not quarantined); measured ≈ 0.905 for seed 42. */
const LISTED_SHARE = 0.9;

/**
 * Generates at least `minOffers` offers with the real demo-network generator. Only listed nodes become
 * offers, so the node count is estimated from the listed share and raised if the seed falls short.
 */
export function generateOfferData(minOffers: number, seed: number): OfferData {
  const started = performance.now();
  let nodeCount = Math.ceil(minOffers / LISTED_SHARE);
  for (;;) {
    const network = generateDemoNetwork({ seed, nodeCount, now: BENCH_NOW, historyDays: 31 });
    if (network.offers.length >= minOffers) {
      return {
        seed,
        nodeCount,
        accounts: network.accounts,
        nodes: network.nodes,
        gpus: network.gpus,
        offers: network.offers,
        skippedStatusIntervals: network.spans.length,
        skippedVerifications: network.verifications.length,
        generateMs: performance.now() - started,
      };
    }
    nodeCount = Math.ceil((nodeCount * minOffers * 1.01) / network.offers.length);
  }
}

/** Rows per statement: one JSON parameter of a few MB, well inside both engines' limits. */
const BATCH = 10_000;

function toJsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Bulk insert through one JSON parameter per batch (`json_populate_recordset`), which both engines run
 * far faster than drizzle's multi-row VALUES with tens of thousands of bind parameters. Columns no row
 * sets are left out so their database defaults apply.
 */
export async function bulkInsert(db: Db, table: PgTable, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) =>
    rows.some((row) => (row as Record<string, unknown>)[key] !== undefined),
  );
  const names = sql.raw(columns.map(([, column]) => `"${column.name}"`).join(', '));
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH).map((row) => {
      const record = row as Record<string, unknown>;
      return Object.fromEntries(columns.map(([key, column]) => [column.name, record[key] ?? null]));
    });
    const json = JSON.stringify(batch, toJsonValue);
    await db.execute(
      sql`insert into ${table} (${names}) select ${names} from json_populate_recordset(null::${table}, ${json}::json)`,
    );
  }
}

export interface LoadSummary {
  loadMs: number;
  analyzeMs: number;
  offersTableBytes: number;
}

/** Loads accounts, nodes, GPUs and offers in one transaction, then VACUUM ANALYZE. */
export async function loadOfferData(db: Db, data: OfferData): Promise<LoadSummary> {
  const started = performance.now();
  await db.transaction(async (tx) => {
    await bulkInsert(tx, accounts, data.accounts);
    await bulkInsert(tx, nodes, data.nodes);
    await bulkInsert(tx, nodeGpus, data.gpus);
    await bulkInsert(tx, offers, data.offers);
  });
  const loaded = performance.now();
  // ANALYZE gives the planner real statistics; VACUUM sets hint bits and the visibility map as autovacuum
  // would on a live database, so the first timed queries do not pay for the bulk load.
  await db.execute(sql`vacuum analyze`);
  const [size] = await queryRows<{ bytes: string | number }>(
    db,
    sql`select pg_total_relation_size('offers') as bytes`,
  );
  return {
    loadMs: loaded - started,
    analyzeMs: performance.now() - loaded,
    offersTableBytes: Number(size?.bytes ?? 0),
  };
}

export interface DeepPage {
  page: number;
  /** Cursor that the API returns as `nextCursor` of page `page - 1`. */
  cursor: string;
  /** Node id of the first offer page `page` must show, to check the cursor lands where intended. */
  firstNodeId: string;
}

/** The cursor of page `page` in the default (price ascending) order, read straight from the table. */
export async function deepPageCursor(db: Db, page: number, pageSize: number): Promise<DeepPage> {
  const rows = await db
    .select({ priceMicros: offers.priceMicros, nodeId: offers.nodeId })
    .from(offers)
    .orderBy(asc(offers.priceMicros), asc(offers.nodeId))
    .offset((page - 1) * pageSize - 1)
    .limit(2);
  const [last, first] = rows;
  if (!last || !first) throw new Error(`page ${page} does not exist with ${pageSize} offers per page`);
  return {
    page,
    cursor: encodeOfferCursor({
      sort: 'price',
      order: 'asc',
      value: last.priceMicros.toString(),
      nodeId: last.nodeId,
    }),
    firstNodeId: first.nodeId,
  };
}
