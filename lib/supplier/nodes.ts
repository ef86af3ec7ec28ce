import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { agentUpdateNeeded } from '@/lib/agent/version';
import { AppError } from '@/lib/api/errors';
import { decodeCreatedCursor, olderThan, toPage } from '@/lib/api/page-cursor';
import { MS_PER_DAY, type Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import {
  nodeVerifications,
  nodes,
  verificationChallenges,
  type Node,
  type NodeVerification,
  type VerificationChallenge,
} from '@/lib/db/schema';
import { findGpuModel } from '@/lib/market/gpu-models';
import { modelPriceBands } from '@/lib/market/offer-summary';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { regionName } from '@/lib/market/regions';
import { loadRecentStatusSpans } from '@/lib/market/status-history';
import {
  dailyUptime,
  measureUptime,
  RELIABILITY_WINDOW_DAYS,
  reliabilityBasisPoints,
  type StatusSpan,
} from '@/lib/market/uptime';
import { addAmounts, earningsByDayAndNode, toAmountsView, ZERO, type Amounts } from '@/lib/supplier/earnings';
import { lastDays, utcDay } from '@/lib/supplier/range';
import type { SupplierNodeView } from '@/lib/supplier/schemas';

/** What the console's figures depend on besides the database: the take rate and the minimum agent version. */
export interface SupplierViewConfig {
  takeRateBp: number;
  /** The oldest node agent the marketplace accepts (MIN_AGENT_VERSION); unset: any. */
  minAgentVersion?: string | null;
}

/** Hours in an average month (8,760 h ÷ 12), the horizon of the earnings estimate. */
export const HOURS_PER_MONTH = 730n;

const BP = 10_000n;

/**
 * Paid work a node would earn in a month at its price and observed utilization, after the platform fee:
 * price × GPUs × 730 h × utilization × (1 − take rate), all in integers (floored once, at the end).
 */
export function estimateMonthlyEarnings(
  priceMicros: bigint,
  gpuCount: number,
  utilizationBp: number,
  takeRateBp: number,
): bigint {
  return (
    (priceMicros * BigInt(gpuCount) * HOURS_PER_MONTH * BigInt(utilizationBp) * (BP - BigInt(takeRateBp))) /
    (BP * BP)
  );
}

/** Leased share of online GPU-time, in basis points (capped at 100 %; 0 when the node was never online). */
export function utilizationBp(leasedGpuMs: bigint, onlineGpuMs: bigint): number {
  if (onlineGpuMs <= 0n) return 0;
  const bp = (leasedGpuMs * BP + onlineGpuMs / 2n) / onlineGpuMs;
  return Number(bp > BP ? BP : bp);
}

/**
 * GPU-milliseconds each node's GPUs were leased to customer jobs in [from, to): every attempt from its
 * assignment (the GPUs are held from then) to its end, times the GPUs it held. Canary jobs do not count.
 */
async function leasedGpuMs(db: Db, nodeIds: readonly string[], from: Date, to: Date) {
  const rows = await queryRows<{ node_id: string; gpu_ms: string }>(
    db,
    sql`select ja.node_id,
               sum(floor(extract(epoch from (least(coalesce(ja.ended_at, ${to.toISOString()}::timestamptz),
                                                   ${to.toISOString()}::timestamptz)
                                             - greatest(ja.assigned_at, ${from.toISOString()}::timestamptz))) * 1000)
                   * jsonb_array_length(ja.gpu_indexes))::bigint::text as gpu_ms
        from job_attempts ja
        join jobs j on j.id = ja.job_id
        where ja.node_id in ${[...nodeIds]} and j.kind = 'customer'
          and ja.assigned_at < ${to.toISOString()}::timestamptz
          and (ja.ended_at is null or ja.ended_at > ${from.toISOString()}::timestamptz)
        group by ja.node_id`,
  );
  return new Map(rows.map((r) => [r.node_id, BigInt(r.gpu_ms)]));
}

/** The latest verification of each node, and its latest pass. */
async function latestVerifications(db: Db, nodeIds: readonly string[]) {
  const latest = (passedOnly: boolean) =>
    db
      .selectDistinctOn([nodeVerifications.nodeId])
      .from(nodeVerifications)
      .where(
        and(
          inArray(nodeVerifications.nodeId, [...nodeIds]),
          passedOnly ? eq(nodeVerifications.result, 'pass') : undefined,
        ),
      )
      .orderBy(nodeVerifications.nodeId, desc(nodeVerifications.createdAt), desc(nodeVerifications.id));
  const [checks, passes] = await Promise.all([latest(false), latest(true)]);
  const byNode = (rows: NodeVerification[]) => new Map(rows.map((r) => [r.nodeId, r]));
  return { checks: byNode(checks), passes: byNode(passes) };
}

/** The price band of each GPU model among the nodes, one query per model. */
async function bandsByModel(db: Db, models: readonly string[]) {
  const unique = [...new Set(models)];
  const bands = await Promise.all(unique.map((model) => modelPriceBands(db, model)));
  return new Map(unique.map((model, i) => [model, bands[i]?.[0]]));
}

/** Today's and the last 30 UTC days' earnings per node. */
async function recentEarnings(db: Db, accountId: string, nodeIds: readonly string[], now: Date) {
  const today = utcDay(now);
  const cells = await earningsByDayAndNode(db, accountId, lastDays(now, RELIABILITY_WINDOW_DAYS), nodeIds);
  const result = new Map<string, { today: Amounts; last30d: Amounts }>();
  for (const c of cells) {
    if (c.nodeId === null) continue;
    const entry = result.get(c.nodeId) ?? { today: ZERO, last30d: ZERO };
    entry.last30d = addAmounts(entry.last30d, c);
    if (c.day === today) entry.today = addAmounts(entry.today, c);
    result.set(c.nodeId, entry);
  }
  return result;
}

/** Daily uptime in basis points, from the fractions the market's node page uses. */
function uptimeDailyBp(spans: readonly StatusSpan[], now: Date) {
  return dailyUptime(spans, now).map((d) => ({
    day: d.day,
    uptimeBp: d.uptime === null ? null : Math.round(d.uptime * 10_000),
  }));
}

function benchmarkView(challenge: VerificationChallenge | undefined) {
  if (!challenge) return null;
  if (challenge.state !== 'pending' && challenge.state !== 'sent' && challenge.state !== 'committed')
    return null;
  return {
    state: challenge.state,
    since: (challenge.sentAt ?? challenge.createdAt).toISOString(),
    referenceMs: challenge.referenceMs,
  };
}

/** The console's view of the given nodes (all the caller's own), computed in a fixed number of queries. */
async function toSupplierNodeViews(
  db: Db,
  clock: Clock,
  config: SupplierViewConfig,
  accountId: string,
  rows: readonly Node[],
): Promise<SupplierNodeView[]> {
  if (rows.length === 0) return [];
  const now = clock.now();
  const windowStart = new Date(now.getTime() - RELIABILITY_WINDOW_DAYS * MS_PER_DAY);
  const ids = rows.map((n) => n.id);
  const [spans, verifications, leased, bands, earnings, open] = await Promise.all([
    loadRecentStatusSpans(db, ids, now),
    latestVerifications(db, ids),
    leasedGpuMs(db, ids, windowStart, now),
    bandsByModel(
      db,
      rows.map((n) => n.gpuModel),
    ),
    recentEarnings(db, accountId, ids, now),
    db
      .select()
      .from(verificationChallenges)
      .where(
        and(
          inArray(verificationChallenges.nodeId, ids),
          inArray(verificationChallenges.state, ['pending', 'sent', 'committed']),
        ),
      ),
  ]);
  const openChallenge = new Map(open.map((c) => [c.nodeId, c]));
  return rows.map((node) => {
    const nodeSpans = spans.get(node.id) ?? [];
    const onlineGpuMs = BigInt(measureUptime(nodeSpans, windowStart, now).upMs) * BigInt(node.gpuCount);
    const utilization = utilizationBp(leased.get(node.id) ?? 0n, onlineGpuMs);
    const check = verifications.checks.get(node.id);
    const pass = node.verificationState === 'verified' ? verifications.passes.get(node.id) : undefined;
    const band = bands.get(node.gpuModel);
    const earned = earnings.get(node.id) ?? { today: ZERO, last30d: ZERO };
    return {
      id: node.id,
      name: node.name,
      status: node.status,
      statusSince: node.statusSince.toISOString(),
      region: node.region,
      regionName: regionName(node.region),
      gpuModel: node.gpuModel,
      gpuName: findGpuModel(node.gpuModel)?.name ?? node.gpuModel,
      gpuCount: node.gpuCount,
      vramGb: node.vramGb,
      priceMicros: node.pricePerGpuHourMicros.toString(),
      verification: {
        state: node.verificationState,
        lastVerifiedAt: pass?.createdAt.toISOString() ?? null,
        method: pass?.method ?? null,
        quarantinedAt: node.quarantinedAt?.toISOString() ?? null,
        quarantineReason: node.quarantineReason,
        lastCheck: check
          ? {
              at: check.createdAt.toISOString(),
              method: check.method,
              result: check.result,
              detail: check.detail,
            }
          : null,
        benchmark: benchmarkView(openChallenge.get(node.id)),
      },
      agent: {
        version: node.agentVersion,
        minimumVersion: config.minAgentVersion ?? null,
        updateNeeded: agentUpdateNeeded(node.agentVersion, config.minAgentVersion),
      },
      uptime30dBp: reliabilityBasisPoints(nodeSpans, now),
      uptimeDaily: uptimeDailyBp(nodeSpans, now),
      utilization30dBp: utilization,
      market: {
        p10PriceMicros: band?.p10PriceMicros ?? null,
        medianPriceMicros: band?.medianPriceMicros ?? null,
        p90PriceMicros: band?.p90PriceMicros ?? null,
        offers: band?.nodesListed ?? 0,
      },
      estimatedMonthlyEarningsMicros: estimateMonthlyEarnings(
        node.pricePerGpuHourMicros,
        node.gpuCount,
        utilization,
        config.takeRateBp,
      ).toString(),
      earnings: { today: toAmountsView(earned.today), last30d: toAmountsView(earned.last30d) },
    };
  });
}

/** The caller's nodes, newest first, one keyset page at a time. Nobody else's node is ever listed. */
export async function listSupplierNodes(
  db: Db,
  clock: Clock,
  config: SupplierViewConfig,
  accountId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: SupplierNodeView[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeCreatedCursor(page.cursor) : null;
  const rows = await db
    .select()
    .from(nodes)
    .where(
      and(
        eq(nodes.ownerAccountId, accountId),
        after ? olderThan(nodes.createdAt, nodes.id, after) : undefined,
      ),
    )
    .orderBy(desc(nodes.createdAt), desc(nodes.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const views = new Map(
    (await toSupplierNodeViews(db, clock, config, accountId, pageRows)).map((v) => [v.id, v]),
  );
  return toPage(rows, page.limit, (row) => views.get(row.id) as SupplierNodeView);
}

/** One of the caller's nodes; another account's node (or none) is not found, never forbidden. */
export async function getSupplierNode(
  db: Db,
  clock: Clock,
  config: SupplierViewConfig,
  accountId: string,
  nodeId: string,
): Promise<SupplierNodeView> {
  const [row] = await db
    .select()
    .from(nodes)
    .where(and(eq(nodes.id, nodeId), eq(nodes.ownerAccountId, accountId)))
    .limit(1);
  const [view] = row ? await toSupplierNodeViews(db, clock, config, accountId, [row]) : [];
  if (!view) throw new AppError('not_found', `No node with id ${nodeId}.`);
  return view;
}

/**
 * Sets the price of one of the caller's nodes and re-derives its offer, so the market shows the new price at
 * once. Attempts already placed keep the price they locked at placement: only new placements pay the new one.
 */
export async function updateNodePrice(
  db: Db,
  clock: Clock,
  accountId: string,
  nodeId: string,
  pricePerGpuHourMicros: bigint,
): Promise<void> {
  const updated = await db
    .update(nodes)
    .set({ pricePerGpuHourMicros })
    .where(and(eq(nodes.id, nodeId), eq(nodes.ownerAccountId, accountId)))
    .returning({ id: nodes.id });
  if (updated.length === 0) throw new AppError('not_found', `No node with id ${nodeId}.`);
  await refreshOffers(db, clock, [nodeId]);
}
