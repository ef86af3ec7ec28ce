import { MS_PER_DAY, MS_PER_HOUR } from '@/lib/clock';
import type { NewAccount, NewNode, NewOffer, NodeStatus } from '@/lib/db/schema';
import { ARCHETYPES, CHEAT_CLAIMS, REGION_WEIGHTS, type SupplierArchetype } from '@/simulator/archetypes';
import { gpuModel, type GpuModelId } from '@/lib/market/gpu-models';
import { deriveOffer } from '@/lib/market/offer-row';
import type { StatusSpan } from '@/lib/market/uptime';
import { createRng, type Rng } from '@/lib/random';
import { evaluateBenchmark } from '@/lib/verification/benchmark';

export interface DemoNetworkOptions {
  seed: number;
  nodeCount: number;
  now: Date;
  /**
   * Days the network's recorded past spans (DEMO_HISTORY_DAYS, 365 by default): nodes join over it and their
   * status history and weekly benchmarks cover their whole life inside it. Never less than 31 days, so the
   * 30-day reliability window is always observed.
   */
  historyDays?: number;
  /**
   * Chance that a node whose GPU has a pricier look-alike (RTX 4090 → H100, …) claims the look-alike. With
   * the default, about 2 % of all nodes cheat (6 of 300 for seed 42).
   */
  cheaterShare?: number;
}

export interface DemoGpu {
  nodeId: string;
  index: number;
  model: string;
  vramGb: number;
  serial: string;
}

export interface DemoVerification {
  nodeId: string;
  method: 'benchmark';
  result: 'pass' | 'fail';
  measuredScore: number;
  expectedMin: number;
  expectedMax: number;
  detail: string;
  createdAt: Date;
}

export interface DemoSpan extends StatusSpan {
  nodeId: string;
}

export interface DemoNetwork {
  accounts: (NewAccount & { id: string })[];
  nodes: (NewNode & { id: string; status: NodeStatus })[];
  gpus: DemoGpu[];
  spans: DemoSpan[];
  verifications: DemoVerification[];
  offers: NewOffer[];
}

const REVERIFY_EVERY_MS = 7 * MS_PER_DAY;
/** The recorded past always covers the 30-day reliability window (and the day it started in). */
export const MIN_HISTORY_DAYS = 31;
/** With a short recorded past, the oldest nodes still joined up to this long ago (their history is cut). */
const OLDEST_NODE_DAYS = 300;
/** Share of the nodes that were already there when the recorded past starts: the network's first suppliers. */
const FOUNDING_SHARE = 0.22;
/** New nodes wait this long for their first benchmark slot; until then they are listed as unverified. */
const FIRST_BENCHMARK_AFTER_MS = 12 * MS_PER_HOUR;

function normal(rng: Rng): number {
  // Box–Muller.
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function walletAddress(rng: Rng): string {
  return `0x${Array.from({ length: 40 }, () => Math.floor(rng.next() * 16).toString(16)).join('')}`;
}

function priceMicros(rng: Rng, model: GpuModelId, archetype: SupplierArchetype): bigint {
  const reference = Number(gpuModel(model).referencePriceMicros);
  const spread = Math.exp(normal(rng) * 0.12);
  // Suppliers price in whole cents, which makes ties common — the keyset order must handle them.
  const cents = Math.max(1, Math.round((reference * archetype.priceFactor * spread) / 10_000));
  return BigInt(cents) * 10_000n;
}

/** Alternating up/down spans from `from` to now, ending in an open span. */
function statusHistory(rng: Rng, archetype: SupplierArchetype, from: number, now: number): StatusSpan[] {
  const meanDownMs = archetype.meanDownHours * MS_PER_HOUR;
  const meanUpMs = (meanDownMs * archetype.uptime) / (1 - archetype.uptime);
  const spans: StatusSpan[] = [];
  let t = from;
  let up = rng.next() < archetype.uptime;
  while (t < now) {
    const length = Math.max(5 * 60_000, rng.exponential(up ? meanUpMs : meanDownMs));
    const end = t + length;
    const status: NodeStatus = up ? 'online' : rng.next() < archetype.lostShare ? 'lost' : 'offline';
    spans.push({ status, startedAt: new Date(t), endedAt: end >= now ? null : new Date(end) });
    t = end;
    up = !up;
  }
  return spans;
}

/**
 * When a node joined, as milliseconds before now. The network grows over its recorded past: a founding group
 * was there from its start, more nodes joined at a rising pace, about a tenth in the last month and a few in
 * the last hours (not benchmarked yet). Cheaters are recent joiners: their first benchmark catches them
 * inside the recorded history.
 */
function nodeAgeMs(rng: Rng, cheats: boolean, spanDays: number): number {
  const age = rng.next();
  const oldestDays = Math.max(spanDays, OLDEST_NODE_DAYS);
  if (cheats) return rng.int(1, 29) * MS_PER_DAY;
  if (age < 0.03) return rng.int(1, 11) * MS_PER_HOUR;
  if (age < 0.13) return rng.int(1, 29) * MS_PER_DAY;
  if (age < 0.13 + FOUNDING_SHARE) return (oldestDays - rng.next() * 14) * MS_PER_DAY;
  // Joined between the founding weeks and a month ago, more of them later: the share joined by a point of
  // that stretch grows as its position to the power 1.5.
  const position = rng.next() ** (2 / 3);
  return (oldestDays - 14 - position * (oldestDays - 14 - 31)) * MS_PER_DAY;
}

/** Cuts the history at `at` and appends an open quarantined span. */
function quarantineFrom(spans: StatusSpan[], at: Date): StatusSpan[] {
  const kept = spans
    .filter((s) => s.startedAt < at)
    .map((s) => (s.endedAt === null || s.endedAt > at ? { ...s, endedAt: at } : s));
  return [...kept, { status: 'quarantined', startedAt: at, endedAt: null }];
}

/**
 * Generates the simulated supply deterministically from a seed: suppliers of four kinds, their nodes and
 * GPUs, status history, benchmark verifications and the resulting offers. The numbers that reach the UI
 * (reliability, verification, price per work) are computed by the same domain functions live nodes use.
 */
export function generateDemoNetwork(options: DemoNetworkOptions): DemoNetwork {
  const rng = createRng(options.seed);
  const now = options.now.getTime();
  const historyDays = Math.max(MIN_HISTORY_DAYS, options.historyDays ?? 365);
  const recordedFrom = now - historyDays * MS_PER_DAY;
  const recentFrom = now - MIN_HISTORY_DAYS * MS_PER_DAY;
  const cheaterShare = options.cheaterShare ?? 0.04;
  const network: DemoNetwork = {
    accounts: [],
    nodes: [],
    gpus: [],
    spans: [],
    verifications: [],
    offers: [],
  };
  const archetypeWeights = ARCHETYPES.map((a) => [a, a.weight] as const);

  while (network.nodes.length < options.nodeCount) {
    const archetype = rng.weighted(archetypeWeights);
    const accountId = rng.uuid();
    const account = {
      id: accountId,
      walletAddress: walletAddress(rng),
      displayName: `${archetype.label} ${network.accounts.length + 1}`,
      isDemo: true,
      createdAt: new Date(now),
    };
    network.accounts.push(account);
    const region = rng.weighted(REGION_WEIGHTS);
    const nodeCount = Math.min(
      rng.int(...archetype.nodesPerSupplier),
      options.nodeCount - network.nodes.length,
    );

    for (let i = 0; i < nodeCount; i++) {
      const id = rng.uuid();
      const actualModel = rng.weighted(archetype.models);
      const cheatClaim = CHEAT_CLAIMS[actualModel];
      const cheats = cheatClaim !== undefined && rng.next() < cheaterShare;
      const claimedModel = cheats ? cheatClaim : actualModel;
      const claimed = gpuModel(claimedModel);
      const gpuCount = rng.weighted(archetype.gpuCounts);
      const createdAt = now - nodeAgeMs(rng, cheats, historyDays);
      // The supplier signed up shortly before its first node.
      if (createdAt - MS_PER_DAY < account.createdAt.getTime())
        account.createdAt = new Date(createdAt - MS_PER_DAY);
      const historyFrom = Math.max(createdAt, recordedFrom);

      let spans = statusHistory(rng, archetype, historyFrom, now);
      let verificationState: NewNode['verificationState'] = 'unverified';
      let lastPassAt: Date | null = null;
      let quarantine: { at: Date; reason: string } | null = null;
      const perfFactor = 0.92 + rng.next() * 0.12;
      for (let at = createdAt + FIRST_BENCHMARK_AFTER_MS; at <= now; at += REVERIFY_EVERY_MS) {
        const measured = gpuModel(actualModel).relativeThroughput * perfFactor * (1 + normal(rng) * 0.01);
        const verdict = evaluateBenchmark(claimedModel, Math.round(measured * 1000) / 1000, null);
        // Recorded: the first benchmark (when it falls in the recorded past) and the weekly ones of the last
        // month, which the market's recency and the node page show; the weeks in between are not kept.
        if (at >= recordedFrom && (at === createdAt + FIRST_BENCHMARK_AFTER_MS || at >= recentFrom)) {
          network.verifications.push({
            nodeId: id,
            method: 'benchmark',
            ...verdict,
            measuredScore: Math.round(measured * 1000) / 1000,
            createdAt: new Date(at),
          });
        }
        verificationState = verdict.result === 'pass' ? 'verified' : 'failed';
        if (verdict.result === 'pass') lastPassAt = new Date(at);
        if (verdict.result === 'fail') {
          const from = new Date(Math.max(at, historyFrom));
          spans = quarantineFrom(spans, from);
          quarantine = { at: from, reason: verdict.detail };
          break;
        }
      }
      const current = spans.at(-1);
      const status = current?.status ?? 'offline';
      const node = {
        id,
        ownerAccountId: accountId,
        name: `${archetype.id.slice(0, 2)}-${region}-${String(network.nodes.length + 1).padStart(4, '0')}`,
        region,
        gpuModel: claimedModel,
        gpuCount,
        vramGb: claimed.vramGb,
        interconnect:
          archetype.usesNvlink && claimed.nvlinkCapable && gpuCount > 1
            ? ('nvlink' as const)
            : ('pcie' as const),
        bandwidthMbps: Math.round(rng.int(...archetype.bandwidthMbps) / 100) * 100,
        cpuCores: gpuCount * rng.int(...archetype.cpuCoresPerGpu),
        // Memory comes in whole DIMM sets: round to 16 GB steps.
        ramGb: Math.max(16, Math.round((gpuCount * rng.int(...archetype.ramGbPerGpu)) / 16) * 16),
        diskGb: rng.pick([500, 1000, 2000, 4000, 8000]),
        cudaVersion: rng.pick(['12.4', '12.8', '13.0']),
        pricePerGpuHourMicros: priceMicros(rng, claimedModel, archetype),
        status,
        statusSince: current?.startedAt ?? new Date(now),
        lastHeartbeatAt:
          status === 'online' ? new Date(now - rng.int(1, 20) * 1000) : (current?.startedAt ?? null),
        verificationState,
        quarantinedAt: quarantine?.at ?? null,
        quarantineReason: quarantine?.reason ?? null,
        createdAt: new Date(createdAt),
      };
      network.nodes.push(node);
      for (let g = 0; g < gpuCount; g++) {
        network.gpus.push({
          nodeId: id,
          index: g,
          model: claimedModel,
          vramGb: claimed.vramGb,
          serial: `GPU-${rng.uuid()}`,
        });
      }
      for (const span of spans) network.spans.push({ ...span, nodeId: id });
      const offer = deriveOffer(node, {
        spans,
        leasedGpus: 0,
        lastVerifiedAt: lastPassAt,
        now: options.now,
      });
      if (offer) network.offers.push(offer);
    }
  }
  return network;
}
