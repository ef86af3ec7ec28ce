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
 * Simulated demand: a few demo customer accounts launch jobs through the public API with their API keys, as
 * any programmatic customer would (quote, then launch with an Idempotency-Key). Choices are drawn from the
 * seeded generator. Two modes:
 * - a light one (the default): jobs of one to six minutes with budgets of a few dollars, one launch every
 *   20–40 s, at most ~15 demo jobs active;
 * - following the network's record (`followLoad`, what the demo runs after its generated history): each round
 *   reads the public figures — the share of the online GPUs the last 30 days' paid GPU-hours took, and the
 *   GPUs in use now — and launches jobs of a quarter of an hour to two hours until the live network is as busy
 *   as its record. The accounts top themselves up with simulated funds (its own ledger source) when a launch
 *   finds their balance short.
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

/** The light mode's job sizes, in minutes at reference speed. */
export const SHORT_JOB_MINUTES: readonly [number, number] = [1, 6];
/** The sizes of jobs that follow the network's record: like the generated history's, long enough to matter. */
export const LOAD_JOB_MINUTES: readonly [number, number] = [15, 120];

/**
 * One demo job: a template, one GPU model, a size in minutes there drawn from the range (uniformly, or
 * log-uniformly, so that most long jobs are short and some run for hours).
 */
export function planJob(
  rng: Rng,
  minutesRange: readonly [number, number] = SHORT_JOB_MINUTES,
  spread: 'uniform' | 'log' = 'uniform',
): PlannedJob {
  const plan = rng.weighted(DEMAND_PLANS.map((p) => [p, p.weight] as const));
  const model = rng.pick(plan.models);
  const gpuCount = rng.pick(plan.gpuCounts);
  const [low, high] = minutesRange;
  const drawn = spread === 'log' ? low * Math.pow(high / low, rng.next()) : low + rng.next() * (high - low);
  const minutes = Math.round(drawn * 10) / 10;
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

/** A budget: twice the high estimate, at least $1, at most `capMicros` ($8 for short jobs), in whole cents. */
export function budgetFor(costMaxMicros: number, capMicros = 8 * MICROS): number {
  const budget = Math.min(capMicros, Math.max(1 * MICROS, costMaxMicros * 2));
  return Math.ceil(budget / 10_000) * 10_000;
}

/** Long jobs' budgets stop here ($400: two hours of eight fast GPUs at the top of the market, and some). */
const LOAD_BUDGET_CAP_MICROS = 400 * MICROS;
/** What a demo account adds to its balance when a launch finds it short (the endpoint's most). */
const TOP_UP_MICROS = 1_000 * MICROS;
/** The recorded share is read again this often (it moves by the day). */
const RECORD_REFRESH_MS = 10 * 60_000;
/** Never aim above this share of the online GPUs, whatever the record says. */
const MAX_TARGET_SHARE = 0.85;

/**
 * The share of the online GPUs that the trailing 30 days' paid GPU-hours took, from the public headline:
 * paid GPU-hours ÷ (the window's hours × verified GPUs online now). Null without supply or a window.
 */
export function recordedLoadShare(headline: {
  windowFrom: string;
  windowTo: string;
  paidGpuHours: number;
  verifiedGpusOnline: number;
}): number | null {
  const days = (Date.parse(headline.windowTo) - Date.parse(headline.windowFrom)) / 86_400_000 + 1;
  if (!(days > 0) || headline.verifiedGpusOnline <= 0) return null;
  return Math.min(MAX_TARGET_SHARE, headline.paidGpuHours / (days * 24 * headline.verifiedGpusOnline));
}

/** How many more GPUs to put to work so the GPUs in use reach `share` of those online. */
export function gpusShort(share: number, gpusOnline: number, gpusAvailable: number): number {
  return Math.max(0, Math.round(share * gpusOnline) - (gpusOnline - gpusAvailable));
}

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
  /**
   * Follow the network's record instead of the light mode: keep the GPUs in use at the recorded share of those
   * online (or `targetShare`), launching at most `maxLaunchesPerRound` jobs a round and none while
   * `maxQueued` of this simulator's jobs still wait for a placement.
   */
  followLoad?: { targetShare?: number; maxLaunchesPerRound?: number; maxQueued?: number };
}

export interface DemandStats {
  launched: number;
  refused: number;
  skipped: number;
  active: number;
  /** Following the record: the share aimed at, and the simulated top-ups made. */
  targetShare: number | null;
  toppedUp: number;
}

interface ApiAnswer {
  status: number;
  body: unknown;
}

export class DemandSimulator {
  private readonly active = new Map<string, DemandCustomer>();
  /** The followed jobs' last known states. */
  private readonly states = new Map<string, string>();
  private readonly timers: Timers;
  private readonly log: (line: string) => void;
  private readonly fetchImpl: typeof fetch;
  private readonly runId = randomUUID().slice(0, 8);
  private sequence = 0;
  private timer: unknown = null;
  private running = false;
  readonly stats: DemandStats = {
    launched: 0,
    refused: 0,
    skipped: 0,
    active: 0,
    targetShare: null,
    toppedUp: 0,
  };
  private record: { share: number | null; readAt: number } | null = null;

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
          const [min, max] =
            this.options.intervalMs ?? (this.options.followLoad ? [10_000, 20_000] : [20_000, 40_000]);
          if (this.running) this.schedule(min + Math.floor(this.options.rng.next() * (max - min)));
        });
    }, delayMs);
  }

  private async api(
    customer: DemandCustomer | null,
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (customer) headers.authorization = `Bearer ${customer.apiKey}`;
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

  /**
   * The followed jobs' states, from each customer's list of active jobs (a page of 100 at a time): a job no
   * longer listed has ended. A list that cannot be read leaves what was known as it was.
   */
  private async refreshActive(): Promise<void> {
    const listed = new Map<string, string>();
    for (const customer of this.options.customers) {
      let cursor: string | null = null;
      do {
        let answer: ApiAnswer;
        try {
          answer = await this.api(
            customer,
            'GET',
            `/api/v1/jobs?state=active&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
        } catch {
          return;
        }
        const page = answer.body as {
          items?: { id: string; state: string }[];
          nextCursor?: string | null;
        } | null;
        if (answer.status !== 200 || !Array.isArray(page?.items)) return;
        for (const item of page.items) listed.set(item.id, item.state);
        cursor = page.nextCursor ?? null;
      } while (cursor);
    }
    for (const id of [...this.active.keys()])
      if (!listed.has(id)) {
        this.active.delete(id);
        this.states.delete(id);
      }
    for (const [id, state] of listed) if (this.active.has(id)) this.states.set(id, state);
    this.stats.active = this.active.size;
  }

  /** One round: refresh the active set, then launch (the light mode's one job, or up to the record's load). */
  async step(): Promise<'launched' | 'capped' | 'no_supply' | 'refused'> {
    await this.refreshActive();
    if (this.options.followLoad) return this.followRecord(this.options.followLoad);
    const maxActive = this.options.maxActive ?? 15;
    if (this.active.size >= maxActive) {
      this.stats.skipped += 1;
      return 'capped';
    }
    return this.launchOne(() => planJob(this.options.rng), 8 * MICROS);
  }

  /** The share to aim at: given, or read from the public headline (again every ten minutes). */
  private async targetShare(given: number | undefined): Promise<number | null> {
    if (given !== undefined) return given;
    const now = this.options.clock.now().getTime();
    if (!this.record || now - this.record.readAt >= RECORD_REFRESH_MS) {
      const answer = await this.api(null, 'GET', '/api/v1/metrics');
      const body = answer.body as {
        headline?: Parameters<typeof recordedLoadShare>[0];
        history?: { state?: string } | null;
      } | null;
      const share = answer.status === 200 && body?.headline ? recordedLoadShare(body.headline) : null;
      // While the history is still being written its last 30 days are not on record yet: ask again next round.
      const settled = answer.status === 200 && body?.history?.state !== 'generating';
      this.record = { share: settled ? share : null, readAt: settled ? now : -Infinity };
    }
    return this.record.share;
  }

  private async followRecord(
    follow: NonNullable<DemandOptions['followLoad']>,
  ): Promise<'launched' | 'capped' | 'no_supply' | 'refused'> {
    const share = await this.targetShare(follow.targetShare);
    this.stats.targetShare = share;
    const summary = await this.api(null, 'GET', '/api/v1/offers/summary');
    const supply = summary.body as { gpusOnline?: number; gpusAvailable?: number } | null;
    if (share === null || summary.status !== 200 || supply?.gpusOnline === undefined) {
      this.stats.skipped += 1;
      return 'no_supply';
    }
    // Jobs of ours still waiting for a placement hold no GPU yet: launching more would overshoot.
    const queued = this.queuedOfOurs();
    const short = gpusShort(share, supply.gpusOnline, supply.gpusAvailable ?? 0);
    if (short === 0 || queued >= (follow.maxQueued ?? 5)) {
      this.stats.skipped += 1;
      return 'capped';
    }
    let outcome: 'launched' | 'capped' | 'no_supply' | 'refused' = 'capped';
    let gpus = 0;
    for (let i = 0; i < (follow.maxLaunchesPerRound ?? 4) && gpus < short; i++) {
      let planned: PlannedJob | null = null;
      const result = await this.launchOne(
        () => (planned = planJob(this.options.rng, LOAD_JOB_MINUTES, 'log')),
        LOAD_BUDGET_CAP_MICROS,
      );
      if (result === 'launched') gpus += (planned as PlannedJob | null)?.spec.requirements.gpuCount ?? 1;
      if (outcome !== 'launched') outcome = result;
    }
    return outcome;
  }

  /** How many of the jobs this simulator is following still wait in the queue. */
  private queuedOfOurs(): number {
    return [...this.states.values()].filter((state) => state === 'queued').length;
  }

  /** Adds simulated funds to a demo customer's balance (the simulation endpoint; demo accounts only). */
  private async topUp(customer: DemandCustomer): Promise<boolean> {
    const answer = await this.api(
      customer,
      'POST',
      '/api/v1/simulation/funding',
      { amountMicros: String(TOP_UP_MICROS) },
      `demo-top-up-${this.runId}-${++this.sequence}`,
    );
    if (answer.status !== 200) {
      this.log(`${customer.name}: simulated top-up refused (${answer.status})`);
      return false;
    }
    this.stats.toppedUp += 1;
    this.log(`${customer.name} topped up with $${TOP_UP_MICROS / MICROS} of simulated funds`);
    return true;
  }

  /** Quote, then launch one job for a random demo customer; a short balance is topped up once. */
  private async launchOne(
    plan: () => PlannedJob,
    budgetCapMicros: number,
  ): Promise<'launched' | 'no_supply' | 'refused'> {
    const customer = this.options.rng.pick(this.options.customers);
    const planned = plan();
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
    const budgetMicros = budgetFor(costMax, budgetCapMicros);
    const key = `demo-demand-${this.runId}-${++this.sequence}`;
    const spec = { ...planned.spec, budgetMicros: String(budgetMicros) };
    const launch = async () => {
      try {
        return await this.api(customer, 'POST', '/api/v1/jobs', spec, key);
      } catch {
        // The same key again: if the first request did land, this replays it instead of launching twice.
        return await this.api(customer, 'POST', '/api/v1/jobs', spec, key);
      }
    };
    let answer = await launch();
    if (answer.status === 402 && (await this.topUp(customer))) answer = await launch();
    if (answer.status !== 201 && answer.status !== 200) {
      this.stats.refused += 1;
      const message = (answer.body as { error?: { message?: string } } | null)?.error?.message ?? '';
      this.log(`${customer.name}: launch refused (${answer.status}) ${message}`);
      return 'refused';
    }
    const job = answer.body as { id: string };
    this.active.set(job.id, customer);
    this.states.set(job.id, 'queued');
    this.stats.launched += 1;
    this.stats.active = this.active.size;
    this.log(
      `${customer.name} launched "${spec.name}" (${gpus}× ${model}, ~${planned.minutes} min, budget ` +
        `$${(budgetMicros / MICROS).toFixed(2)}) → job ${job.id}`,
    );
    return 'launched';
  }
}
