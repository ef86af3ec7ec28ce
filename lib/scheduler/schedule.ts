import { inArray, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { gpuLeases, jobAttempts, nodeGpus } from '@/lib/db/schema';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { appendJobEvents, type NewJobEvent } from '@/lib/jobs/events';
import { syncOfferCapacity } from '@/lib/scheduler/offer-capacity';
import { gpuModel } from '@/lib/market/gpu-models';
import { findGpuModel } from '@/lib/market/gpu-models';

/** Jobs claimed per transaction: bounds lock time and memory while a large queue drains. */
export const SCHEDULE_BATCH = 500;

/** A queued job as the scheduler claims it (the columns placement needs, snake_case as read). */
export interface QueuedJob {
  id: string;
  template: string;
  gpu_models: string[];
  gpu_count: number;
  min_vram_gb: number;
  region: string | null;
  pinned_node_id: string | null;
  max_price_per_gpu_hour_micros: string | null;
  work_units: string;
  fencing_token: string;
  attempt_count: number;
  checkpoint_units: string;
  /** 'canary' jobs are the platform's known-answer checks: placed like any job, at price 0 (unpaid). */
  kind?: string;
}

/** What placing work on a node needs to know of it: who owns it, where it is, its hardware and price. */
export interface PlacedNode {
  id: string;
  ownerAccountId: string;
  name: string;
  region: string;
  gpuModel: string;
  gpuCount: number;
  vramGb: number;
  price: bigint;
}

/** A node that can take work, ranked by `score`, with the GPUs still free this pass. */
export interface NodeCapacity extends PlacedNode {
  /** Expected cost per unit of work, relative: price ÷ (throughput × reliability). Lower is better. */
  score: number;
  free: Set<number>;
  /** Held back this pass for a large job that is waiting for the node to drain (backfill guard). */
  reservedFor: string | null;
  /** Its agent cannot run the GPU proof (hardware only declared): it takes only jobs pinned to it. */
  declared?: boolean;
}

export interface Placement {
  jobId: string;
  attemptId: string;
  attemptNumber: number;
  fencingToken: number;
  node: NodeCapacity;
  gpuIndexes: number[];
  resumeFromUnits: number;
  /** Locked into the attempt: the node's price, or 0 for a canary. */
  pricePerGpuHourMicros: bigint;
}

export interface ScheduleResult {
  claimed: number;
  placed: number;
  /** Placements lost to another scheduler that took the same GPUs first (retried next tick). */
  conflicts: number;
  waiting: number;
}

/** What ranking a node needs: its hardware, price, 30-day reliability, verification and leased GPUs. */
export interface CapacityInput extends PlacedNode {
  /** Basis points; null when the node has no offer row yet (counted as 90 %). */
  reliabilityBp: number | null;
  verified: boolean | null;
  leased: readonly number[];
  declared?: boolean;
}

/**
 * A node's capacity for one pass: its free GPUs and its score, the expected cost per unit of work — price ÷
 * (throughput × reliability, floored at 25 %; unverified hardware counts 10 % less reliable). Null when the
 * node has no free GPU or an unknown GPU model.
 */
export function nodeCapacity(input: CapacityInput): NodeCapacity | null {
  const model = findGpuModel(input.gpuModel);
  if (!model) return null;
  const leased = new Set(input.leased);
  const free = new Set<number>();
  for (let i = 0; i < input.gpuCount; i++) if (!leased.has(i)) free.add(i);
  if (free.size === 0) return null;
  const reliability = Math.max(0.25, (input.reliabilityBp ?? 9_000) / 10_000) * (input.verified ? 1 : 0.9);
  return {
    id: input.id,
    ownerAccountId: input.ownerAccountId,
    name: input.name,
    region: input.region,
    gpuModel: input.gpuModel,
    gpuCount: input.gpuCount,
    vramGb: input.vramGb,
    price: input.price,
    score: Number(input.price) / (model.relativeThroughput * reliability),
    free,
    reservedFor: null,
    declared: input.declared ?? false,
  };
}

/** The expected cost of a job on a node is its work × the node's score, whatever the job: rank once. */
export function rankCapacity(capacity: NodeCapacity[]): NodeCapacity[] {
  return capacity.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
}

/** Nodes that can take work now: up, heard from within the lost-after window, not quarantined or failed. */
async function loadCapacity(db: Db, now: Date, config: OrchestrationConfig): Promise<NodeCapacity[]> {
  const fresh = new Date(now.getTime() - config.lostAfterMs);
  const rows = await queryRows<{
    id: string;
    owner_account_id: string;
    name: string;
    region: string;
    gpu_model: string;
    gpu_count: number;
    vram_gb: number;
    price: string;
    reliability_bp: number | null;
    verified: boolean | null;
    leased: number[] | null;
    declared: boolean;
  }>(
    db,
    sql`select n.id, n.owner_account_id, n.name, n.region, n.gpu_model, n.gpu_count, n.vram_gb,
          n.price_per_gpu_hour_micros as price, o.reliability_bp, o.verified,
          n.verification_state = 'declared' as declared,
          (select array_agg(l.gpu_index) from gpu_leases l where l.node_id = n.id) as leased
        from nodes n left join offers o on o.node_id = n.id
        where n.status in ('online', 'busy') and n.last_heartbeat_at >= ${fresh}
          and n.verification_state <> 'failed' and n.token_hash is not null`,
  );
  const capacity: NodeCapacity[] = [];
  for (const row of rows) {
    const node = nodeCapacity({
      id: row.id,
      ownerAccountId: row.owner_account_id,
      name: row.name,
      region: row.region,
      gpuModel: row.gpu_model,
      gpuCount: row.gpu_count,
      vramGb: row.vram_gb,
      price: BigInt(row.price),
      reliabilityBp: row.reliability_bp,
      verified: row.verified,
      leased: row.leased ?? [],
      declared: row.declared,
    });
    if (node) capacity.push(node);
  }
  return rankCapacity(capacity);
}

function matches(job: QueuedJob, node: NodeCapacity): boolean {
  if (job.pinned_node_id && job.pinned_node_id !== node.id) return false;
  // Declared hardware was never proven: only a customer who chose the node by name gets it.
  if (node.declared && job.pinned_node_id !== node.id) return false;
  if (job.gpu_models.length && !job.gpu_models.includes(node.gpuModel)) return false;
  if (node.vramGb < job.min_vram_gb) return false;
  if (job.region && node.region !== job.region) return false;
  if (job.max_price_per_gpu_hour_micros && node.price > BigInt(job.max_price_per_gpu_hour_micros))
    return false;
  return node.gpuCount >= job.gpu_count;
}

/**
 * Decides placements for claimed jobs, oldest first, on the ranked nodes: each job goes whole onto the
 * cheapest node (by expected cost per unit of work) with enough free GPUs. A job that fits nowhere yet holds
 * back the matching node closest to fitting, so smaller jobs behind it backfill other nodes instead of
 * starving it. Pure: the transaction writes what this returns.
 */
export function planPlacements(
  jobsToPlace: readonly QueuedJob[],
  nodes: NodeCapacity[],
): Omit<Placement, 'attemptId'>[] {
  const placements: Omit<Placement, 'attemptId'>[] = [];
  for (const job of jobsToPlace) {
    let chosen: NodeCapacity | null = null;
    let closest: NodeCapacity | null = null;
    for (const node of nodes) {
      if (node.free.size === 0 || !matches(job, node)) continue;
      if (node.reservedFor !== null && node.reservedFor !== job.id) continue;
      if (node.free.size >= job.gpu_count) {
        chosen = node;
        break;
      }
      if (!closest || node.free.size > closest.free.size) closest = node;
    }
    if (!chosen) {
      if (closest) closest.reservedFor = job.id;
      continue;
    }
    const gpuIndexes = [...chosen.free].sort((a, b) => a - b).slice(0, job.gpu_count);
    for (const index of gpuIndexes) chosen.free.delete(index);
    if (chosen.reservedFor === job.id) chosen.reservedFor = null;
    placements.push({
      jobId: job.id,
      attemptNumber: job.attempt_count + 1,
      fencingToken: Number(job.fencing_token) + 1,
      node: chosen,
      gpuIndexes,
      resumeFromUnits: Number(job.checkpoint_units),
      pricePerGpuHourMicros: job.kind === 'canary' ? 0n : chosen.price,
    });
  }
  return placements;
}

/**
 * One scheduler pass: claims queued jobs with `FOR UPDATE SKIP LOCKED` (so several schedulers share the
 * queue without waiting on each other) and places them. The GPU lease table's primary key makes
 * double-booking impossible: when another scheduler took the same GPU first, the insert does nothing, the
 * placement is undone and the job stays queued for the next pass.
 */
export async function scheduleQueuedJobs(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  options: { maxBatches?: number } = {},
): Promise<ScheduleResult> {
  const result: ScheduleResult = { claimed: 0, placed: 0, conflicts: 0, waiting: 0 };
  const maxBatches = options.maxBatches ?? 40;
  let after: { queuedAt: Date; id: string } | null = null;
  let capacity: NodeCapacity[] | null = null;
  for (let batch = 0; batch < maxBatches; batch++) {
    const pass = await db.transaction(async (tx) => {
      const now = clock.now();
      const claimed = await queryRows<QueuedJob & { queued_at: Date | string }>(
        tx,
        sql`select id, template, gpu_models, gpu_count, min_vram_gb, region, pinned_node_id,
              max_price_per_gpu_hour_micros, work_units, fencing_token, attempt_count, checkpoint_units,
              kind, queued_at
            from jobs
            where state = 'queued'
              ${after ? sql`and (queued_at, id) > (${after.queuedAt}, ${after.id}::uuid)` : sql``}
            order by queued_at, id
            limit ${SCHEDULE_BATCH}
            for update skip locked`,
      );
      if (claimed.length === 0) return null;
      const last = claimed.at(-1) as QueuedJob & { queued_at: Date | string };
      const nextAfter = { queuedAt: new Date(last.queued_at), id: last.id };
      // Loaded once per pass and kept up to date in memory by the placements; a GPU another scheduler took
      // meanwhile is caught by the lease table's key.
      capacity ??= await loadCapacity(tx, now, config);
      const planned = planPlacements(claimed, capacity);
      const placed = await writePlacements(tx, now, config, planned);
      return { claimed: claimed.length, placed, planned: planned.length, nextAfter };
    });
    if (!pass) break;
    result.claimed += pass.claimed;
    result.placed += pass.placed.length;
    result.conflicts += pass.planned - pass.placed.length;
    result.waiting += pass.claimed - pass.placed.length;
    after = pass.nextAfter;
    if (pass.placed.length)
      await syncOfferCapacity(db, clock, [...new Set(pass.placed.map((p) => p.node.id))]);
    if (pass.claimed < SCHEDULE_BATCH) break;
  }
  return result;
}

export interface WritePlacementsOptions {
  /**
   * Whether to lease the GPUs in `gpu_leases` (the default, and what every live placement must do). The
   * demo history writes attempts that end inside the same transaction on GPUs it tracks itself: leasing them
   * would only collide with live leases on the same GPUs.
   */
  leases?: boolean;
}

/**
 * Writes planned placements: the attempts (with the GPU serials, the locked price and take rate), the GPU
 * leases — a placement whose GPUs another scheduler leased first is undone — the jobs' new state and fencing
 * tokens, and their `scheduled` events. Returns the placements that were written.
 */
export async function writePlacements(
  tx: Db,
  now: Date,
  config: OrchestrationConfig,
  planned: Omit<Placement, 'attemptId'>[],
  options: WritePlacementsOptions = {},
): Promise<Placement[]> {
  if (planned.length === 0) return [];
  const nodeIds = [...new Set(planned.map((p) => p.node.id))];
  const serialRows = await tx
    .select({ nodeId: nodeGpus.nodeId, index: nodeGpus.index, serial: nodeGpus.serial })
    .from(nodeGpus)
    .where(inArray(nodeGpus.nodeId, nodeIds));
  const serials = new Map(serialRows.map((r) => [`${r.nodeId}:${r.index}`, r.serial]));

  const attempts = await tx
    .insert(jobAttempts)
    .values(
      planned.map((p) => ({
        jobId: p.jobId,
        number: p.attemptNumber,
        nodeId: p.node.id,
        supplierAccountId: p.node.ownerAccountId,
        gpuIndexes: p.gpuIndexes,
        gpuSerials: p.gpuIndexes.map((i) => serials.get(`${p.node.id}:${i}`) ?? 'unknown'),
        gpuModel: p.node.gpuModel,
        fencingToken: p.fencingToken,
        pricePerGpuHourMicros: p.pricePerGpuHourMicros,
        takeRateBp: config.takeRateBp,
        state: 'assigned' as const,
        resumedFromUnits: p.resumeFromUnits,
        assignedAt: now,
      })),
    )
    .returning({ id: jobAttempts.id, jobId: jobAttempts.jobId });
  const attemptOf = new Map(attempts.map((a) => [a.jobId, a.id]));
  const withIds: Placement[] = planned.map((p) => ({ ...p, attemptId: attemptOf.get(p.jobId) as string }));
  const won = options.leases === false ? withIds : await leaseGpus(tx, now, withIds);
  if (won.length === 0) return [];

  const values = sql.join(
    won.map((p) => sql`(${p.jobId}::uuid, ${p.fencingToken}::bigint, ${p.attemptNumber}::int)`),
    sql`, `,
  );
  await tx.execute(sql`update jobs set state = 'scheduled', state_reason = null,
      fencing_token = v.token, attempt_count = v.number, updated_at = ${now}
    from (values ${values}) as v(id, token, number) where jobs.id = v.id`);
  const events: NewJobEvent[] = won.map((p) => ({
    jobId: p.jobId,
    type: 'scheduled',
    data: {
      attempt: p.attemptNumber,
      nodeId: p.node.id,
      nodeName: p.node.name,
      region: p.node.region,
      gpuModel: gpuModel(p.node.gpuModel).name,
      gpuIndexes: p.gpuIndexes,
      pricePerGpuHourMicros: p.pricePerGpuHourMicros.toString(),
    },
  }));
  await appendJobEvents(tx, now, events);
  return won;
}

/**
 * Leases the placements' GPUs. The lease table's primary key makes double-booking impossible: a placement
 * whose GPUs another scheduler took first is undone (its leases and attempt deleted). Returns the ones won.
 */
async function leaseGpus(tx: Db, now: Date, withIds: Placement[]): Promise<Placement[]> {
  const leased = await tx
    .insert(gpuLeases)
    .values(
      withIds
        .flatMap((p) =>
          p.gpuIndexes.map((gpuIndex) => ({
            nodeId: p.node.id,
            gpuIndex,
            attemptId: p.attemptId,
            createdAt: now,
          })),
        )
        // One global order of lock acquisition, so two schedulers inserting overlapping GPUs never deadlock.
        .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : a.gpuIndex - b.gpuIndex)),
    )
    .onConflictDoNothing()
    .returning({ attemptId: gpuLeases.attemptId });
  const leasedCount = new Map<string, number>();
  for (const row of leased) leasedCount.set(row.attemptId, (leasedCount.get(row.attemptId) ?? 0) + 1);
  const won = withIds.filter((p) => leasedCount.get(p.attemptId) === p.gpuIndexes.length);
  const lost = withIds.filter((p) => leasedCount.get(p.attemptId) !== p.gpuIndexes.length);
  if (lost.length) {
    // Another scheduler holds some of these GPUs: give back what this one got and forget the attempts.
    const ids = lost.map((p) => p.attemptId);
    await tx.delete(gpuLeases).where(inArray(gpuLeases.attemptId, ids));
    await tx.delete(jobAttempts).where(inArray(jobAttempts.id, ids));
  }
  return won;
}
