import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { unionAll, type PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '@/lib/api/errors';
import type { Db } from '@/lib/db/client';
import { offers, type Offer } from '@/lib/db/schema';
import { gpuModel } from '@/lib/market/gpu-models';
import { decodeOfferCursor, encodeOfferCursor } from '@/lib/market/offer-cursor';
import {
  DEFAULT_ORDER,
  type OfferDto,
  type OfferPage,
  type OfferSearchQuery,
  type OfferSort,
} from '@/lib/market/offer-schemas';
import { regionName } from '@/lib/market/regions';
import { parseUsdcToMicros } from '@/lib/money';

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
};

/** The WHERE conditions of a search other than the GPU models and the cursor. */
function offerFilterConditions(query: OfferSearchQuery): SQL[] {
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
  if (query.interconnect !== undefined) conditions.push(eq(offers.interconnect, query.interconnect));
  if (query.minBandwidth !== undefined) conditions.push(gte(offers.bandwidthMbps, query.minBandwidth));
  return conditions;
}

export function toOfferDto(row: Offer): OfferDto {
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
    priceMicros: row.priceMicros.toString(),
    pricePerWorkMicros: row.pricePerWorkMicros.toString(),
    reliability: row.reliabilityBp / 10_000,
    jobSuccessRate: row.jobSuccessBp === null ? null : row.jobSuccessBp / 10_000,
    jobsFinished: row.jobsFinished,
    verified: row.verified,
    verifiedAt: row.verifiedAt ? row.verifiedAt.toISOString() : null,
  };
}

/**
 * One keyset page of offers. The order is (sort key, node_id) in one direction, so the continuation
 * condition is a row comparison that an index on (key, node_id) answers as a range scan.
 */
export async function searchOffers(db: Db, query: OfferSearchQuery): Promise<OfferPage> {
  const order = query.order ?? DEFAULT_ORDER[query.sort];
  const { column, sqlType } = SORT_COLUMNS[query.sort];
  const conditions = offerFilterConditions(query);

  if (query.cursor !== undefined) {
    const cursor = decodeOfferCursor(query.cursor, query.sort, order);
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
      .select()
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
