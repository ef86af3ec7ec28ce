import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import {
  accounts,
  jobEvents,
  jobs as jobsTable,
  ledgerPostings,
  ledgerTransactions,
  nodeGpus,
  nodeStatusIntervals,
  nodes,
  type JobTemplateId,
} from '@/lib/db/schema';
import { launchJob } from '@/lib/jobs/launch';
import type { JobSpec } from '@/lib/jobs/schemas';
import { specHash } from '@/lib/jobs/spec-hash';
import { jobTemplate } from '@/lib/jobs/templates';
import { auditLedger, creditDeposit } from '@/lib/ledger/operations';
import { ensureLedgerAccount } from '@/lib/ledger/post-transaction';
import { GPU_MODELS, type GpuModelId } from '@/lib/market/gpu-models';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { REGION_IDS, type RegionId } from '@/lib/market/regions';
import { createRng, type Rng } from '@/lib/random';
import { bulkInsert } from '@/scripts/bench/lib/offer-data';

/**
 * The scheduler benchmark's world: one supplier with `nodes` registered, online, verified nodes (varied
 * models, 1/2/4/8 GPUs, prices and regions), listed as offers by the app's own `refreshOffers`, and `jobs`
 * queued jobs of a hundred funded customers, each with its budget hold in the ledger — launched through the
 * app's own `launchJob`, or (`bulk`) the first hundred so and the rest bulk-loaded with the same rows and
 * checked against them. Everything is drawn from one seed.
 */

const MICROS = 1_000_000n;
/** A fixed clock keeps every generated row, and so the placement, reproducible from the seed. */
export const SCHEDULER_BENCH_NOW = new Date('2026-11-01T00:00:00Z');
const DAY_MS = 86_400_000;
const CUSTOMERS = 100;
/** In `bulk` mode, jobs launched through `launchJob` first: their rows are the model the bulk rows must match. */
const LAUNCH_SAMPLE = 100;
/** Every customer gets this much; far more than its jobs' budgets, so no launch is refused for money. */
const CUSTOMER_FUNDS_USDC = 100_000n;

/** Node sizes: every size equally common, so capacity (3.75 GPUs per node on average) clearly exceeds demand. */
const NODE_GPU_COUNTS: readonly (readonly [number, number])[] = [
  [1, 25],
  [2, 25],
  [4, 25],
  [8, 25],
];

/** Job sizes: mostly one GPU (1.22 GPUs per job on average). */
const JOB_GPU_COUNTS: readonly (readonly [number, number])[] = [
  [1, 90],
  [2, 6],
  [4, 3],
  [8, 1],
];

const SINGLE_GPU_TEMPLATES: readonly (readonly [JobTemplateId, number])[] = [
  ['llm_inference', 40],
  ['lora_finetune', 25],
  ['render', 20],
  ['custom', 15],
];

/**
 * Model requirements of the few jobs that name models. They name models that are not the cheapest per unit
 * of work, as a buyer with a reason to want them would; the cheapest models are taken first by everything
 * else, so a late job restricted to them could find them full, which would test the data, not the scheduler.
 */
const MODEL_REQUIREMENTS: readonly GpuModelId[][] = [
  ['a100-80gb'],
  ['h200-141gb', 'a100-80gb'],
  ['a100-40gb', 'a100-80gb'],
  ['rtx-a6000-48gb', 'rtx-3090-24gb'],
];
/** The price ceiling of the few price-capped jobs: cheaper than a datacenter GPU, so it really filters. */
const MAX_PRICE_MICROS = 1_000_000n;

/** How the queued jobs are created: all through `launchJob`, or a sample so and the rest in bulk. */
export type JobSetupMode = 'launch' | 'bulk';

export interface SchedulerDataOptions {
  jobs: number;
  nodes: number;
  seed: number;
  setup: JobSetupMode;
  /** Concurrent `launchJob` calls (one per connection; PGlite has one). */
  launchConcurrency: number;
}

export interface JobMix {
  byGpuCount: Record<string, number>;
  byTemplate: Record<string, number>;
  withModelRequirement: number;
  withRegionRequirement: number;
  withPriceCap: number;
}

export interface SchedulerSetup {
  nodes: number;
  jobs: number;
  customers: number;
  /** GPUs on all nodes, and GPUs the queued jobs ask for together. */
  capacityGpus: number;
  demandedGpus: number;
  /** Whole 8-GPU nodes against 8-GPU jobs: the size class that fragments first. */
  eightGpuNodes: number;
  eightGpuJobs: number;
  nodesBySize: Record<string, number>;
  jobMix: JobMix;
  offersListed: number;
  holds: number;
  heldMicros: string;
  setupMode: JobSetupMode;
  /** Jobs launched through `launchJob` (all of them, or the sample in bulk mode) and the rest bulk-loaded. */
  launched: number;
  bulkLoaded: number;
  timings: {
    nodesMs: number;
    offersMs: number;
    customersMs: number;
    launchMs: number;
    /** Average `launchJob` call, concurrency included. */
    launchEachMs: number;
    bulkMs: number;
    /** The row check of every job and the ledger audit. */
    checkMs: number;
    analyzeMs: number;
    totalMs: number;
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A price around the model's reference price, ±30 %, rounded to whole cents. */
function priceMicros(rng: Rng, reference: bigint): bigint {
  const factor = 0.7 + rng.next() * 0.6;
  return BigInt(Math.round((Number(reference) * factor) / 10_000)) * 10_000n;
}

interface GeneratedNode {
  row: typeof nodes.$inferInsert & { id: string };
  gpus: (typeof nodeGpus.$inferInsert)[];
}

function generateNodes(rng: Rng, count: number, owner: string, now: Date): GeneratedNode[] {
  const out: GeneratedNode[] = [];
  for (let i = 0; i < count; i++) {
    const model = rng.pick(GPU_MODELS);
    const gpuCount = rng.weighted(NODE_GPU_COUNTS);
    const id = rng.uuid();
    out.push({
      row: {
        id,
        ownerAccountId: owner,
        name: `bench-${String(i).padStart(5, '0')}`,
        region: rng.pick(REGION_IDS),
        gpuModel: model.id,
        gpuCount,
        vramGb: model.vramGb,
        interconnect: gpuCount > 1 && model.nvlinkCapable ? 'nvlink' : 'pcie',
        bandwidthMbps: rng.pick([1_000, 2_500, 10_000]),
        cpuCores: 8 * gpuCount,
        ramGb: 64 * gpuCount,
        diskGb: 1_000 * gpuCount,
        cudaVersion: '12.4',
        pricePerGpuHourMicros: priceMicros(rng, model.referencePriceMicros),
        status: 'online',
        statusSince: new Date(now.getTime() - 30 * DAY_MS),
        lastHeartbeatAt: now,
        verificationState: 'verified',
        // Any non-null sha256: the scheduler only takes nodes that have a token.
        tokenHash: sha256(`bench-node-token-${i}`),
        createdAt: new Date(now.getTime() - 30 * DAY_MS),
      },
      gpus: Array.from({ length: gpuCount }, (_, index) => ({
        nodeId: id,
        index,
        model: model.id,
        vramGb: model.vramGb,
        serial: `GPU-${id.slice(0, 8)}-${index}`,
      })),
    });
  }
  return out;
}

interface GeneratedJob {
  customerIndex: number;
  spec: JobSpec;
}

/** A spec the way `testSpec` of the orchestration tests builds one, with the template's own defaults. */
function jobSpec(
  index: number,
  template: JobTemplateId,
  gpuCount: number,
  extra: Partial<JobSpec['requirements']>,
): JobSpec {
  const t = jobTemplate(template);
  return {
    name: `bench ${t.name.toLowerCase()} ${index}`,
    template,
    image: t.defaultImage,
    command: [...t.defaultCommand],
    env: {},
    inputs: [],
    workUnits: t.defaultWorkUnits,
    // 25 USDC per GPU: a budget, held at launch; the benchmark never runs the jobs.
    budgetMicros: (25n * MICROS * BigInt(gpuCount)).toString(),
    requirements: { gpuModels: [], gpuCount, minVramGb: t.defaultMinVramGb, ...extra },
  };
}

function generateJobs(rng: Rng, count: number): { jobs: GeneratedJob[]; mix: JobMix } {
  const mix: JobMix = {
    byGpuCount: {},
    byTemplate: {},
    withModelRequirement: 0,
    withRegionRequirement: 0,
    withPriceCap: 0,
  };
  const jobs: GeneratedJob[] = [];
  for (let i = 0; i < count; i++) {
    const gpuCount = rng.weighted(JOB_GPU_COUNTS);
    const template: JobTemplateId = gpuCount > 1 ? 'multi_gpu_training' : rng.weighted(SINGLE_GPU_TEMPLATES);
    const extra: Partial<JobSpec['requirements']> = {};
    const roll = rng.next();
    if (roll < 0.03) {
      extra.gpuModels = [...rng.pick(MODEL_REQUIREMENTS)];
      mix.withModelRequirement++;
    } else if (roll < 0.06) {
      extra.region = rng.pick(REGION_IDS) satisfies RegionId;
      mix.withRegionRequirement++;
    } else if (roll < 0.08 && gpuCount === 1) {
      extra.maxPricePerGpuHourMicros = MAX_PRICE_MICROS.toString();
      mix.withPriceCap++;
    }
    mix.byGpuCount[gpuCount] = (mix.byGpuCount[gpuCount] ?? 0) + 1;
    mix.byTemplate[template] = (mix.byTemplate[template] ?? 0) + 1;
    jobs.push({ customerIndex: i % CUSTOMERS, spec: jobSpec(i, template, gpuCount, extra) });
  }
  return { jobs, mix };
}

async function insertAccount(db: Db, name: string, index: number, now: Date): Promise<string> {
  const [row] = await db
    .insert(accounts)
    .values({
      walletAddress: `0x${sha256(`bench-account-${name}-${index}`).slice(0, 40)}`,
      displayName: name,
      createdAt: now,
    })
    .returning({ id: accounts.id });
  if (!row) throw new Error('account insert returned nothing');
  return row.id;
}

/** A clock frozen at one instant: each job is launched "at" its own place in the queue. */
function fixedClock(at: Date): Clock {
  return { now: () => at };
}

/**
 * Launches jobs through `launchJob`, each in its own transaction as the API does. Each worker launches the
 * jobs of its own customers, so no two concurrent launches ever wait on one ledger account.
 */
async function launchJobs(
  db: Db,
  jobs: readonly GeneratedJob[],
  customers: readonly string[],
  queueStart: number,
  concurrency: number,
  progress: (launched: number) => void,
): Promise<void> {
  const workers = Math.max(1, Math.min(concurrency, customers.length));
  const queues: number[][] = Array.from({ length: workers }, () => []);
  jobs.forEach((job, i) => queues[job.customerIndex % workers]?.push(i));
  let launched = 0;
  const progressEvery = Math.max(1_000, Math.floor(jobs.length / 5));
  await Promise.all(
    queues.map(async (queue) => {
      for (const i of queue) {
        const job = jobs[i];
        const accountId = job ? customers[job.customerIndex] : undefined;
        if (!job || !accountId) throw new Error(`no job or customer for job ${i}`);
        await launchJob(db, fixedClock(new Date(queueStart + i)), { accountId, spec: job.spec });
        if (++launched % progressEvery === 0) progress(launched);
      }
    }),
  );
}

/**
 * Writes what `launchJob` writes for jobs `from`… in one transaction: the queued job, its budget hold (a
 * `hold` ledger transaction keyed `job-hold:<job id>` moving the budget from the customer's available to
 * reserved balance; the ledger's triggers keep the balances) and its `queued` event. `checkQueuedRows` then
 * holds every job, launched or loaded, to the same shape.
 */
async function bulkQueueJobs(
  db: Db,
  jobs: readonly GeneratedJob[],
  from: number,
  customers: readonly string[],
  queueStart: number,
): Promise<void> {
  const usdc = (kind: 'customer_available' | 'customer_reserved', owner: string) =>
    ensureLedgerAccount(db, { kind, owner, currency: 'usdc' });
  const ledgerAccountsOf = new Map<string, { available: string; reserved: string }>();
  for (const customer of customers)
    ledgerAccountsOf.set(customer, {
      available: await usdc('customer_available', customer),
      reserved: await usdc('customer_reserved', customer),
    });
  const jobRows: (typeof jobsTable.$inferInsert)[] = [];
  const transactionRows: (typeof ledgerTransactions.$inferInsert)[] = [];
  const postingRows: (typeof ledgerPostings.$inferInsert)[] = [];
  const eventRows: (typeof jobEvents.$inferInsert)[] = [];
  for (let i = from; i < jobs.length; i++) {
    const job = jobs[i];
    const owner = job ? customers[job.customerIndex] : undefined;
    const ledger = owner ? ledgerAccountsOf.get(owner) : undefined;
    if (!job || !owner || !ledger) throw new Error(`no job or customer for job ${i}`);
    const { spec } = job;
    const at = new Date(queueStart + i);
    const id = randomUUID();
    const budget = BigInt(spec.budgetMicros);
    jobRows.push({
      id,
      ownerAccountId: owner,
      name: spec.name,
      template: spec.template,
      image: spec.image,
      command: spec.command,
      env: spec.env,
      gpuModels: spec.requirements.gpuModels,
      gpuCount: spec.requirements.gpuCount,
      minVramGb: spec.requirements.minVramGb,
      region: spec.requirements.region ?? null,
      pinnedNodeId: spec.requirements.nodeId ?? null,
      maxPricePerGpuHourMicros: spec.requirements.maxPricePerGpuHourMicros
        ? BigInt(spec.requirements.maxPricePerGpuHourMicros)
        : null,
      budgetMicros: budget,
      workUnits: spec.workUnits,
      specHash: specHash(spec),
      state: 'queued',
      simulated: false,
      queuedAt: at,
      createdAt: at,
      updatedAt: at,
    });
    const transactionId = randomUUID();
    transactionRows.push({
      id: transactionId,
      kind: 'hold',
      memo: `Budget hold for job "${spec.name}"`,
      idempotencyKey: `job-hold:${id}`,
      createdAt: at,
    });
    postingRows.push(
      {
        transactionId,
        ledgerAccountId: ledger.available,
        currency: 'usdc',
        amountMicros: -budget,
        createdAt: at,
      },
      {
        transactionId,
        ledgerAccountId: ledger.reserved,
        currency: 'usdc',
        amountMicros: budget,
        createdAt: at,
      },
    );
    eventRows.push({ jobId: id, type: 'queued', data: { reason: 'launched' }, createdAt: at });
  }
  await db.transaction(async (tx) => {
    await bulkInsert(tx, jobsTable, jobRows);
    await bulkInsert(tx, ledgerTransactions, transactionRows);
    await bulkInsert(tx, ledgerPostings, postingRows);
    await bulkInsert(tx, jobEvents, eventRows);
  });
}

/**
 * Holds every queued job to what `launchJob` writes: one `hold` transaction keyed by the job with its memo,
 * exactly two postings (the budget out of the owner's available balance, into their reserved balance) and
 * one event, `queued` with reason `launched`. Counted apart for jobs queued before `launchedUntil` (made by
 * `launchJob`: a failure there means launchJob changed) and after it (bulk-loaded).
 */
async function checkQueuedRows(
  db: Db,
  launchedUntil: Date,
): Promise<{ launchedBad: number; bulkBad: number }> {
  const [row] = await queryRows<{ launchedBad: number; bulkBad: number }>(
    db,
    sql`with checked as (
          select j.queued_at < ${launchedUntil} as launched,
            (select count(*) from ledger_transactions t
               where t.idempotency_key = 'job-hold:' || j.id and t.kind = 'hold'
                 and t.memo = 'Budget hold for job "' || j.name || '"') = 1
            and (select count(*) from ledger_postings p
                   join ledger_transactions t on t.id = p.transaction_id
                   join ledger_accounts a on a.id = p.ledger_account_id
                 where t.idempotency_key = 'job-hold:' || j.id and a.owner_account_id = j.owner_account_id
                   and a.currency = 'usdc'
                   and ((a.kind = 'customer_available' and p.amount_micros = -j.budget_micros)
                     or (a.kind = 'customer_reserved' and p.amount_micros = j.budget_micros))) = 2
            and (select count(*) from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
                 where t.idempotency_key = 'job-hold:' || j.id) = 2
            and (select count(*) from job_events e where e.job_id = j.id) = 1
            and exists (select 1 from job_events e
                        where e.job_id = j.id and e.type = 'queued' and e.data = '{"reason":"launched"}'::jsonb)
            and j.state = 'queued' and j.attempt_count = 0 and j.fencing_token = 0 as ok
          from jobs j
        )
        select count(*) filter (where launched and not ok)::int as "launchedBad",
          count(*) filter (where not launched and not ok)::int as "bulkBad"
        from checked`,
  );
  return row ?? { launchedBad: -1, bulkBad: -1 };
}

/**
 * Builds the world on a migrated, empty database. Nodes are bulk-loaded (registering 5,000 agents is not
 * what is measured); offers come from `refreshOffers`, deposits from `creditDeposit`, jobs from `launchJob`.
 */
export async function setUpSchedulerWorld(
  db: Db,
  clock: Clock,
  options: SchedulerDataOptions,
  log: (line: string) => void,
): Promise<SchedulerSetup> {
  const rng = createRng(options.seed);
  const now = clock.now();
  const started = performance.now();

  const supplier = await insertAccount(db, 'bench supplier', 0, now);
  const generated = generateNodes(rng, options.nodes, supplier, now);
  await db.transaction(async (tx) => {
    await bulkInsert(
      tx,
      nodes,
      generated.map((n) => n.row),
    );
    await bulkInsert(
      tx,
      nodeGpus,
      generated.flatMap((n) => n.gpus),
    );
    await bulkInsert(
      tx,
      nodeStatusIntervals,
      generated.map((n) => ({ nodeId: n.row.id, status: 'online' as const, startedAt: n.row.statusSince })),
    );
  });
  const nodesDone = performance.now();

  const offers = await refreshOffers(db, clock);
  const offersDone = performance.now();
  log(
    `• ${options.nodes.toLocaleString('en-US')} nodes with GPUs and status history in ${seconds(nodesDone - started)}; ` +
      `refreshOffers listed ${offers.listed.toLocaleString('en-US')} in ${seconds(offersDone - nodesDone)}`,
  );

  const customers: string[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const id = await insertAccount(db, 'bench customer', i, now);
    await creditDeposit(db, clock, {
      customer: id,
      amountMicros: CUSTOMER_FUNDS_USDC * MICROS,
      memo: 'bench deposit',
      idempotencyKey: `bench-deposit-${i}`,
    });
    customers.push(id);
  }
  const customersDone = performance.now();

  const { jobs, mix } = generateJobs(rng, options.jobs);
  // Queue order is launch order: job i is queued i ms after the first, all before the clock's now.
  const queueStart = now.getTime() - options.jobs - 1_000;
  const launches = options.setup === 'launch' ? jobs.length : Math.min(LAUNCH_SAMPLE, jobs.length);
  await launchJobs(db, jobs.slice(0, launches), customers, queueStart, options.launchConcurrency, (done) =>
    log(`  launched ${done.toLocaleString('en-US')} jobs (${seconds(performance.now() - customersDone)})`),
  );
  const launchDone = performance.now();
  if (launches < jobs.length) await bulkQueueJobs(db, jobs, launches, customers, queueStart);
  const bulkDone = performance.now();
  log(
    `• ${CUSTOMERS} funded customers in ${seconds(customersDone - offersDone)}; ` +
      `${launches.toLocaleString('en-US')} jobs via launchJob (${options.setup === 'launch' ? options.launchConcurrency : 1} at a time) ` +
      `in ${seconds(launchDone - customersDone)} (${((launchDone - customersDone) / launches).toFixed(1)} ms each)` +
      (launches < jobs.length
        ? `, ${(jobs.length - launches).toLocaleString('en-US')} more bulk-loaded with the same rows in ${seconds(bulkDone - launchDone)}`
        : ''),
  );
  const rowCheck = await checkQueuedRows(db, new Date(queueStart + launches));
  if (rowCheck.launchedBad > 0)
    throw new Error(
      `${rowCheck.launchedBad} jobs launched by launchJob lack the rows the benchmark expects (one hold of the budget, ` +
        'two postings, one "queued" event): launchJob changed, so the bulk path must change with it',
    );
  if (rowCheck.bulkBad > 0)
    throw new Error(`${rowCheck.bulkBad} bulk-loaded jobs differ from what launchJob writes`);
  const audit = await auditLedger(db);
  if (audit.drifted.length || audit.unbalanced.length || Object.values(audit.totals).some((t) => t !== 0n))
    throw new Error(
      `the ledger does not balance after setup: ${JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
    );
  const checkDone = performance.now();

  // Statistics as autovacuum would have them on a live database a minute after the load.
  await db.execute(sql`analyze`);
  const analyzeDone = performance.now();

  const [ledger] = await queryRows<{ holds: number; held: string; queued: number }>(
    db,
    sql`select
          (select count(*)::int from ledger_transactions where kind = 'hold') as holds,
          (select coalesce(sum(balance_micros), 0)::text from ledger_accounts where kind = 'customer_reserved') as held,
          (select count(*)::int from jobs where state = 'queued') as queued`,
  );
  if (!ledger || ledger.queued !== options.jobs || ledger.holds !== options.jobs)
    throw new Error(
      `expected ${options.jobs} queued jobs with holds, found ${ledger?.queued} queued and ${ledger?.holds} holds`,
    );

  const nodesBySize: Record<string, number> = {};
  for (const n of generated) nodesBySize[n.row.gpuCount] = (nodesBySize[n.row.gpuCount] ?? 0) + 1;
  return {
    nodes: options.nodes,
    jobs: options.jobs,
    customers: CUSTOMERS,
    capacityGpus: generated.reduce((sum, n) => sum + n.row.gpuCount, 0),
    demandedGpus: jobs.reduce((sum, j) => sum + j.spec.requirements.gpuCount, 0),
    eightGpuNodes: nodesBySize[8] ?? 0,
    eightGpuJobs: mix.byGpuCount[8] ?? 0,
    nodesBySize,
    jobMix: mix,
    offersListed: offers.listed,
    holds: ledger.holds,
    heldMicros: ledger.held,
    setupMode: options.setup,
    launched: launches,
    bulkLoaded: jobs.length - launches,
    timings: {
      nodesMs: nodesDone - started,
      offersMs: offersDone - nodesDone,
      customersMs: customersDone - offersDone,
      launchMs: launchDone - customersDone,
      launchEachMs: (launchDone - customersDone) / Math.max(1, launches),
      bulkMs: bulkDone - launchDone,
      checkMs: checkDone - bulkDone,
      analyzeMs: analyzeDone - checkDone,
      totalMs: analyzeDone - started,
    },
  };
}

export interface PlacementCheck {
  scheduled: number;
  queued: number;
  activeAttempts: number;
  /** GPUs named by active attempts, and lease rows: equal when nothing is double-booked or leaked. */
  attemptGpus: number;
  leaseRows: number;
  /** (node, GPU) pairs named by more than one active attempt. */
  doubleBooked: number;
  /** Lease rows whose GPU is not one of its attempt's GPUs, or whose attempt is not active. */
  strayLeases: number;
  /** Nodes with more leases than GPUs. */
  overfullNodes: number;
  /** Jobs with other than exactly one active attempt among the scheduled ones. */
  jobsWithoutOneAttempt: number;
  /** Scheduled jobs without a `scheduled` event. */
  missingEvents: number;
  ok: boolean;
}

/** Reads the placement back and checks that no GPU is booked twice and every placed job is consistent. */
export async function checkPlacements(db: Db): Promise<PlacementCheck> {
  const [row] = await queryRows<Omit<PlacementCheck, 'ok'>>(
    db,
    sql`with active as (
          select * from job_attempts where state in ('assigned', 'running')
        )
        select
          (select count(*)::int from jobs where state = 'scheduled') as "scheduled",
          (select count(*)::int from jobs where state = 'queued') as "queued",
          (select count(*)::int from active) as "activeAttempts",
          (select coalesce(sum(jsonb_array_length(gpu_indexes)), 0)::int from active) as "attemptGpus",
          (select count(*)::int from gpu_leases) as "leaseRows",
          (select count(*)::int from (
             select a.node_id, g.idx from active a, jsonb_array_elements(a.gpu_indexes) as g(idx)
             group by a.node_id, g.idx having count(*) > 1) d) as "doubleBooked",
          (select count(*)::int from gpu_leases l left join active a on a.id = l.attempt_id
             where a.id is null or a.node_id <> l.node_id or not (a.gpu_indexes @> to_jsonb(l.gpu_index))) as "strayLeases",
          (select count(*)::int from (
             select n.id from nodes n join gpu_leases l on l.node_id = n.id
             group by n.id, n.gpu_count having count(*) > n.gpu_count) o) as "overfullNodes",
          (select count(*)::int from jobs j
             where j.state = 'scheduled' and (select count(*) from active a where a.job_id = j.id) <> 1) as "jobsWithoutOneAttempt",
          (select count(*)::int from jobs j
             where j.state = 'scheduled'
               and not exists (select 1 from job_events e where e.job_id = j.id and e.type = 'scheduled')) as "missingEvents"`,
  );
  if (!row) throw new Error('the placement check returned nothing');
  const ok =
    row.doubleBooked === 0 &&
    row.strayLeases === 0 &&
    row.overfullNodes === 0 &&
    row.jobsWithoutOneAttempt === 0 &&
    row.missingEvents === 0 &&
    row.attemptGpus === row.leaseRows &&
    row.activeAttempts === row.scheduled;
  return { ...row, ok };
}
