import type { JobTemplateId } from '@/lib/db/schema/jobs';
import { gpuModel } from '@/lib/market/gpu-models';

/**
 * Job templates. Each declares its unit of work and how many units one reference GPU (A100 80GB) does in an
 * hour, so the reference throughput table turns a job's work into estimated hours on any GPU model.
 * The rates are planning figures for a typical workload of the kind (see docs/jobs.md), not promises: the
 * quote shows a range around them.
 */
export interface JobTemplate {
  id: JobTemplateId;
  name: string;
  description: string;
  unit: 'tokens' | 'steps' | 'frames' | 'work-seconds';
  /** Units one reference GPU does per hour. */
  unitsPerReferenceGpuHour: number;
  defaultImage: string;
  /** Runs as given once the inputs of `supplies` are attached; `$(BACKFILL_INPUT_DIR)` is the input directory. */
  defaultCommand: string[];
  /** What the customer supplies for the default command to run, in words (shown in the wizard). */
  supplies: string;
  /** The repository ships a workload for this template that the wizard can attach (the reference renderer). */
  referenceWorkload?: { files: readonly string[] };
  defaultWorkUnits: number;
  defaultGpuCount: number;
  minGpuCount: number;
  defaultMinVramGb: number;
}

export const JOB_TEMPLATES: readonly JobTemplate[] = [
  {
    id: 'llm_inference',
    name: 'Batch LLM inference',
    description: 'Run a prompt file through an open-weights model (vLLM offline batch).',
    unit: 'tokens',
    // An 8B model in BF16 with vLLM batching generates roughly 2,500 tokens/s on one A100 80GB.
    unitsPerReferenceGpuHour: 9_000_000,
    defaultImage: 'vllm/vllm-openai:v0.6.3',
    // vLLM's own offline batch runner: OpenAI batch-format requests in, responses out.
    defaultCommand: [
      'python3',
      '-m',
      'vllm.entrypoints.openai.run_batch',
      '-i',
      '$(BACKFILL_INPUT_DIR)/requests.jsonl',
      '-o',
      '$(BACKFILL_OUTPUT_DIR)/results.jsonl',
      '--model',
      'meta-llama/Llama-3.1-8B-Instruct',
    ],
    supplies:
      'requests.jsonl (OpenAI batch format, one request per line) as an input; the model is downloaded from ' +
      'Hugging Face (gated models need HF_TOKEN in the environment). It writes results.jsonl as its output. ' +
      'vLLM does not checkpoint: a lost host reruns the batch.',
    defaultWorkUnits: 20_000_000,
    defaultGpuCount: 1,
    minGpuCount: 1,
    defaultMinVramGb: 24,
  },
  {
    id: 'lora_finetune',
    name: 'LoRA fine-tune',
    description: 'Fine-tune adapters on a base model; checkpoints every few hundred steps.',
    unit: 'steps',
    // About two optimizer steps a second for a 7B LoRA at sequence length 2,048 on one A100 80GB.
    unitsPerReferenceGpuHour: 7_200,
    defaultImage: 'huggingface/transformers-pytorch-gpu:4.41.3',
    defaultCommand: ['python', '$(BACKFILL_INPUT_DIR)/train_lora.py', '--base', 'mistralai/Mistral-7B-v0.3'],
    supplies:
      'Your training script (train_lora.py) and data as inputs. It should save adapters to ' +
      '$BACKFILL_OUTPUT_DIR, and print BACKFILL_CHECKPOINT lines after saving to $BACKFILL_CHECKPOINT_DIR so a lost ' +
      'host resumes there (docs/agent.md).',
    defaultWorkUnits: 3_000,
    defaultGpuCount: 1,
    minGpuCount: 1,
    defaultMinVramGb: 24,
  },
  {
    id: 'multi_gpu_training',
    name: 'Multi-GPU training',
    description: 'Data-parallel training across every GPU of one node (torchrun).',
    unit: 'steps',
    unitsPerReferenceGpuHour: 1_800,
    defaultImage: 'nvcr.io/nvidia/pytorch:24.08-py3',
    defaultCommand: ['torchrun', '--nproc-per-node', 'gpu', '$(BACKFILL_INPUT_DIR)/train.py'],
    supplies:
      'Your training script (train.py) and data as inputs; it writes to $BACKFILL_OUTPUT_DIR and checkpoints to ' +
      '$BACKFILL_CHECKPOINT_DIR with BACKFILL_CHECKPOINT lines (docs/agent.md).',
    defaultWorkUnits: 5_000,
    defaultGpuCount: 4,
    minGpuCount: 2,
    defaultMinVramGb: 40,
  },
  {
    id: 'render',
    name: 'Render',
    description:
      'Render an animation frame range to PNG, checkpointing every frame (the reference path tracer, or your own renderer).',
    unit: 'frames',
    // Planning figure for GPU renderers (Blender Cycles with OptiX at production settings). The reference path
    // tracer runs on the CPU: about 4 default-scene frames a second on one core.
    unitsPerReferenceGpuHour: 240,
    defaultImage: 'node:20-slim',
    defaultCommand: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
    supplies:
      'render.mjs and scene.json as inputs: attach the reference renderer (workloads/render in the repository) ' +
      'or your own. Frames go to the outputs as PNG files; every frame is a checkpoint.',
    referenceWorkload: { files: ['render.mjs', 'scene.json'] },
    defaultWorkUnits: 24,
    defaultGpuCount: 1,
    minGpuCount: 1,
    defaultMinVramGb: 16,
  },
  {
    id: 'custom',
    name: 'Custom container',
    description: 'Any image and command; work is declared in reference GPU-seconds.',
    unit: 'work-seconds',
    unitsPerReferenceGpuHour: 3_600,
    defaultImage: 'ubuntu:24.04',
    defaultCommand: ['nvidia-smi'],
    supplies: 'Nothing: the default prints the GPUs it was given. Bring your own image and command.',
    defaultWorkUnits: 3_600,
    defaultGpuCount: 1,
    minGpuCount: 1,
    defaultMinVramGb: 0,
  },
];

const byId = new Map<string, JobTemplate>(JOB_TEMPLATES.map((t) => [t.id, t]));

export function jobTemplate(id: string): JobTemplate {
  const found = byId.get(id);
  if (!found) throw new Error(`Unknown job template: ${id}`);
  return found;
}

/** Data-parallel scaling: each GPU beyond the first adds a little less than a whole GPU of throughput. */
export function parallelEfficiency(gpuCount: number): number {
  return gpuCount <= 1 ? 1 : 0.92;
}

/** Units per hour a node of `gpuCount` GPUs of a model should do on a template, from the reference table. */
export function expectedUnitsPerHour(templateId: string, modelId: string, gpuCount: number): number {
  const template = jobTemplate(templateId);
  return (
    template.unitsPerReferenceGpuHour *
    gpuModel(modelId).relativeThroughput *
    gpuCount *
    parallelEfficiency(gpuCount)
  );
}

/** Estimated wall-clock hours for `workUnits` of a template on `gpuCount` GPUs of a model. */
export function estimatedHours(
  templateId: string,
  modelId: string,
  gpuCount: number,
  workUnits: number,
): number {
  return workUnits / expectedUnitsPerHour(templateId, modelId, gpuCount);
}
