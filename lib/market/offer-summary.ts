import { sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { nodes, offers } from '@/lib/db/schema';
import { GPU_MODELS } from '@/lib/market/gpu-models';
import type { GpuModelSummary, OfferSummary } from '@/lib/market/offer-schemas';

interface ModelRow {
  gpu_model: string;
  nodes_listed: number;
  gpus_available: number;
  p10: string | null;
  p50: string | null;
  p90: string | null;
}

/**
 * Price percentiles per GPU model over listed offers (one observation per offer, as a renter sees them).
 * `percentile_disc` returns a real listed price, never an interpolated one.
 */
export async function modelPriceBands(db: Db, modelId?: string): Promise<GpuModelSummary[]> {
  const rows = await queryRows<ModelRow>(
    db,
    sql`
    select ${offers.gpuModel} as gpu_model,
           count(*)::int as nodes_listed,
           coalesce(sum(${offers.freeGpus}), 0)::int as gpus_available,
           percentile_disc(0.1) within group (order by ${offers.priceMicros})::text as p10,
           percentile_disc(0.5) within group (order by ${offers.priceMicros})::text as p50,
           percentile_disc(0.9) within group (order by ${offers.priceMicros})::text as p90
    from ${offers}
    ${modelId ? sql`where ${offers.gpuModel} = ${modelId}` : sql``}
    group by ${offers.gpuModel}`,
  );
  const byModel = new Map(rows.map((row) => [row.gpu_model, row]));
  const models = modelId ? GPU_MODELS.filter((m) => m.id === modelId) : GPU_MODELS;
  return models.map((model) => {
    const row = byModel.get(model.id);
    return {
      gpuModel: model.id,
      gpuName: model.name,
      vramGb: model.vramGb,
      relativeThroughput: model.relativeThroughput,
      nodesListed: row?.nodes_listed ?? 0,
      gpusAvailable: row?.gpus_available ?? 0,
      p10PriceMicros: row?.p10 ?? null,
      medianPriceMicros: row?.p50 ?? null,
      p90PriceMicros: row?.p90 ?? null,
    };
  });
}

interface TotalsRow {
  nodes_online: number;
  gpus_online: number;
  verified_gpus_online: number;
}

/** The network now: what is online, what is verified, what can be rented, and at what prices. */
export async function summarizeOffers(db: Db, clock: Clock, simulated: boolean): Promise<OfferSummary> {
  const [totals, models] = await Promise.all([
    queryRows<TotalsRow>(
      db,
      sql`
      select count(*)::int as nodes_online,
             coalesce(sum(${nodes.gpuCount}), 0)::int as gpus_online,
             coalesce(sum(${nodes.gpuCount}) filter (where ${nodes.verificationState} = 'verified'), 0)::int
               as verified_gpus_online
      from ${nodes}
      where ${nodes.status} in ('online', 'busy')`,
    ),
    modelPriceBands(db),
  ]);
  const row = totals[0];
  return {
    generatedAt: clock.now().toISOString(),
    simulated,
    nodesOnline: row?.nodes_online ?? 0,
    gpusOnline: row?.gpus_online ?? 0,
    verifiedGpusOnline: row?.verified_gpus_online ?? 0,
    gpusAvailable: models.reduce((sum, m) => sum + m.gpusAvailable, 0),
    models,
  };
}
