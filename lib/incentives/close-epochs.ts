import { max, min, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { incentiveEpochs, incentiveRewards, nodes, type IncentiveReward } from '@/lib/db/schema';
import type { IncentiveConfig } from '@/lib/incentives/config';
import { emissionForEpoch, epochContaining, splitProRata, usdValueMicros } from '@/lib/incentives/emission';
import { postTransactionsBulk } from '@/lib/ledger/post-many';

/**
 * Availability rewards. Once an epoch has fully elapsed, its emission is shared pro rata over the verified
 * online GPU-seconds of that epoch: time in status online or busy, of nodes that are verified and not
 * quarantined when the epoch is closed. Each node's reward is recorded, and each supplier is credited once per
 * epoch in the `incentive` currency — all in one transaction per epoch, so an epoch is closed entirely or not
 * at all, and closing it again (also concurrently) changes nothing.
 */

export interface ClosedEpoch {
  epochStart: Date;
  emissionMicros: bigint;
  gpuSeconds: number;
  rewards: number;
}

export interface CloseSummary {
  /** Epochs this call closed, oldest first. */
  closed: ClosedEpoch[];
  /** Epochs another closer had closed first (found by the epoch's primary key). */
  skipped: number;
}

/** A stretch of up-time of an eligible node, clipped to the batch window, in epoch milliseconds. */
interface UpSpan {
  nodeId: string;
  supplier: string;
  gpuCount: number;
  startMs: number;
  endMs: number;
}

interface NodeUptime {
  nodeId: string;
  supplier: string;
  gpuSeconds: number;
}

/** Reward rows per insert statement (seven parameters each, far below the protocol's limit). */
const INSERT_CHUNK = 1_000;

/**
 * Closes every fully elapsed epoch that is not closed yet, oldest first, at most `maxEpochsPerRun` per call.
 * The first epoch is the one containing the earliest node's creation or `backfillMs` before the first close,
 * whichever is later (never before genesis); afterwards each
 * epoch starts where the last closed one ended. Returns what it closed. Safe to call from several workers.
 */
export async function closeIncentiveEpochs(
  db: Db,
  clock: Clock,
  config: IncentiveConfig,
): Promise<CloseSummary> {
  const summary: CloseSummary = { closed: [], skipped: 0 };
  const first = await nextEpochStart(db, config, clock.now());
  if (!first) return summary;
  const now = clock.now().getTime();
  const starts: Date[] = [];
  for (let s = first.getTime(); s + config.epochMs <= now && starts.length < config.maxEpochsPerRun;) {
    starts.push(new Date(s));
    s += config.epochMs;
  }
  const last = starts.at(-1);
  if (!last) return summary;
  // One read of the up-time of the whole batch, split per epoch in memory.
  const spans = await loadUpSpans(db, first, new Date(last.getTime() + config.epochMs));
  for (const start of starts) {
    const end = new Date(start.getTime() + config.epochMs);
    const closed = await closeEpoch(db, clock, config, start, end, uptimeInEpoch(spans, start, end));
    if (closed) summary.closed.push(closed);
    else summary.skipped += 1;
  }
  return summary;
}

export interface EpochRange {
  /** Start of the first epoch (inclusive) and end of the last (exclusive); a whole number of epochs. */
  from: Date;
  to: Date;
  /** Length of these epochs; it divides a day. The emission scales with it (see `closeEpochsInRange`). */
  epochMs: number;
}

/**
 * Closes the epochs of an explicit past range, oldest first, with their own length — the demo history closes
 * its year in one-day epochs (365 rows, not 8,760). Each epoch goes through `closeEpoch`, with the same
 * eligibility rule as the live close; the emission per epoch is the configured emission scaled to the epoch's
 * length (a day emits 24 hourly epochs' worth), and the halving schedule still applies by the epoch's start.
 * An epoch overlapping one closed before (of any length) is skipped, so no GPU-second is rewarded twice.
 * The live `closeIncentiveEpochs` continues from the last epoch's end.
 */
export async function closeEpochsInRange(
  db: Db,
  clock: Clock,
  config: IncentiveConfig,
  range: EpochRange,
): Promise<CloseSummary> {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (range.epochMs <= 0 || (to - from) % range.epochMs !== 0)
    throw new Error(`The range ${range.from.toISOString()}–${range.to.toISOString()} is not whole epochs.`);
  if (to > clock.now().getTime()) throw new Error('Only epochs that have fully elapsed can be closed.');
  const scaled: IncentiveConfig = {
    ...config,
    epochMs: range.epochMs,
    emissionPerEpochMicros: (config.emissionPerEpochMicros * BigInt(range.epochMs)) / BigInt(config.epochMs),
  };
  const summary: CloseSummary = { closed: [], skipped: 0 };
  if (to <= from) return summary;
  const spans = await loadUpSpans(db, range.from, range.to);
  for (let s = from; s < to; s += range.epochMs) {
    const start = new Date(s);
    const end = new Date(s + range.epochMs);
    const [overlap] = await queryRows<{ found: boolean }>(
      db,
      sql`select exists (select 1 from ${incentiveEpochs}
            where epoch_start < ${end.toISOString()}::timestamptz
              and epoch_end > ${start.toISOString()}::timestamptz) as found`,
    );
    const closed = overlap?.found
      ? null
      : await closeEpoch(db, clock, scaled, start, end, uptimeInEpoch(spans, start, end));
    if (closed) summary.closed.push(closed);
    else summary.skipped += 1;
  }
  return summary;
}

/**
 * Where the next epoch starts: after the last closed one, or at the epoch of the earliest node, and never
 * before genesis; null if there is no node.
 */
async function nextEpochStart(db: Db, config: IncentiveConfig, now: Date): Promise<Date | null> {
  const [closed] = await db.select({ end: max(incentiveEpochs.epochEnd) }).from(incentiveEpochs);
  // Never before genesis, even when what is closed ends earlier (a generated history's past).
  if (closed?.end) return closed.end > config.genesis ? closed.end : config.genesis;
  const [earliest] = await db.select({ at: min(nodes.createdAt) }).from(nodes);
  if (!earliest?.at) return null;
  const backfillFrom = new Date(now.getTime() - config.backfillMs);
  return epochContaining(config, earliest.at > backfillFrom ? earliest.at : backfillFrom);
}

/** Up-time (online or busy) of the nodes that are verified and not quarantined, clipped to [from, to). */
async function loadUpSpans(db: Db, from: Date, to: Date): Promise<UpSpan[]> {
  const rows = await queryRows<{
    node_id: string;
    supplier: string;
    gpu_count: number;
    start_ms: string;
    end_ms: string;
  }>(
    db,
    sql`select i.node_id, n.owner_account_id as supplier, n.gpu_count,
               floor(extract(epoch from greatest(i.started_at, ${from.toISOString()}::timestamptz)) * 1000)::bigint::text
                 as start_ms,
               floor(extract(epoch from least(coalesce(i.ended_at, ${to.toISOString()}::timestamptz),
                                              ${to.toISOString()}::timestamptz)) * 1000)::bigint::text as end_ms
        from node_status_intervals i
        join nodes n on n.id = i.node_id
        where i.status in ('online', 'busy')
          and i.started_at < ${to.toISOString()}::timestamptz
          and (i.ended_at is null or i.ended_at > ${from.toISOString()}::timestamptz)
          and n.verification_state = 'verified'
          and n.quarantined_at is null`,
  );
  return rows.map((r) => ({
    nodeId: r.node_id,
    supplier: r.supplier,
    gpuCount: Number(r.gpu_count),
    startMs: Number(r.start_ms),
    endMs: Number(r.end_ms),
  }));
}

/**
 * Each node's GPU-seconds inside [start, end): its up milliseconds (capped at the epoch's length, should
 * status rows ever overlap) times its GPUs, floored to whole seconds. Nodes with none are left out.
 */
function uptimeInEpoch(spans: readonly UpSpan[], start: Date, end: Date): NodeUptime[] {
  const s = start.getTime();
  const e = end.getTime();
  const byNode = new Map<string, { supplier: string; gpuCount: number; upMs: number }>();
  for (const span of spans) {
    const ms = Math.min(span.endMs, e) - Math.max(span.startMs, s);
    if (ms <= 0) continue;
    const entry = byNode.get(span.nodeId) ?? { supplier: span.supplier, gpuCount: span.gpuCount, upMs: 0 };
    entry.upMs += ms;
    byNode.set(span.nodeId, entry);
  }
  const result: NodeUptime[] = [];
  for (const [nodeId, entry] of byNode) {
    const gpuSeconds = Math.floor((Math.min(entry.upMs, e - s) * entry.gpuCount) / 1000);
    if (gpuSeconds > 0) result.push({ nodeId, supplier: entry.supplier, gpuSeconds });
  }
  return result.sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
}

/**
 * Closes one epoch in one transaction: the epoch row first (its primary key is the claim: a concurrent closer
 * waits, then inserts nothing and rolls back), then the ledger credits, one per supplier with the key
 * `incentive:<epoch start>:<supplier>`, then the per-node rewards pointing at them. An epoch without verified
 * GPU-seconds is recorded with zero emission: nothing is emitted for it.
 */
async function closeEpoch(
  db: Db,
  clock: Clock,
  config: IncentiveConfig,
  start: Date,
  end: Date,
  uptime: readonly NodeUptime[],
): Promise<ClosedEpoch | null> {
  const gpuSeconds = uptime.reduce((sum, u) => sum + u.gpuSeconds, 0);
  const emission = gpuSeconds > 0 ? emissionForEpoch(config, start) : 0n;
  const shares = splitProRata(
    emission,
    uptime.map((u) => ({ id: u.nodeId, weight: u.gpuSeconds })),
  );
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(incentiveEpochs)
      .values({
        epochStart: start,
        epochEnd: end,
        emissionMicros: emission,
        usdPriceMicros: config.usdPriceMicros,
        gpuSeconds,
        createdAt: clock.now(),
      })
      .onConflictDoNothing()
      .returning({ epochStart: incentiveEpochs.epochStart });
    if (claimed.length === 0) return null;
    const credits = await creditSuppliers(tx, clock, start, uptime, shares);
    const rewards: IncentiveReward[] = uptime.map((u) => {
      const amount = shares.get(u.nodeId) ?? 0n;
      return {
        epochStart: start,
        nodeId: u.nodeId,
        supplierAccountId: u.supplier,
        gpuSeconds: u.gpuSeconds,
        amountMicros: amount,
        usdValueMicros: usdValueMicros(amount, config.usdPriceMicros),
        ledgerTransactionId: credits.get(u.supplier) ?? null,
      };
    });
    for (let i = 0; i < rewards.length; i += INSERT_CHUNK)
      await tx.insert(incentiveRewards).values(rewards.slice(i, i + INSERT_CHUNK));
    return { epochStart: start, emissionMicros: emission, gpuSeconds, rewards: rewards.length };
  });
}

/** One incentive credit per supplier with a positive total this epoch; answers the ledger transaction ids. */
async function creditSuppliers(
  tx: Db,
  clock: Clock,
  start: Date,
  uptime: readonly NodeUptime[],
  shares: ReadonlyMap<string, bigint>,
): Promise<Map<string, string>> {
  const totals = new Map<string, bigint>();
  for (const u of uptime)
    totals.set(u.supplier, (totals.get(u.supplier) ?? 0n) + (shares.get(u.nodeId) ?? 0n));
  const epoch = start.toISOString();
  const credits = [...totals]
    .filter(([, amount]) => amount > 0n)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([supplier, amount]) => ({
      supplier,
      kind: 'incentive' as const,
      idempotencyKey: `incentive:${epoch}:${supplier}`,
      memo: `Availability rewards, epoch ${epoch}`,
      at: clock.now(),
      entries: [
        {
          account: { kind: 'external' as const, owner: null, currency: 'incentive' as const },
          amountMicros: -amount,
        },
        {
          account: { kind: 'supplier_incentives' as const, owner: supplier, currency: 'incentive' as const },
          amountMicros: amount,
        },
      ],
    }));
  // The epoch's claim (its primary key) makes these keys fresh: one set of statements for every supplier.
  const posted = await postTransactionsBulk(tx, credits);
  const ids = new Map<string, string>(credits.map((c, i) => [c.supplier, posted[i] as string]));
  return ids;
}
