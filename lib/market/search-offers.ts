import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gte,
  inArray,
  lte,
  sql,
  type SQL,
} from 'drizzle-orm';
import { unionAll, type PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '@/lib/api/errors';
import { systemClock, type Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { nodeVerifications, offers, type Offer } from '@/lib/db/schema';
import { gpuModel } from '@/lib/market/gpu-models';
import { cudaRank } from '@/lib/market/cuda';
import { decodeOfferCursor, encodeOfferCursor } from '@/lib/market/offer-cursor';
import {
  DEFAULT_ORDER,
  type OfferDto,
  type OfferPage,
  type OfferSearchQuery,
  type OfferSort,
} from '@/lib/market/offer-schemas';
import { regionName } from '@/lib/market/regions';
import { VERIFIED_WITHIN_MS, type VerificationMethod } from '@/lib/market/verification-recency';
import { parseUsdcToMicros } from '@/lib/money';

/**
 * `"offers"."<column>"`. Drizzle leaves columns unqualified in a one-table select, but inside the correlated
 * subquery below an unqualified `node_id` would mean node_verifications' own.
 */
const outer = (column: PgColumn) =>
  sql`${sql.identifier(getTableName(offers))}.${sql.identifier(column.name)}`;
/** `"v"."<column>"`: node_verifications inside the subquery. */
const inner = (column: PgColumn) => sql`"v".${sql.identifier(column.name)}`;

/**
 * How the check behind an offer's `verified_at` was made: the passed verification that date was read from
 * (`verified_at` is its `created_at` to the millisecond). A correlated probe of the node_verifications
 * (node_id, created_at) index with no ordering of its own, evaluated only for the rows a page returns, so
 * the offer scan, its order and its LIMIT are unchanged; null when the offer is not verified.
 */
const verificationMethodOfOffer = sql<VerificationMethod | null>`(select ${inner(nodeVerifications.method)}
  from ${nodeVerifications} as "v"
  where ${outer(offers.verified)}
    and ${inner(nodeVerifications.nodeId)} = ${outer(offers.nodeId)}
    and ${inner(nodeVerifications.createdAt)} >= ${outer(offers.verifiedAt)}
    and ${inner(nodeVerifications.createdAt)} < ${outer(offers.verifiedAt)} + interval '1 millisecond'
    and ${inner(nodeVerifications.result)} = 'pass'
  limit 1)`;

/** An offer row as searches read it: the table's columns and the method of its last passed check. */
export type OfferRow = Offer & { verificationMethod: VerificationMethod | null };

/** The select list of an offer read: every column of `offers` plus `verificationMethod`. */
export const offerRowFields = { ...getTableColumns(offers), verificationMethod: verificationMethodOfOffer };

/** Column, SQL type and row value of each sort key; node_id breaks ties so the order is total. */
const SORT_COLUMNS: Record<
  OfferSort,
  { column: PgColumn; sqlType: 'bigint' | 'integer'; value: (row: Offer) => string }
> = {
  price: { column: offers.priceMicros, sqlType: 'bigint', value: (row) => row.priceMicros.toString() },
  price_per_work: {
    column: offers.pricePerWorkMicros,
    sqlType: 'bigint',
    value: (row) => row.pricePerWorkMicros.toString(),
  },
  reliability: {
    column: offers.reliabilityBp,
    sqlType: 'integer',
    value: (row) => row.reliabilityBp.toString(),
  },
  vram: { column: offers.vramGb, sqlType: 'integer', value: (row) => row.vramGb.toString() },
  free_gpus: { column: offers.freeGpus, sqlType: 'integer', value: (row) => row.freeGpus.toString() },
  bandwidth: {
    column: offers.bandwidthMbps,
    sqlType: 'integer',
    value: (row) => row.bandwidthMbps.toString(),
  },
  cpu_cores: { column: offers.cpuCores, sqlType: 'integer', value: (row) => row.cpuCores.toString() },
  ram: { column: offers.ramGb, sqlType: 'integer', value: (row) => row.ramGb.toString() },
  disk: { column: offers.diskGb, sqlType: 'integer', value: (row) => row.diskGb.toString() },
  cuda: { column: offers.cudaRank, sqlType: 'integer', value: (row) => row.cudaRank.toString() },
};

/** The WHERE conditions of a search other than the GPU models and the cursor. */
function offerFilterConditions(query: OfferSearchQuery, now: Date): SQL[] {
  const conditions: SQL[] = [];
  if (query.region?.length) conditions.push(inArray(offers.region, query.region));
  if (query.minGpus !== undefined) conditions.push(gte(offers.freeGpus, query.minGpus));
  if (query.minVram !== undefined) conditions.push(gte(offers.vramGb, query.minVram));
  if (query.maxPrice !== undefined) {
    const micros = parseUsdcToMicros(query.maxPrice);
    if (micros === null) {
      throw new AppError('bad_request', 'Invalid query: maxPrice', {
        fields: [{ field: 'maxPrice', message: 'must be a decimal USDC amount' }],
      });
    }
    conditions.push(lte(offers.priceMicros, micros));
  }
  if (query.minReliability !== undefined) {
    conditions.push(gte(offers.reliabilityBp, Math.ceil(query.minReliability * 100)));
  }
  if (query.verified !== undefined) conditions.push(eq(offers.verified, query.verified === 'true'));
  // Declared hardware (its agent cannot run the GPU proof) is listed only on request: with verified=false.
  if (query.verified !== 'false') conditions.push(eq(offers.declared, false));
  if (query.verifiedWithin !== undefined) {
    // A range on verified_at filters rows of the sort key's index scan, like the other filters; the order
    // and the keyset continuation do not change. Only verified offers carry verified_at.
    const since = new Date(now.getTime() - VERIFIED_WITHIN_MS[query.verifiedWithin]);
    conditions.push(eq(offers.verified, true), gte(offers.verifiedAt, since));
  }
  if (query.interconnect !== undefined) conditions.push(eq(offers.interconnect, query.interconnect));
  if (query.minBandwidth !== undefined) conditions.push(gte(offers.bandwidthMbps, query.minBandwidth));
  if (query.minCpuCores !== undefined) conditions.push(gte(offers.cpuCores, query.minCpuCores));
  if (query.minRam !== undefined) conditions.push(gte(offers.ramGb, query.minRam));
  if (query.minDisk !== undefined) conditions.push(gte(offers.diskGb, query.minDisk));
  if (query.minCuda !== undefined) conditions.push(gte(offers.cudaRank, cudaRank(query.minCuda)));
  return conditions;
}

export function toOfferDto(row: OfferRow): OfferDto {
  const model = gpuModel(row.gpuModel);
  return {
    nodeId: row.nodeId,
    gpuModel: row.gpuModel as OfferDto['gpuModel'],
    gpuName: model.name,
    gpuCount: row.gpuCount,
    freeGpus: row.freeGpus,
    vramGb: row.vramGb,
    region: row.region as OfferDto['region'],
    regionName: regionName(row.region),
    interconnect: row.interconnect,
    bandwidthMbps: row.bandwidthMbps,
    cpuCores: row.cpuCores,
    ramGb: row.ramGb,
    diskGb: row.diskGb,
    cudaVersion: row.cudaVersion,
    priceMicros: row.priceMicros.toString(),
    pricePerWorkMicros: row.pricePerWorkMicros.toString(),
    reliability: row.reliabilityBp / 10_000,
    jobSuccessRate: row.jobSuccessBp === null ? null : row.jobSuccessBp / 10_000,
    jobsFinished: row.jobsFinished,
    verified: row.verified,
    // Never shown as verified without saying when and how: an offer is verified only with both.
    verifiedAt: row.verified && row.verifiedAt ? row.verifiedAt.toISOString() : null,
    verificationMethod: row.verified && row.verifiedAt ? row.verificationMethod : null,
    declared: row.declared,
  };
}

/**
 * One keyset page of offers. The order is (sort key, node_id) in one direction, so the continuation
 * condition is a row comparison that an index on (key, node_id) answers as a range scan. `clock` is "now"
 * for the `verifiedWithin` window.
 */
export async function searchOffers(
  db: Db,
  query: OfferSearchQuery,
  clock: Clock = systemClock,
): Promise<OfferPage> {
  const order = query.order ?? DEFAULT_ORDER[query.sort];
  const { column, sqlType } = SORT_COLUMNS[query.sort];
  const conditions = offerFilterConditions(query, clock.now());

  if (query.cursor !== undefined) {
    const cursor = decodeOfferCursor(query.cursor, query.sort, order, sqlType);
    if (!cursor) {
      throw new AppError('bad_request', 'Invalid query: cursor', {
        fields: [{ field: 'cursor', message: 'is malformed or belongs to a different sort' }],
      });
    }
    const value = sql`cast(${cursor.value} as ${sql.raw(sqlType)})`;
    const id = sql`cast(${cursor.nodeId} as uuid)`;
    conditions.push(
      order === 'asc'
        ? sql`(${column}, ${offers.nodeId}) > (${value}, ${id})`
        : sql`(${column}, ${offers.nodeId}) < (${value}, ${id})`,
    );
  }

  const direction = order === 'asc' ? asc : desc;
  const ordering = [direction(column), direction(offers.nodeId)];
  const page = (model?: string) => {
    const where = model ? [eq(offers.gpuModel, model), ...conditions] : conditions;
    return db
      .select(offerRowFields)
      .from(offers)
      .where(where.length ? and(...where) : undefined)
      .orderBy(...ordering)
      .limit(query.limit + 1);
  };
  // Several GPU models: each model's page is a range scan of its (gpu_model, key, node_id) index, and the
  // pages are merged in order (a Merge Append, no sort). One scan of the key's own index would wade
  // through every other model first: an H200 filter sorted by price skips all cheaper GPUs.
  const [first, second, ...rest] = query.gpu ?? [];
  const rows = second
    ? await unionAll(page(first), page(second), ...rest.map(page))
        .orderBy(...ordering)
        .limit(query.limit + 1)
    : await page(first);

  const kept = rows.slice(0, query.limit);
  const last = kept.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? encodeOfferCursor({
          sort: query.sort,
          order,
          value: SORT_COLUMNS[query.sort].value(last),
          nodeId: last.nodeId,
        })
      : null;
  return { data: kept.map(toOfferDto), nextCursor };
}
