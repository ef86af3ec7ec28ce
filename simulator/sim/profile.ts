import { MS_PER_HOUR } from '@/lib/clock';
import { ARCHETYPES, type SupplierArchetype } from '@/simulator/archetypes';
import type { Cheat, HiddenProfile } from '@/simulator/sim/credentials';
import { gpuModel } from '@/lib/market/gpu-models';
import { createRng, type Rng } from '@/lib/random';

/**
 * The simulated fleet's hidden truth about each demo node, which the marketplace never sees directly: how
 * often the host silently vanishes and for how long (its supplier kind's profile), and how fast it really is
 * (its benchmark). The marketplace has to learn both from heartbeats and results, as with real suppliers.
 */

/** The supplier kind from a demo node's name: `da-…` data center, `la-…` lab, `mi-…` miner, `ga-…` gamer. */
export function archetypeOfNodeName(name: string): SupplierArchetype {
  const prefix = name.slice(0, 2);
  const found = ARCHETYPES.find((a) => a.id.slice(0, 2) === prefix);
  if (!found) throw new Error(`Demo node name "${name}" does not start with a supplier kind prefix`);
  return found;
}

/**
 * Real speed relative to the claimed model: the node's first recorded benchmark score (relative to the A100
 * 80GB) over the claimed model's reference throughput. 1 when the node was never benchmarked. The first, not
 * the latest: later scores are the marketplace timing this very simulation (with network latency on top), and
 * feeding them back would let a node's true speed drift down from one start to the next.
 */
export function performanceFactor(measuredScore: number | null, claimedModel: string): number {
  if (measuredScore === null || !(measuredScore > 0)) return 1;
  return Math.round((measuredScore / gpuModel(claimedModel).relativeThroughput) * 1000) / 1000;
}

export function hiddenProfile(
  name: string,
  measuredScore: number | null,
  claimedModel: string,
  cheat: Cheat | null = null,
): HiddenProfile {
  const archetype = archetypeOfNodeName(name);
  return {
    archetype: archetype.id,
    uptime: archetype.uptime,
    meanDownHours: archetype.meanDownHours,
    lostShare: archetype.lostShare,
    performanceFactor: performanceFactor(measuredScore, claimedModel),
    cheat,
  };
}

/**
 * Silent losses per hour of up time in the real world: down periods start at 1 / mean-up-time, and
 * `lostShare` of them are unannounced. A gamer's box (up 80 %, down 10 h on average, half unannounced) loses
 * about one in 80 hours; a data center's one in 4,000.
 */
export function silentLossesPerHour(profile: HiddenProfile): number {
  const meanUpHours = (profile.meanDownHours * profile.uptime) / (1 - profile.uptime);
  return profile.lostShare / meanUpHours;
}

export interface LossOptions {
  /**
   * How much faster than real life hosts vanish, so failover is visible in a demo: 20 makes a fleet of 300
   * lose a node every few minutes.
   */
  acceleration: number;
  /** Down periods last `meanDownHours` minutes on average (hours become minutes), within these bounds. */
  minDownMs: number;
  maxDownMs: number;
}

export const DEFAULT_LOSS_OPTIONS: LossOptions = {
  acceleration: 20,
  minDownMs: 60_000,
  maxDownMs: 20 * 60_000,
};

export interface LossEvent {
  /** Time from the previous revival (or the start) to the loss. */
  afterMs: number;
  /** How long the host stays gone. */
  downMs: number;
}

/** The next silent loss of a node, drawn from its own generator. */
export function nextLoss(
  rng: Rng,
  profile: HiddenProfile,
  options: LossOptions = DEFAULT_LOSS_OPTIONS,
): LossEvent {
  const rate = silentLossesPerHour(profile) * options.acceleration;
  const afterMs = rate > 0 ? rng.exponential(MS_PER_HOUR / rate) : Number.POSITIVE_INFINITY;
  const downMs = Math.min(
    options.maxDownMs,
    Math.max(options.minDownMs, rng.exponential(profile.meanDownHours * 60_000)),
  );
  return { afterMs: Math.round(afterMs), downMs: Math.round(downMs) };
}

/** FNV-1a of a string, for per-node seeds that do not depend on the order nodes are listed in. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A uniform number in [0, 1) from a string. FNV-1a alone barely mixes its last characters into the high bits
 * (UUIDs that differ at the end would land close together), so its output goes through murmur3's finaliser.
 */
export function unitHash(text: string): number {
  let h = hashString(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * Whether a node skips this assignment: never for an honest node; for a `skip_work` cheater, a draw from the
 * node and attempt alone, true with probability `skipShare`. Deterministic, so a test can tell in advance which
 * canaries a cheater will get wrong.
 */
export function skipsAssignment(
  profile: Pick<HiddenProfile, 'cheat'>,
  nodeId: string,
  attemptId: string,
): boolean {
  if (profile.cheat?.kind !== 'skip_work') return false;
  return unitHash(`skip:${nodeId}:${attemptId}`) < profile.cheat.skipShare;
}

/**
 * Whether provisioning makes this node a skip-work cheater: a draw from the fleet seed and the node alone, true
 * with probability `cheaterShare`. A node's draw does not depend on the others, so it stays the same from one
 * start to the next while the seed and share do.
 */
export function drawsSkipCheater(seed: number, nodeId: string, cheaterShare: number): boolean {
  return unitHash(`skip-cheater:${seed}:${nodeId}`) < cheaterShare;
}

/** A node's own generator for the fleet seed: same seed and node → same losses, whatever else runs. */
export function nodeRng(seed: number, nodeId: string): Rng {
  return createRng((hashString(nodeId) ^ Math.imul(seed + 1, 0x9e3779b1)) >>> 0);
}
