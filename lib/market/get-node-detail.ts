import { asc, desc, eq } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { nodeGpus, nodeVerifications, nodes, offers } from '@/lib/db/schema';
import { gpuModel, pricePerWorkMicros } from '@/lib/market/gpu-models';
import type { NodeDetail } from '@/lib/market/node-schemas';
import { modelPriceBands } from '@/lib/market/offer-summary';
import { regionName } from '@/lib/market/regions';
import { toOfferDto } from '@/lib/market/search-offers';
import { loadRecentStatusSpans } from '@/lib/market/status-history';
import { dailyUptime, reliabilityBasisPoints } from '@/lib/market/uptime';

/** Everything the public offer page shows about one node, or null when there is no such node. */
export async function getNodeDetail(db: Db, clock: Clock, nodeId: string): Promise<NodeDetail | null> {
  const [node] = await db.select().from(nodes).where(eq(nodes.id, nodeId)).limit(1);
  if (!node) return null;
  const now = clock.now();

  const [gpus, spans, verifications, offerRows, bands] = await Promise.all([
    db.select().from(nodeGpus).where(eq(nodeGpus.nodeId, nodeId)).orderBy(asc(nodeGpus.index)),
    loadRecentStatusSpans(db, [nodeId], now).then((byNode) => byNode.get(nodeId) ?? []),
    db
      .select()
      .from(nodeVerifications)
      .where(eq(nodeVerifications.nodeId, nodeId))
      .orderBy(desc(nodeVerifications.createdAt))
      .limit(20),
    db.select().from(offers).where(eq(offers.nodeId, nodeId)).limit(1),
    modelPriceBands(db, node.gpuModel),
  ]);
  const model = gpuModel(node.gpuModel);
  const market = bands[0];
  if (!market) throw new Error(`No price band for ${node.gpuModel}`);
  const lastPass = verifications.find((v) => v.result === 'pass');

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
      state: node.verificationState,
      lastVerifiedAt:
        node.verificationState === 'verified' ? (lastPass?.createdAt.toISOString() ?? null) : null,
      history: verifications.map((v) => ({
        at: v.createdAt.toISOString(),
        method: v.method,
        result: v.result,
        measuredScore: v.measuredScore,
        expectedMin: v.expectedMin,
        expectedMax: v.expectedMax,
        detail: v.detail,
      })),
    },
    offer: offerRows[0] ? toOfferDto(offerRows[0]) : null,
    market,
  };
}
