import type { NewOffer, Node } from '@/lib/db/schema';
import { cudaRank } from '@/lib/market/cuda';
import { pricePerWorkMicros } from '@/lib/market/gpu-models';
import { reliabilityBasisPoints, type StatusSpan } from '@/lib/market/uptime';

/** Statuses in which a node's free GPUs are offered on the market. */
const LISTABLE = new Set<Node['status']>(['online', 'busy']);

/**
 * Derives the offer row of a node — or null when it should not be listed (offline, lost, quarantined,
 * benchmarking or fully leased). Reliability comes from its status history; price per unit of work from the reference table.
 */
export function deriveOffer(
  node: Pick<
    Node,
    | 'id'
    | 'status'
    | 'gpuModel'
    | 'gpuCount'
    | 'vramGb'
    | 'region'
    | 'interconnect'
    | 'bandwidthMbps'
    | 'cpuCores'
    | 'ramGb'
    | 'diskGb'
    | 'cudaVersion'
    | 'pricePerGpuHourMicros'
    | 'verificationState'
  >,
  input: {
    spans: readonly StatusSpan[];
    leasedGpus: number;
    lastVerifiedAt: Date | null;
    now: Date;
    /** A benchmark challenge is open: the GPUs are busy proving themselves. */
    benchmarking?: boolean;
    /** Completed ÷ (completed + host lost) of its customer attempts in the reliability window; null: none. */
    jobSuccessBp?: number | null;
    /** Those attempts: completed or lost with the host. */
    jobsFinished?: number;
  },
): NewOffer | null {
  const freeGpus = node.gpuCount - input.leasedGpus;
  if (!LISTABLE.has(node.status) || freeGpus <= 0 || input.benchmarking) return null;
  const verified = node.verificationState === 'verified';
  return {
    nodeId: node.id,
    gpuModel: node.gpuModel,
    gpuCount: node.gpuCount,
    freeGpus,
    vramGb: node.vramGb,
    region: node.region,
    interconnect: node.interconnect,
    bandwidthMbps: node.bandwidthMbps,
    cpuCores: node.cpuCores,
    ramGb: node.ramGb,
    diskGb: node.diskGb,
    cudaVersion: node.cudaVersion,
    cudaRank: cudaRank(node.cudaVersion),
    priceMicros: node.pricePerGpuHourMicros,
    pricePerWorkMicros: pricePerWorkMicros(node.pricePerGpuHourMicros, node.gpuModel),
    reliabilityBp: reliabilityBasisPoints(input.spans, input.now),
    verified,
    verifiedAt: verified ? input.lastVerifiedAt : null,
    declared: node.verificationState === 'declared',
    jobSuccessBp: input.jobSuccessBp ?? null,
    jobsFinished: input.jobsFinished ?? 0,
    updatedAt: input.now,
  };
}
