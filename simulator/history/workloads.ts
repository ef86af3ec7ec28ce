import { MS_PER_HOUR } from '@/lib/clock';
import type { JobTemplateId } from '@/lib/db/schema/jobs';
import type { CustomerKind } from '@/simulator/history/customers';
import { logNormal } from '@/simulator/history/streams';
import { jobSpecSchema, type JobSpec } from '@/lib/jobs/schemas';
import { estimatedHours, expectedUnitsPerHour, jobTemplate } from '@/lib/jobs/templates';
import { GPU_MODELS, gpuModel, type GpuModelId } from '@/lib/market/gpu-models';
import type { Rng } from '@/lib/random';

/**
 * What the demo history's customers run: per kind of customer, a mix of the job templates with the GPUs,
 * sizes and budgets such a customer would choose, and the fate a workload carries with it — whether it
 * crashes (the customer's own bug), whether the customer cancels it, how long they wait in the queue.
 * Sizes are in hours on the reference GPU (A100 80GB); the work units follow from the template's rate.
 */

interface WorkloadPlan {
  template: JobTemplateId;
  weight: number;
  /** Accepted GPU models; empty accepts any with `minVramGb`. */
  models: readonly GpuModelId[];
  minVramGb: number;
  gpuCounts: readonly (readonly [number, number])[];
  /**
   * Median wall-clock hours on `sizedOn` — the model such jobs mostly land on (the cheapest per unit of work
   * among the accepted ones) — and the spread (σ of the log).
   */
  hours: number;
  spread: number;
  sizedOn: GpuModelId;
  name: (units: number, gpus: number, rng: Rng) => string;
  env: Record<string, string>;
}

const compact = (n: number) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)}B`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)}M`
      : n >= 10_000
        ? `${Math.round(n / 1_000)}k`
        : String(n);

const CONSUMER: readonly GpuModelId[] = ['rtx-4090-24gb', 'rtx-3090-24gb'];
const BIG_MEMORY: readonly GpuModelId[] = ['h200-141gb', 'h100-80gb', 'a100-80gb'];
const TRAINING: readonly GpuModelId[] = ['h200-141gb', 'h100-80gb', 'a100-80gb', 'a100-40gb', 'l40s-48gb'];

const INFERENCE_MODELS = ['Llama 3.1 8B', 'Mistral 7B', 'Qwen2.5 14B', 'Gemma 2 9B'];
const LORA_BASES = ['Mistral 7B', 'Llama 3.1 8B', 'Phi-3 mini'];
const TRAINING_RUNS = ['ResNet-50', 'ViT-B/16', 'GPT-2 medium', 'U-Net diffusion', 'Whisper small'];

/** Where a plan's jobs mostly run: consumer cards for "any GPU", H100s for the datacenter lists. */
function sizedOn(models: readonly GpuModelId[]): GpuModelId {
  return models.length === 0 || models.includes('rtx-4090-24gb') ? 'rtx-4090-24gb' : 'h100-80gb';
}

function inference(weight: number, models: readonly GpuModelId[], hours: number, gpus = 1): WorkloadPlan {
  return {
    template: 'llm_inference',
    weight,
    models,
    minVramGb: 24,
    gpuCounts: [[gpus, 1]],
    hours,
    spread: 0.8,
    sizedOn: sizedOn(models),
    name: (units, _g, rng) => `${rng.pick(INFERENCE_MODELS)} batch · ${compact(units)} tokens`,
    env: { PROMPTS: 'prompts/batch.jsonl', MAX_TOKENS: '512' },
  };
}

function lora(weight: number, models: readonly GpuModelId[], hours: number): WorkloadPlan {
  return {
    template: 'lora_finetune',
    weight,
    models,
    minVramGb: 24,
    gpuCounts: [[1, 1]],
    hours,
    spread: 0.6,
    sizedOn: sizedOn(models),
    name: (units, _g, rng) => `${rng.pick(LORA_BASES)} LoRA · ${units} steps`,
    env: { DATASET: 'datasets/train.jsonl', LORA_RANK: '16' },
  };
}

function training(
  weight: number,
  models: readonly GpuModelId[],
  gpuCounts: WorkloadPlan['gpuCounts'],
  hours: number,
): WorkloadPlan {
  return {
    template: 'multi_gpu_training',
    weight,
    models,
    minVramGb: 24,
    gpuCounts,
    hours,
    spread: 0.6,
    sizedOn: sizedOn(models),
    name: (units, gpus, rng) => `${rng.pick(TRAINING_RUNS)} DDP · ${gpus} GPUs · ${compact(units)} steps`,
    env: { CONFIG: 'configs/train.yaml' },
  };
}

const render = (weight: number, hours: number): WorkloadPlan => ({
  template: 'render',
  weight,
  models: [],
  minVramGb: 16,
  gpuCounts: [[1, 1]],
  hours,
  spread: 0.8,
  sizedOn: 'rtx-4090-24gb',
  name: (units) => `Cycles render · frames 1–${units}`,
  env: { SCENE: 'scenes/shot.blend' },
});

const custom = (weight: number, hours: number, gpus = 1): WorkloadPlan => ({
  template: 'custom',
  weight,
  models: [],
  minVramGb: 0,
  gpuCounts: [[gpus, 1]],
  hours,
  spread: 0.9,
  sizedOn: 'rtx-4090-24gb',
  name: (units) => `Embedding backfill · ${compact(units)} GPU-s`,
  env: { SHARD: '0' },
});

export const WORKLOADS: Record<CustomerKind, readonly WorkloadPlan[]> = {
  hobbyist: [inference(30, CONSUMER, 1.5), render(30, 2), lora(25, [], 2.5), custom(15, 1)],
  startup: [
    inference(35, [], 30),
    lora(30, [], 24),
    training(
      20,
      TRAINING,
      [
        [2, 2],
        [4, 2],
      ],
      40,
    ),
    custom(15, 26, 2),
  ],
  lab: [
    training(
      50,
      TRAINING,
      [
        [4, 4],
        [8, 1],
      ],
      56,
    ),
    lora(30, BIG_MEMORY, 26),
    custom(20, 40),
  ],
  enterprise: [
    inference(40, BIG_MEMORY, 30, 4),
    training(
      45,
      TRAINING,
      [
        [8, 1],
        [4, 3],
      ],
      60,
    ),
    lora(15, BIG_MEMORY, 24),
  ],
};

/** How a job's life is meant to go, apart from what the network does to it. */
export interface JobFate {
  /** The workload crashes (non-zero exit) when it reaches this many units; null when it never does. */
  failsAtUnits: number | null;
  /** The customer cancels this long after launch, if it is still going; null when they never do. */
  cancelAfterMs: number | null;
  /** The customer gives up on a job this long in the queue without a GPU. */
  patienceMs: number;
  /** Running time between checkpoints (each settles the time run so far). */
  checkpointEveryMs: number;
}

export interface PlannedHistoryJob {
  spec: JobSpec;
  budgetMicros: bigint;
  /** Expected wall-clock hours where it will likely run, and on the slowest accepted model. */
  hours: number;
  slowestHours: number;
  fate: JobFate;
}

const FAILURE_SHARE: Record<CustomerKind, number> = {
  hobbyist: 0.07,
  startup: 0.04,
  lab: 0.05,
  enterprise: 0.02,
};
const CANCEL_SHARE: Record<CustomerKind, number> = {
  hobbyist: 0.05,
  startup: 0.03,
  lab: 0.04,
  enterprise: 0.02,
};
const PATIENCE_HOURS: Record<CustomerKind, number> = { hobbyist: 3, startup: 8, lab: 24, enterprise: 36 };
/** The longest a job may take on the slowest GPU model it accepts. */
const MAX_HOURS_ON_SLOWEST = 168;
/** Share of launches with a budget below what the work costs: they end out of budget. */
const UNDER_BUDGET_SHARE = 0.04;
/**
 * How often the history's workloads checkpoint, at least: less often than a live agent (every few hundred
 * steps), since each checkpoint is a capture in the ledger and a year holds tens of thousands of jobs.
 */
const CHECKPOINT_EVERY_MS: Record<JobTemplateId, number> = {
  llm_inference: MS_PER_HOUR,
  lora_finetune: MS_PER_HOUR,
  multi_gpu_training: 2 * MS_PER_HOUR,
  render: MS_PER_HOUR,
  custom: MS_PER_HOUR,
};
/**
 * A run checkpoints about halfway through where it likely runs, and at least every day, so a job resumes from
 * a checkpoint after a lost host and the charges of a job of days are spread over its days (each checkpoint
 * is a capture).
 */
const CHECKPOINT_AT_LEAST_EVERY_MS = 24 * MS_PER_HOUR;

function acceptedModels(plan: WorkloadPlan): GpuModelId[] {
  if (plan.models.length) return [...plan.models];
  return GPU_MODELS.filter((m) => m.vramGb >= plan.minVramGb).map((m) => m.id);
}

/**
 * Draws one job of a customer of `kind`: template, GPUs, size, budget and fate. The budget is what a careful
 * customer reads off the quote — the reference price of the dearest accepted model for the estimated hours —
 * with a margin; a few budget too tightly and run out.
 */
export function planHistoryJob(rng: Rng, kind: CustomerKind): PlannedHistoryJob {
  const plans = WORKLOADS[kind];
  const plan = rng.weighted(plans.map((p) => [p, p.weight] as const));
  const gpuCount = rng.weighted(plan.gpuCounts);
  const template = jobTemplate(plan.template);
  const models = acceptedModels(plan);
  // Minutes to three days where it will likely run, and never more than a week on the slowest model accepted.
  const slowestRate = Math.min(...models.map((id) => expectedUnitsPerHour(plan.template, id, gpuCount)));
  const workUnits = Math.max(
    1,
    Math.round(
      Math.min(
        Math.min(72, Math.max(0.1, logNormal(rng, plan.hours, plan.spread))) *
          expectedUnitsPerHour(plan.template, plan.sizedOn, gpuCount),
        MAX_HOURS_ON_SLOWEST * slowestRate,
      ),
    ),
  );
  const hours = estimatedHours(plan.template, plan.sizedOn, gpuCount, workUnits);
  let dearest = 0;
  let slowestHours = 0;
  for (const id of models) {
    const on = estimatedHours(plan.template, id, gpuCount, workUnits);
    slowestHours = Math.max(slowestHours, on);
    dearest = Math.max(dearest, Number(gpuModel(id).referencePriceMicros) * gpuCount * on);
  }
  const margin = rng.next() < UNDER_BUDGET_SHARE ? 0.3 + rng.next() * 0.5 : 1.3 + rng.next() * 1.2;
  // Whole dollars, at least $1.
  const budgetMicros = BigInt(Math.max(1, Math.ceil((dearest * margin) / 1_000_000))) * 1_000_000n;
  const spec = jobSpecSchema.parse({
    name: plan.name(workUnits, gpuCount, rng),
    template: plan.template,
    image: template.defaultImage,
    command: [...template.defaultCommand],
    env: plan.env,
    workUnits,
    requirements: { gpuModels: plan.models, gpuCount, minVramGb: plan.minVramGb },
    budgetMicros: budgetMicros.toString(),
  });
  const expectedMs = hours * MS_PER_HOUR;
  const fate: JobFate = {
    failsAtUnits:
      rng.next() < FAILURE_SHARE[kind]
        ? Math.max(1, Math.floor(workUnits * (0.01 + rng.next() ** 2 * 0.6)))
        : null,
    cancelAfterMs: rng.next() < CANCEL_SHARE[kind] ? Math.round(expectedMs * (0.05 + rng.next())) : null,
    patienceMs: Math.round(logNormal(rng, PATIENCE_HOURS[kind], 0.5) * MS_PER_HOUR),
    checkpointEveryMs: Math.max(
      CHECKPOINT_EVERY_MS[plan.template],
      Math.min(CHECKPOINT_AT_LEAST_EVERY_MS, Math.round((hours * MS_PER_HOUR) / 2)),
    ),
  };
  return { spec, budgetMicros, hours, slowestHours, fate };
}

/**
 * Mean GPU-hours (expected wall-clock hours × GPUs) of a job of each kind of customer, estimated from
 * `samples` draws of a fixed stream: what the demand scale is calibrated with.
 */
export function meanGpuHours(rng: Rng, kind: CustomerKind, samples = 400): number {
  let total = 0;
  for (let i = 0; i < samples; i++) {
    const job = planHistoryJob(rng, kind);
    total += job.spec.requirements.gpuCount * job.hours;
  }
  return total / samples;
}
