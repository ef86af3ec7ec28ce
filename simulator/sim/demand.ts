import { randomUUID } from 'node:crypto';
import type { Clock } from '@/lib/clock';
import type { DemandCustomer } from '@/simulator/sim/credentials';
import { realTimers, type Timers } from '@/simulator/sim/timers';
import type { JobSpecInput } from '@/lib/jobs/schemas';
import { expectedUnitsPerHour, jobTemplate } from '@/lib/jobs/templates';
import type { JobTemplateId } from '@/lib/db/schema/jobs';
import { gpuModel, type GpuModelId } from '@/lib/market/gpu-models';
import type { Rng } from '@/lib/random';

/**
 * Simulated demand: a few demo customer accounts launch small jobs through the public API with their API
 * keys, as any programmatic customer would (quote, then launch with an Idempotency-Key). Jobs are sized to
 * finish in one to six minutes on the GPU model they ask for, with budgets of a few dollars, at one launch
 * every 20–40 s and at most ~15 demo jobs active. Choices are drawn from the seeded generator.
 */

interface TemplatePlan {
  template: JobTemplateId;
  weight: number;
  models: readonly GpuModelId[];
  gpuCounts: readonly number[];
  name: (units: number, model: string, gpus: number) => string;
  env: Record<string, string>;
}

const compact = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1_000)}k` : String(n);

export const DEMAND_PLANS: readonly TemplatePlan[] = [
  {
    template: 'llm_inference',
    weight: 35,
    models: ['rtx-4090-24gb', 'a100-80gb', 'h100-80gb', 'l40s-48gb'],
    gpuCounts: [1],
    name: (units) => `Llama 3.1 8B batch · ${compact(units)} tokens`,
    env: { PROMPTS: 'prompts/support-tickets.jsonl', MAX_TOKENS: '512' },
  },
  {
    template: 'lora_finetune',
    weight: 25,
    models: ['a100-80gb', 'rtx-a6000-48gb', 'l40s-48gb', 'rtx-4090-24gb'],
    gpuCounts: [1],
    name: (units) => `Mistral 7B LoRA · ${units} steps`,
    env: { DATASET: 'datasets/invoices-v3', LORA_RANK: '16' },
  },
  {
    template: 'render',
    weight: 20,
    models: ['rtx-4090-24gb', 'rtx-3090-24gb', 'l40s-48gb'],
    gpuCounts: [1],
    name: (units) => `Cycles render · frames 1–${units}`,
    env: { SCENE: 'scenes/product-turntable.blend' },
  },
  {
    template: 'custom',
    weight: 12,
    models: ['rtx-3090-24gb', 'rtx-4090-24gb', 'a100-40gb', 'l4-24gb'],
    gpuCounts: [1],
    name: (units, model) => `Embedding backfill on ${gpuModel(model).name} · ${units} GPU-s`,
    env: { SHARD: '7' },
  },
  {
    template: 'multi_gpu_training',
    weight: 8,
    models: ['a100-80gb', 'h100-80gb', 'rtx-4090-24gb', 'rtx-3090-24gb'],
    gpuCounts: [2, 4],
    name: (units, _model, gpus) => `DDP training · ${gpus} GPUs · ${units} steps`,
    env: { CONFIG: 'configs/resnet50-ddp.yaml' },
  },
];

export interface PlannedJob {
  spec: Omit<JobSpecInput, 'budgetMicros'>;
  /** Expected minutes on the requested model at reference speed. */
  minutes: number;
}

/** One demo job: a template, one GPU model, a size that takes 1–6 minutes there. */
export function planJob(rng: Rng): PlannedJob {
  const plan = rng.weighted(DEMAND_PLANS.map((p) => [p, p.weight] as const));
  const model = rng.pick(plan.models);
  const gpuCount = rng.pick(plan.gpuCounts);
  const minutes = Math.round((1 + rng.next() * 5) * 10) / 10;
  const template = jobTemplate(plan.template);
  const workUnits = Math.max(
    1,
    Math.round((expectedUnitsPerHour(plan.template, model, gpuCount) * minutes) / 60),
  );
  return {
    minutes,
    spec: {
      name: plan.name(workUnits, model, gpuCount),
      template: plan.template,
      image: template.defaultImage,
      command: [...template.defaultCommand],
      env: plan.env,
      workUnits,
      requirements: { gpuModels: [model], gpuCount, minVramGb: 0 },
    },
  };
}

const MICROS = 1_000_000;

/** A budget of a few dollars: twice the high estimate, at least $1, at most $8, in whole cents. */
export function budgetFor(costMaxMicros: number): number {
  const budget = Math.min(8 * MICROS, Math.max(1 * MICROS, costMaxMicros * 2));
  return Math.ceil(budget / 10_000) * 10_000;
}

const FINAL_STATES = new Set(['succeeded', 'failed', 'cancelled', 'out_of_budget']);

export interface DemandOptions {
  apiUrl: string;
  customers: DemandCustomer[];
  rng: Rng;
  clock: Clock;
  timers?: Timers;
  log?: (line: string) => void;
  /** Between launches, drawn uniformly. */
  intervalMs?: readonly [number, number];
  maxActive?: number;
  fetch?: typeof fetch;
}

export interface DemandStats {
  launched: number;
  refused: number;
  skipped: number;
  active: number;
}

interface ApiAnswer {
  status: number;
  body: unknown;
}

export class DemandSimulator {
  private readonly active = new Map<string, DemandCustomer>();
  private readonly timers: Timers;
  private readonly log: (line: string) => void;
  private readonly fetchImpl: typeof fetch;
  private readonly runId = randomUUID().slice(0, 8);
  private sequence = 0;
  private timer: unknown = null;
  private running = false;
  readonly stats: DemandStats = { launched: 0, refused: 0, skipped: 0, active: 0 };

  constructor(private readonly options: DemandOptions) {
    this.timers = options.timers ?? realTimers;
    this.log = options.log ?? ((line) => console.log(`[demand] ${line}`));
    this.fetchImpl = options.fetch ?? fetch;
  }

  async start(): Promise<void> {
    if (this.running || this.options.customers.length === 0) return;
    this.running = true;
    await this.adoptActiveJobs();
    this.schedule(5_000);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.step()
        .catch((error: unknown) =>
          this.log(`launch failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          const [min, max] = this.options.intervalMs ?? [20_000, 40_000];
          if (this.running) this.schedule(min + Math.floor(this.options.rng.next() * (max - min)));
        });
    }, delayMs);
  }

  private async api(
    customer: DemandCustomer,
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${customer.apiKey}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const response = await this.fetchImpl(`${this.options.apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      // Not JSON: the status says enough.
    }
    return { status: response.status, body: parsed };
  }

  /** Jobs the demo customers already have running (from before a restart) count towards the cap. */
  private async adoptActiveJobs(): Promise<void> {
    for (const customer of this.options.customers) {
      try {
        const answer = await this.api(customer, 'GET', '/api/v1/jobs?state=active&limit=100');
        const items = (answer.body as { items?: { id: string }[] } | null)?.items;
        if (answer.status === 200 && Array.isArray(items))
          for (const job of items) this.active.set(job.id, customer);
      } catch {
        // The list is a convenience; the cap catches up as jobs are launched.
      }
    }
    this.stats.active = this.active.size;
  }

  private async refreshActive(): Promise<void> {
    for (const [id, customer] of [...this.active]) {
      try {
        const answer = await this.api(customer, 'GET', `/api/v1/jobs/${id}`);
        const state = (answer.body as { state?: string } | null)?.state;
        if (answer.status === 404 || (state !== undefined && FINAL_STATES.has(state))) this.active.delete(id);
      } catch {
        // Try again next time.
      }
    }
    this.stats.active = this.active.size;
  }

  /** One round: refresh the active set, then launch a job unless the cap is reached. */
  async step(): Promise<'launched' | 'capped' | 'no_supply' | 'refused'> {
    await this.refreshActive();
    const maxActive = this.options.maxActive ?? 15;
    if (this.active.size >= maxActive) {
      this.stats.skipped += 1;
      return 'capped';
    }
    const customer = this.options.rng.pick(this.options.customers);
    const planned = planJob(this.options.rng);
    const model = planned.spec.requirements.gpuModels?.[0] ?? 'a100-80gb';
    const gpus = planned.spec.requirements.gpuCount;

    const quote = await this.api(customer, 'POST', '/api/v1/quotes', planned.spec);
    let costMax = (gpus * Number(gpuModel(model).referencePriceMicros) * planned.minutes) / 60;
    if (quote.status === 200) {
      const body = quote.body as { matchingOffers?: number; estimate?: { costMaxMicros: string } | null };
      if (!body.matchingOffers || !body.estimate) {
        this.stats.skipped += 1;
        return 'no_supply';
      }
      costMax = Number(body.estimate.costMaxMicros);
    }
    const budgetMicros = budgetFor(costMax);
    const key = `demo-demand-${this.runId}-${++this.sequence}`;
    const spec = { ...planned.spec, budgetMicros: String(budgetMicros) };
    let answer: ApiAnswer;
    try {
      answer = await this.api(customer, 'POST', '/api/v1/jobs', spec, key);
    } catch {
      // The same key again: if the first request did land, this replays it instead of launching twice.
      answer = await this.api(customer, 'POST', '/api/v1/jobs', spec, key);
    }
    if (answer.status !== 201 && answer.status !== 200) {
      this.stats.refused += 1;
      const message = (answer.body as { error?: { message?: string } } | null)?.error?.message ?? '';
      this.log(`${customer.name}: launch refused (${answer.status}) ${message}`);
      return 'refused';
    }
    const job = answer.body as { id: string };
    this.active.set(job.id, customer);
    this.stats.launched += 1;
    this.stats.active = this.active.size;
    this.log(
      `${customer.name} launched "${spec.name}" (${gpus}× ${model}, ~${planned.minutes} min, budget ` +
        `$${(budgetMicros / MICROS).toFixed(2)}) → job ${job.id}`,
    );
    return 'launched';
  }
}
