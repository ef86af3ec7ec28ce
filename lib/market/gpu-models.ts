/**
 * Reference table of GPU models. `relativeThroughput` is peak dense FP16/BF16 tensor throughput (FP32
 * accumulate) from the vendor datasheets, normalised to the A100 80GB (312 TFLOPS) = 1.00; it turns a
 * price per GPU-hour into a price per reference GPU-hour of work. Sources and caveats: docs/gpu-reference.md.
 * `referencePriceMicros` is the centre of the demo network's price spread, not a quote.
 */
export interface GpuModel {
  id: string;
  name: string;
  vramGb: number;
  /** Peak dense FP16/BF16 tensor TFLOPS, FP32 accumulate. */
  tensorTflops: number;
  /** Memory bandwidth, GB/s. */
  memoryBandwidthGbs: number;
  relativeThroughput: number;
  referencePriceMicros: bigint;
  /** Whether NVLink is available for multi-GPU servers of this model. */
  nvlinkCapable: boolean;
  tier: 'datacenter' | 'workstation' | 'consumer';
}

const A100_TFLOPS = 312;

function model(
  spec: Omit<GpuModel, 'relativeThroughput' | 'referencePriceMicros'> & { referencePriceUsd: number },
): GpuModel {
  const { referencePriceUsd, ...rest } = spec;
  return {
    ...rest,
    relativeThroughput: Math.round((spec.tensorTflops / A100_TFLOPS) * 1000) / 1000,
    referencePriceMicros: BigInt(Math.round(referencePriceUsd * 1_000_000)),
  };
}

export const GPU_MODELS = [
  model({
    id: 'h200-141gb',
    name: 'H200 141GB',
    vramGb: 141,
    tensorTflops: 989,
    memoryBandwidthGbs: 4800,
    referencePriceUsd: 3.2,
    nvlinkCapable: true,
    tier: 'datacenter',
  }),
  model({
    id: 'h100-80gb',
    name: 'H100 80GB',
    vramGb: 80,
    tensorTflops: 989,
    memoryBandwidthGbs: 3350,
    referencePriceUsd: 2.25,
    nvlinkCapable: true,
    tier: 'datacenter',
  }),
  model({
    id: 'a100-80gb',
    name: 'A100 80GB',
    vramGb: 80,
    tensorTflops: 312,
    memoryBandwidthGbs: 2039,
    referencePriceUsd: 1.35,
    nvlinkCapable: true,
    tier: 'datacenter',
  }),
  model({
    id: 'a100-40gb',
    name: 'A100 40GB',
    vramGb: 40,
    tensorTflops: 312,
    memoryBandwidthGbs: 1555,
    referencePriceUsd: 1.0,
    nvlinkCapable: true,
    tier: 'datacenter',
  }),
  model({
    id: 'l40s-48gb',
    name: 'L40S 48GB',
    vramGb: 48,
    tensorTflops: 362,
    memoryBandwidthGbs: 864,
    referencePriceUsd: 0.85,
    nvlinkCapable: false,
    tier: 'datacenter',
  }),
  model({
    id: 'l4-24gb',
    name: 'L4 24GB',
    vramGb: 24,
    tensorTflops: 121,
    memoryBandwidthGbs: 300,
    referencePriceUsd: 0.38,
    nvlinkCapable: false,
    tier: 'datacenter',
  }),
  model({
    id: 'rtx-a6000-48gb',
    name: 'RTX A6000 48GB',
    vramGb: 48,
    tensorTflops: 155,
    memoryBandwidthGbs: 768,
    referencePriceUsd: 0.5,
    nvlinkCapable: true,
    tier: 'workstation',
  }),
  model({
    id: 'rtx-4090-24gb',
    name: 'RTX 4090 24GB',
    vramGb: 24,
    tensorTflops: 165,
    memoryBandwidthGbs: 1008,
    referencePriceUsd: 0.4,
    nvlinkCapable: false,
    tier: 'consumer',
  }),
  model({
    id: 'rtx-3090-24gb',
    name: 'RTX 3090 24GB',
    vramGb: 24,
    tensorTflops: 71,
    memoryBandwidthGbs: 936,
    referencePriceUsd: 0.22,
    nvlinkCapable: true,
    tier: 'consumer',
  }),
] as const satisfies readonly GpuModel[];

export type GpuModelId = (typeof GPU_MODELS)[number]['id'];

export const GPU_MODEL_IDS = GPU_MODELS.map((m) => m.id) as [GpuModelId, ...GpuModelId[]];

const byId = new Map<string, GpuModel>(GPU_MODELS.map((m) => [m.id, m]));

export function findGpuModel(id: string): GpuModel | undefined {
  return byId.get(id);
}

export function gpuModel(id: string): GpuModel {
  const found = byId.get(id);
  if (!found) throw new Error(`Unknown GPU model: ${id}`);
  return found;
}

/**
 * Price per reference GPU-hour of work, in micros: what one A100-80GB-hour of work costs on this model at
 * this price. Integer arithmetic: throughput is applied in thousandths and the result rounded half-up.
 */
export function pricePerWorkMicros(priceMicros: bigint, modelId: string): bigint {
  const milli = BigInt(Math.round(gpuModel(modelId).relativeThroughput * 1000));
  return (priceMicros * 1000n + milli / 2n) / milli;
}
