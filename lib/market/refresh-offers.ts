import { and, desc, eq, gte, inArray, lte, notInArray, sql } from 'drizzle-orm';
import { noteDataChanged } from '@/lib/cache/change-notices';
import { MS_PER_DAY } from '@/lib/clock';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  gpuLeases,
  jobAttempts,
  jobs,
  nodeVerifications,
  nodes,
  offers,
  verificationChallenges,
  type NewOffer,
} from '@/lib/db/schema';
import { deriveOffer } from '@/lib/market/offer-row';
import { loadRecentStatusSpans } from '@/lib/market/status-history';
import { RELIABILITY_WINDOW_DAYS } from '@/lib/market/uptime';

/** Nodes per round trip: keeps parameter lists and memory bounded on large fleets. */
const BATCH = 1_000;

export interface RefreshResult {
  listed: number;
  unlisted: number;
}

/**
 * Recomputes the offer rows of nodes from their current state and status history, so reliability, listing
 * and verification on the market always agree with the node page. Offers of nodes that can no longer be
 * rented are removed; GPUs held by active leases are not free. Job success rates are recomputed from the node's attempts. `nodeIds` limits the refresh to those nodes (after their leases or status changed).
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

    const [spans, passes, leases, benchmarking, outcomes] = await Promise.all([
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
      // Job success from the same records the metrics read: the node's customer attempts that ended in the
      // reliability window, completed against lost with their host (a workload's own failure, a cancellation
      // or a spent budget says nothing about the node).
      db
        .select({
          nodeId: jobAttempts.nodeId,
          completed: sql<number>`cast(count(*) filter (where ${jobAttempts.state} = 'completed') as int)`,
          lost: sql<number>`cast(count(*) filter (where ${jobAttempts.state} = 'host_lost') as int)`,
        })
        .from(jobAttempts)
        .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
        .where(
          and(
            inArray(jobAttempts.nodeId, ids),
            eq(jobs.kind, 'customer'),
            inArray(jobAttempts.state, ['completed', 'host_lost']),
            gte(jobAttempts.endedAt, new Date(now.getTime() - RELIABILITY_WINDOW_DAYS * MS_PER_DAY)),
            lte(jobAttempts.endedAt, now),
          ),
        )
        .groupBy(jobAttempts.nodeId),
    ]);
    const success = new Map(
      outcomes.map((o) => {
        const ended = Number(o.completed) + Number(o.lost);
        return [
          o.nodeId,
          { ended, bp: ended > 0 ? Math.round((Number(o.completed) * 10_000) / ended) : null },
        ];
      }),
    );
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
        jobSuccessBp: success.get(node.id)?.bp ?? null,
        jobsFinished: success.get(node.id)?.ended ?? 0,
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
              cpuCores: sql`excluded.cpu_cores`,
              ramGb: sql`excluded.ram_gb`,
              diskGb: sql`excluded.disk_gb`,
              cudaVersion: sql`excluded.cuda_version`,
              cudaRank: sql`excluded.cuda_rank`,
              priceMicros: sql`excluded.price_micros`,
              pricePerWorkMicros: sql`excluded.price_per_work_micros`,
              reliabilityBp: sql`excluded.reliability_bp`,
              verified: sql`excluded.verified`,
              verifiedAt: sql`excluded.verified_at`,
              declared: sql`excluded.declared`,
              jobSuccessBp: sql`excluded.job_success_bp`,
              jobsFinished: sql`excluded.jobs_finished`,
              updatedAt: sql`excluded.updated_at`,
            },
          });
      }
    });
    result.listed += listed.length;
    noteDataChanged('offers');
  }
}
