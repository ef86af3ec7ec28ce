import type { GpuModelId } from '@/lib/market/gpu-models';
import type { RegionId } from '@/lib/market/regions';

/**
 * Kinds of supplier in the simulated fleet. The numbers are the fleet's hidden profile: what hardware each
 * kind tends to plug in, how often it is down and for how long, and how it prices against the reference.
 */
export interface SupplierArchetype {
  id: 'datacenter' | 'lab' | 'miner' | 'gamer';
  label: string;
  /** Share of suppliers of this kind. */
  weight: number;
  nodesPerSupplier: readonly [number, number];
  models: readonly (readonly [GpuModelId, number])[];
  gpuCounts: readonly (readonly [number, number])[];
  /** Long-run share of time up. */
  uptime: number;
  /** Mean length of a down period, hours. */
  meanDownHours: number;
  /** Share of down periods that are unannounced losses rather than planned offline time. */
  lostShare: number;
  bandwidthMbps: readonly [number, number];
  priceFactor: number;
  /** Whether multi-GPU servers of NVLink-capable models are wired with NVLink. */
  usesNvlink: boolean;
  cpuCoresPerGpu: readonly [number, number];
  ramGbPerGpu: readonly [number, number];
}

export const ARCHETYPES: readonly SupplierArchetype[] = [
  {
    id: 'datacenter',
    label: 'Data center',
    weight: 12,
    nodesPerSupplier: [4, 14],
    models: [
      ['h200-141gb', 3],
      ['h100-80gb', 6],
      ['a100-80gb', 4],
      ['a100-40gb', 2],
      ['l40s-48gb', 4],
      ['l4-24gb', 2],
    ],
    gpuCounts: [
      [8, 8],
      [4, 2],
    ],
    uptime: 0.995,
    meanDownHours: 2,
    lostShare: 0.1,
    bandwidthMbps: [10_000, 40_000],
    priceFactor: 1.05,
    usesNvlink: true,
    cpuCoresPerGpu: [12, 24],
    ramGbPerGpu: [128, 256],
  },
  {
    id: 'lab',
    label: 'Research lab',
    weight: 14,
    nodesPerSupplier: [2, 6],
    models: [
      ['a100-80gb', 3],
      ['a100-40gb', 3],
      ['rtx-a6000-48gb', 3],
      ['l40s-48gb', 2],
      ['h100-80gb', 1],
    ],
    gpuCounts: [
      [2, 2],
      [4, 5],
      [8, 2],
    ],
    uptime: 0.97,
    meanDownHours: 6,
    lostShare: 0.2,
    bandwidthMbps: [1_000, 10_000],
    priceFactor: 0.95,
    usesNvlink: true,
    cpuCoresPerGpu: [8, 16],
    ramGbPerGpu: [64, 128],
  },
  {
    id: 'miner',
    label: 'Former miner',
    weight: 16,
    nodesPerSupplier: [2, 8],
    models: [
      ['rtx-3090-24gb', 4],
      ['rtx-4090-24gb', 4],
      ['rtx-a6000-48gb', 1],
    ],
    gpuCounts: [
      [4, 3],
      [6, 3],
      [8, 2],
    ],
    uptime: 0.95,
    meanDownHours: 5,
    lostShare: 0.35,
    bandwidthMbps: [500, 2_500],
    priceFactor: 0.85,
    usesNvlink: false,
    cpuCoresPerGpu: [2, 4],
    ramGbPerGpu: [8, 32],
  },
  {
    id: 'gamer',
    label: 'Gamer',
    weight: 58,
    nodesPerSupplier: [1, 2],
    models: [
      ['rtx-4090-24gb', 5],
      ['rtx-3090-24gb', 4],
    ],
    gpuCounts: [
      [1, 6],
      [2, 3],
    ],
    uptime: 0.8,
    meanDownHours: 10,
    lostShare: 0.5,
    bandwidthMbps: [100, 1_000],
    priceFactor: 0.8,
    usesNvlink: false,
    cpuCoresPerGpu: [8, 16],
    ramGbPerGpu: [32, 64],
  },
];

export const REGION_WEIGHTS: readonly (readonly [RegionId, number])[] = [
  ['us-east', 16],
  ['us-central', 8],
  ['us-west', 12],
  ['ca-central', 5],
  ['sa-east', 4],
  ['eu-west', 9],
  ['eu-central', 10],
  ['eu-north', 6],
  ['uk-south', 5],
  ['ap-northeast', 6],
  ['ap-southeast', 6],
  ['ap-south', 5],
  ['oc-southeast', 4],
  ['af-south', 2],
];

/** Models a cheating node claims to be, given what it really has: always something pricier. */
export const CHEAT_CLAIMS: Partial<Record<GpuModelId, GpuModelId>> = {
  'rtx-4090-24gb': 'h100-80gb',
  'rtx-3090-24gb': 'a100-80gb',
  'rtx-a6000-48gb': 'l40s-48gb',
  'a100-40gb': 'h100-80gb',
};
