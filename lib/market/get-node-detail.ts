import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  nodeGpus,
  nodeVerifications,
  nodes,
  offers,
  type Node,
  type NodeVerification,
} from '@/lib/db/schema';
import { gpuModel, pricePerWorkMicros } from '@/lib/market/gpu-models';
import { VERIFICATION_HISTORY_LIMIT, type NodeDetail } from '@/lib/market/node-schemas';
import { modelPriceBands } from '@/lib/market/offer-summary';
import { regionName } from '@/lib/market/regions';
import { offerRowFields, toOfferDto } from '@/lib/market/search-offers';
import { loadRecentStatusSpans } from '@/lib/market/status-history';
import { dailyUptime, reliabilityBasisPoints } from '@/lib/market/uptime';

type VerificationRecord = NodeDetail['verification']['history'][number];
type VerdictCounts = NodeDetail['verification']['counts'];

function toRecord(v: NodeVerification): VerificationRecord {
  return {
    at: v.createdAt.toISOString(),
    method: v.method,
    result: v.result,
    measuredScore: v.measuredScore,
    expectedMin: v.expectedMin,
    expectedMax: v.expectedMax,
    detail: v.detail,
  };
}

/**
 * The public quarantine notice: when and why. A node quarantined before the date and reason were recorded
 * falls back to when its quarantined status began and the verdict of its latest failed check.
 */
function quarantineOf(
  node: Pick<Node, 'status' | 'statusSince' | 'quarantinedAt' | 'quarantineReason'>,
  latestFailure: NodeVerification | undefined,
): NodeDetail['quarantine'] {
  if (node.quarantinedAt === null && node.status !== 'quarantined') return null;
  return {
    at: (node.quarantinedAt ?? node.statusSince).toISOString(),
    reason: node.quarantineReason ?? latestFailure?.detail ?? 'Reason not recorded.',
  };
}

/**
 * Everything the public offer page shows about one node, or null when there is no such node. A node that is
 * not listed (offline, fully leased, quarantined) still has a page, with `offer` null.
 */
export async function getNodeDetail(db: Db, clock: Clock, nodeId: string): Promise<NodeDetail | null> {
  const [node] = await db.select().from(nodes).where(eq(nodes.id, nodeId)).limit(1);
  if (!node) return null;
  const now = clock.now();

  const newestFirst = [desc(nodeVerifications.createdAt), desc(nodeVerifications.id)];
  const [gpus, spans, verifications, lastPasses, lastFailures, verdicts, offerRows, bands] =
    await Promise.all([
      db.select().from(nodeGpus).where(eq(nodeGpus.nodeId, nodeId)).orderBy(asc(nodeGpus.index)),
      loadRecentStatusSpans(db, [nodeId], now).then((byNode) => byNode.get(nodeId) ?? []),
      db
        .select()
        .from(nodeVerifications)
        .where(eq(nodeVerifications.nodeId, nodeId))
        .orderBy(...newestFirst)
        .limit(VERIFICATION_HISTORY_LIMIT),
      db
        .select()
        .from(nodeVerifications)
        .where(and(eq(nodeVerifications.nodeId, nodeId), eq(nodeVerifications.result, 'pass')))
        .orderBy(...newestFirst)
        .limit(1),
      db
        .select()
        .from(nodeVerifications)
        .where(and(eq(nodeVerifications.nodeId, nodeId), eq(nodeVerifications.result, 'fail')))
        .orderBy(...newestFirst)
        .limit(1),
      db
        .select({
          method: nodeVerifications.method,
          result: nodeVerifications.result,
          count: sql<number>`cast(count(*) as int)`,
        })
        .from(nodeVerifications)
        .where(eq(nodeVerifications.nodeId, nodeId))
        .groupBy(nodeVerifications.method, nodeVerifications.result),
      db.select(offerRowFields).from(offers).where(eq(offers.nodeId, nodeId)).limit(1),
      modelPriceBands(db, node.gpuModel),
    ]);
  const model = gpuModel(node.gpuModel);
  const market = bands[0];
  if (!market) throw new Error(`No price band for ${node.gpuModel}`);

  const quarantine = quarantineOf(node, lastFailures[0]);
  // A quarantined node is never shown as verified, whatever a late verdict wrote to its state.
  const state = quarantine ? 'failed' : node.verificationState;
  const lastPass = state === 'verified' ? lastPasses[0] : undefined;
  const counts: VerdictCounts = {
    benchmark: { passed: 0, failed: 0 },
    canary: { passed: 0, failed: 0 },
  };
  for (const row of verdicts)
    counts[row.method][row.result === 'pass' ? 'passed' : 'failed'] += Number(row.count);
  const offerRow = quarantine ? undefined : offerRows[0];

  return {
    id: node.id,
    name: node.name,
    status: node.status,
    statusSince: node.statusSince.toISOString(),
    lastHeartbeatAt: node.lastHeartbeatAt?.toISOString() ?? null,
    region: node.region,
    regionName: regionName(node.region),
    createdAt: node.createdAt.toISOString(),
    hardware: {
      gpuModel: node.gpuModel,
      gpuName: model.name,
      gpuCount: node.gpuCount,
      vramGb: node.vramGb,
      interconnect: node.interconnect,
      bandwidthMbps: node.bandwidthMbps,
      cpuCores: node.cpuCores,
      ramGb: node.ramGb,
      diskGb: node.diskGb,
      cudaVersion: node.cudaVersion,
      relativeThroughput: model.relativeThroughput,
      gpus: gpus.map((g) => ({ index: g.index, model: g.model, vramGb: g.vramGb, serial: g.serial })),
    },
    priceMicros: node.pricePerGpuHourMicros.toString(),
    pricePerWorkMicros: pricePerWorkMicros(node.pricePerGpuHourMicros, node.gpuModel).toString(),
    reliability: reliabilityBasisPoints(spans, now) / 10_000,
    uptime30d: dailyUptime(spans, now),
    verification: {
      state,
      lastVerifiedAt: lastPass?.createdAt.toISOString() ?? null,
      lastVerifiedMethod: lastPass?.method ?? null,
      lastCheck: verifications[0] ? toRecord(verifications[0]) : null,
      counts,
      history: verifications.map(toRecord),
    },
    quarantine,
    offer: offerRow ? toOfferDto(offerRow) : null,
    market,
  };
}
