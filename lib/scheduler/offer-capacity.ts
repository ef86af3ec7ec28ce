import { inArray, sql } from 'drizzle-orm';
import { noteDataChanged } from '@/lib/cache/change-notices';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { offers } from '@/lib/db/schema';
import { refreshOffers } from '@/lib/market/refresh-offers';

/**
 * Brings the market's free-GPU counts in line with the leases of the given nodes after placements or
 * releases: a full node leaves the market, a listed one shows its new free count, and a node that was full
 * and has GPUs free again is re-derived (with its reliability and verification) and listed.
 */
export async function syncOfferCapacity(db: Db, clock: Clock, nodeIds: readonly string[]): Promise<void> {
  if (nodeIds.length === 0) return;
  const ids = [...nodeIds];
  const rows = await queryRows<{ node_id: string; free: number; listed: boolean }>(
    db,
    sql`select n.id as node_id,
          n.gpu_count - (select count(*) from gpu_leases l where l.node_id = n.id)::int as free,
          exists (select 1 from offers o where o.node_id = n.id) as listed
        from nodes n where n.id in ${ids}`,
  );
  const full = rows.filter((r) => r.free <= 0 && r.listed).map((r) => r.node_id);
  const update = rows.filter((r) => r.free > 0 && r.listed);
  const missing = rows.filter((r) => r.free > 0 && !r.listed).map((r) => r.node_id);
  const now = clock.now();
  if (full.length) await db.delete(offers).where(inArray(offers.nodeId, full));
  if (update.length) {
    const values = sql.join(
      update.map((r) => sql`(${r.node_id}::uuid, ${r.free}::int)`),
      sql`, `,
    );
    await db.execute(sql`update offers set free_gpus = v.free, updated_at = ${now}
      from (values ${values}) as v(id, free) where offers.node_id = v.id`);
  }
  if (full.length || update.length) noteDataChanged('offers');
  // Only nodes that may be listed get an offer back (refreshOffers applies the listing rules).
  if (missing.length) await refreshOffers(db, clock, missing);
}
