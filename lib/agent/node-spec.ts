import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { RegisterRequestInput } from '@/lib/agent/client';
import type { DetectedGpu } from '@/lib/agent/gpu-detect';
import { registeredGpuSchema } from '@/lib/agent/schemas';
import { GPU_MODEL_IDS, gpuModel, type GpuModelId } from '@/lib/market/gpu-models';
import { REGION_IDS } from '@/lib/market/regions';

/**
 * What a node registers as: GPUs detected by nvidia-smi (or declared in a spec file when the machine has
 * none — a test box, a development laptop), plus what only the supplier knows (region, price) and what the
 * host tells (cores, memory, disk). Documented in docs/agent.md ("Spec file").
 */

export type RegisteredGpu = z.infer<typeof registeredGpuSchema>;

/** The `--spec <file.json>` format. Every field is optional except `gpus` on a machine without nvidia-smi. */
export const agentSpecFileSchema = z.strictObject({
  name: z.string().trim().min(1).max(60).optional(),
  region: z.enum(REGION_IDS).optional(),
  /** Price per GPU-hour in USD (USDC), e.g. 1.25. */
  pricePerGpuHourUsd: z.number().positive().max(1_000).optional(),
  gpus: z
    .strictObject({
      model: z.enum(GPU_MODEL_IDS),
      count: z.number().int().min(1).max(16),
      /** Board serials, one per GPU; generated when absent. */
      serials: z.array(z.string().min(1).max(100)).optional(),
    })
    .refine((g) => g.serials === undefined || g.serials.length === g.count, 'give one serial per GPU')
    .optional(),
  cpuCores: z.number().int().min(1).max(1_024).optional(),
  ramGb: z.number().int().min(1).max(16_384).optional(),
  diskGb: z.number().int().min(1).max(1_000_000).optional(),
  bandwidthMbps: z.number().int().min(1).max(400_000).optional(),
  cudaVersion: z
    .string()
    .regex(/^\d{1,2}\.\d{1,2}$/, 'must look like "12.4"')
    .optional(),
  interconnect: z.enum(['nvlink', 'pcie']).optional(),
});
export type AgentSpecFile = z.infer<typeof agentSpecFileSchema>;

/** A problem with the node's description the supplier must fix; the CLI prints the message as is. */
export class NodeSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeSpecError';
  }
}

/** Reads and validates a spec file, naming every bad field. */
export function loadSpecFile(file: string): AgentSpecFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new NodeSpecError(`Cannot read the spec file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NodeSpecError(`The spec file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = agentSpecFileSchema.safeParse(json);
  if (!parsed.success)
    throw new NodeSpecError(
      `The spec file ${file} is invalid: ${parsed.error.issues
        .map(
          (i) =>
            `${i.path.join('.') || '(file)'}: ${i.code === 'unrecognized_keys' ? `unknown field ${i.keys.join(', ')}` : i.message}`,
        )
        .join('; ')}`,
    );
  return parsed.data;
}

export interface HostFacts {
  hostname: string;
  cpuCores: number;
  ramGb: number;
  diskGb: number;
}

export interface NodeDescriptionInput {
  spec: AgentSpecFile | null;
  /** GPUs from nvidia-smi; null when the machine has no nvidia-smi. */
  detected: DetectedGpu[] | null;
  cudaVersion: string | null;
  host: HostFacts;
  /** Command-line values, which win over the spec file. */
  overrides?: { name?: string; region?: string; pricePerGpuHourUsd?: number };
}

export interface NodeDescription {
  registration: Omit<RegisterRequestInput, 'registrationToken'>;
  /** True when the GPUs come from the spec file rather than nvidia-smi. */
  declared: boolean;
}

const DEFAULT_BANDWIDTH_MBPS = 1_000;

/**
 * The node's GPUs: detected by nvidia-smi, or declared in the spec file when there is no nvidia-smi. Refuses
 * (NodeSpecError) a machine without nvidia-smi and without declared GPUs, unsupported or mixed models, and a
 * declaration that contradicts what nvidia-smi sees.
 */
export function nodeGpus(input: Pick<NodeDescriptionInput, 'spec' | 'detected' | 'host'>): {
  gpus: RegisteredGpu[];
  declared: boolean;
} {
  const declaredSpec = input.spec?.gpus;
  if (input.detected === null) {
    if (!declaredSpec)
      throw new NodeSpecError(
        "nvidia-smi was not found, so this machine's GPUs cannot be detected. Refusing to start: install the " +
          'NVIDIA driver, or declare the GPUs (--gpus rtx-4090-24gb:1, or a spec file: --spec node.json with "gpus": {"model", "count"}; ' +
          'see docs/agent.md).',
      );
    const model = gpuModel(declaredSpec.model);
    return {
      declared: true,
      gpus: Array.from({ length: declaredSpec.count }, (_, index) => ({
        index,
        model: declaredSpec.model,
        vramGb: model.vramGb,
        serial: declaredSpec.serials?.[index] ?? `declared-${input.host.hostname}-${index}`.slice(0, 100),
      })),
    };
  }
  if (input.detected.length === 0) throw new NodeSpecError('nvidia-smi lists no GPUs on this machine.');
  const unknown = input.detected.filter((g) => g.model === null);
  if (unknown.length > 0)
    throw new NodeSpecError(
      `Unsupported GPU ${unknown.map((g) => `"${g.name}" (index ${g.index})`).join(', ')}. Supported models: ` +
        `${GPU_MODEL_IDS.join(', ')}.`,
    );
  const models = new Set(input.detected.map((g) => g.model));
  if (models.size > 1)
    throw new NodeSpecError(
      `All GPUs of a node must be one model; this machine has ${[...models].join(', ')}, which is not ` +
        'supported.',
    );
  const detectedModel = input.detected[0]?.model as GpuModelId;
  if (declaredSpec && (declaredSpec.model !== detectedModel || declaredSpec.count !== input.detected.length))
    throw new NodeSpecError(
      `The spec file declares ${declaredSpec.count}× ${declaredSpec.model} but nvidia-smi detects ` +
        `${input.detected.length}× ${detectedModel}; remove "gpus" from the spec file.`,
    );
  return {
    declared: false,
    gpus: input.detected.map((g) => ({
      index: g.index,
      model: detectedModel,
      vramGb: gpuModel(detectedModel).vramGb,
      serial: g.serial.slice(0, 100),
    })),
  };
}

/** The registration body (without the token) from detection, spec file, flags and host facts. */
export function describeNode(input: NodeDescriptionInput): NodeDescription {
  const { gpus, declared } = nodeGpus(input);
  const spec = input.spec ?? {};
  const region = input.overrides?.region ?? spec.region;
  if (region === undefined)
    throw new NodeSpecError('The node\'s region is missing: give --region or "region" in the spec file.');
  if (!(REGION_IDS as readonly string[]).includes(region))
    throw new NodeSpecError(`Unknown region "${region}". Regions: ${REGION_IDS.join(', ')}.`);
  const priceUsd = input.overrides?.pricePerGpuHourUsd ?? spec.pricePerGpuHourUsd;
  if (priceUsd === undefined)
    throw new NodeSpecError(
      'The price is missing: give --price <USD per GPU-hour> or "pricePerGpuHourUsd" in the spec file.',
    );
  const priceMicros = Math.round(priceUsd * 1_000_000);
  if (!(priceMicros > 0)) throw new NodeSpecError('The price per GPU-hour must be greater than zero.');
  const cudaVersion = input.cudaVersion ?? spec.cudaVersion;
  if (cudaVersion === undefined)
    throw new NodeSpecError(
      'The CUDA version is unknown: give "cudaVersion" (e.g. "12.4") in the spec file.',
    );
  const name = (input.overrides?.name ?? spec.name ?? input.host.hostname).trim().slice(0, 60) || 'node';
  return {
    declared,
    registration: {
      name,
      region: region as (typeof REGION_IDS)[number],
      pricePerGpuHourMicros: String(priceMicros),
      gpus,
      cpuCores: spec.cpuCores ?? Math.max(1, input.host.cpuCores),
      ramGb: spec.ramGb ?? Math.max(1, input.host.ramGb),
      diskGb: spec.diskGb ?? Math.max(1, input.host.diskGb),
      bandwidthMbps: spec.bandwidthMbps ?? DEFAULT_BANDWIDTH_MBPS,
      cudaVersion,
      interconnect: spec.interconnect ?? 'pcie',
    },
  };
}
