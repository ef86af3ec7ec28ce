import { MS_PER_HOUR } from '@/lib/clock';
import { ARCHETYPES, type SupplierArchetype } from '@/lib/fleet/archetypes';
import type { HiddenProfile } from '@/lib/fleet/sim/credentials';
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
 * Real speed relative to the claimed model: the latest benchmark's measured score (relative to the A100
 * 80GB) over the claimed model's reference throughput. 1 when the node was never benchmarked.
 */
export function performanceFactor(measuredScore: number | null, claimedModel: string): number {
  if (measuredScore === null || !(measuredScore > 0)) return 1;
  return Math.round((measuredScore / gpuModel(claimedModel).relativeThroughput) * 1000) / 1000;
}

export function hiddenProfile(
  name: string,
  measuredScore: number | null,
  claimedModel: string,
): HiddenProfile {
  const archetype = archetypeOfNodeName(name);
  return {
    archetype: archetype.id,
    uptime: archetype.uptime,
    meanDownHours: archetype.meanDownHours,
    lostShare: archetype.lostShare,
    performanceFactor: performanceFactor(measuredScore, claimedModel),
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

/** A node's own generator for the fleet seed: same seed and node → same losses, whatever else runs. */
export function nodeRng(seed: number, nodeId: string): Rng {
  return createRng((hashString(nodeId) ^ Math.imul(seed + 1, 0x9e3779b1)) >>> 0);
}
