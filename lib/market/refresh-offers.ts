import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  gpuLeases,
  nodeVerifications,
  nodes,
  offers,
  verificationChallenges,
  type NewOffer,
} from '@/lib/db/schema';
import { deriveOffer } from '@/lib/market/offer-row';
import { loadRecentStatusSpans } from '@/lib/market/status-history';

/** Nodes per round trip: keeps parameter lists and memory bounded on large fleets. */
const BATCH = 1_000;

export interface RefreshResult {
  listed: number;
  unlisted: number;
}

/**
 * Recomputes the offer rows of nodes from their current state and status history, so reliability, listing
 * and verification on the market always agree with the node page. Offers of nodes that can no longer be
 * rented are removed; GPUs held by active leases are not free. Job statistics on offer rows are left as they
 * are. `nodeIds` limits the refresh to those nodes (after their leases or status changed).
 */
export async function refreshOffers(
  db: Db,
  clock: Clock,
  nodeIds?: readonly string[],
): Promise<RefreshResult> {
  const now = clock.now();
  const result: RefreshResult = { listed: 0, unlisted: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  if (nodeIds?.length === 0) return result;

  for (;;) {
    const batch = await db
      .select()
      .from(nodes)
      .where(
        and(sql`${nodes.id} > cast(${after} as uuid)`, nodeIds ? inArray(nodes.id, [...nodeIds]) : undefined),
      )
      .orderBy(nodes.id)
      .limit(BATCH);
    const last = batch.at(-1);
    if (!last) return result;
    after = last.id;
    const ids = batch.map((n) => n.id);

    const [spans, passes, leases, benchmarking] = await Promise.all([
      loadRecentStatusSpans(db, ids, now),
      db
        .selectDistinctOn([nodeVerifications.nodeId], {
          nodeId: nodeVerifications.nodeId,
          at: nodeVerifications.createdAt,
        })
        .from(nodeVerifications)
        .where(and(inArray(nodeVerifications.nodeId, ids), eq(nodeVerifications.result, 'pass')))
        .orderBy(nodeVerifications.nodeId, desc(nodeVerifications.createdAt)),
      db
        .select({ nodeId: gpuLeases.nodeId, leased: sql<number>`cast(count(*) as int)` })
        .from(gpuLeases)
        .where(inArray(gpuLeases.nodeId, ids))
        .groupBy(gpuLeases.nodeId),
      db
        .select({ nodeId: verificationChallenges.nodeId })
        .from(verificationChallenges)
        .where(
          and(
            inArray(verificationChallenges.nodeId, ids),
            inArray(verificationChallenges.state, ['pending', 'sent', 'committed']),
          ),
        ),
    ]);
    const underTest = new Set(benchmarking.map((b) => b.nodeId));
    const lastPass = new Map(passes.map((p) => [p.nodeId, p.at]));
    const leased = new Map(leases.map((l) => [l.nodeId, Number(l.leased)]));

    const listed: NewOffer[] = [];
    for (const node of batch) {
      const offer = deriveOffer(node, {
        spans: spans.get(node.id) ?? [],
        leasedGpus: leased.get(node.id) ?? 0,
        lastVerifiedAt: lastPass.get(node.id) ?? null,
        now,
        benchmarking: underTest.has(node.id),
      });
      if (offer) listed.push(offer);
    }
    const listedIds = listed.map((o) => o.nodeId);

    await db.transaction(async (tx) => {
      const removed = await tx
        .delete(offers)
        .where(
          listedIds.length
            ? and(inArray(offers.nodeId, ids), notInArray(offers.nodeId, listedIds))
            : inArray(offers.nodeId, ids),
        )
        .returning({ nodeId: offers.nodeId });
      result.unlisted += removed.length;
      if (listed.length) {
        await tx
          .insert(offers)
          .values(listed)
          .onConflictDoUpdate({
            target: offers.nodeId,
            set: {
              gpuModel: sql`excluded.gpu_model`,
              gpuCount: sql`excluded.gpu_count`,
              freeGpus: sql`excluded.free_gpus`,
              vramGb: sql`excluded.vram_gb`,
              region: sql`excluded.region`,
              interconnect: sql`excluded.interconnect`,
              bandwidthMbps: sql`excluded.bandwidth_mbps`,
              priceMicros: sql`excluded.price_micros`,
              pricePerWorkMicros: sql`excluded.price_per_work_micros`,
              reliabilityBp: sql`excluded.reliability_bp`,
              verified: sql`excluded.verified`,
              verifiedAt: sql`excluded.verified_at`,
              declared: sql`excluded.declared`,
              updatedAt: sql`excluded.updated_at`,
            },
          });
      }
    });
    result.listed += listed.length;
  }
}
