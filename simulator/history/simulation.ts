import { MS_PER_DAY } from '@/lib/clock';
import {
  cancelAttempt,
  handOverAttempt,
  nextTick,
  planAttempt,
  type AttemptInput,
} from '@/simulator/history/attempts';
import {
  customerProfile,
  planCustomers,
  type CustomerProfile,
  type HistoryCustomer,
} from '@/simulator/history/customers';
import { dayLaunches, demandScale } from '@/simulator/history/demand';
import { EventQueue } from '@/simulator/history/event-queue';
import { Supply, type SupplyNode } from '@/simulator/history/supply';
import type {
  AttemptLife,
  HistoryDay,
  JobLifeState,
  SimulationConfig,
} from '@/simulator/history/history-types';
import type { HistoryNode } from '@/simulator/history/network';
import { payoutPlan, payoutsOnDay } from '@/simulator/history/payouts';
import { logNormal, streamRng } from '@/simulator/history/streams';
import { planHistoryJob, type PlannedHistoryJob } from '@/simulator/history/workloads';
import type { Rng } from '@/lib/random';
import { planPlacements, type NodeCapacity, type QueuedJob } from '@/lib/scheduler/schedule';

/**
 * The demo history's discrete-event simulation: customers sign up and launch jobs, the live scheduler's
 * `planPlacements` places them on the nodes that were up and verified at that instant (GPUs tracked here),
 * jobs wait when nothing fits, run, checkpoint, crash, get cancelled, run out of budget or lose their host and
 * resume elsewhere from their last checkpoint. It decides what happened; `write-history.ts` then writes each
 * job's life through the live domain functions. It is a pure function of the seed, the network and the
 * span: run again from the start, it makes the same history, which is how a restarted generator resumes.
 */

interface CustomerState {
  plan: HistoryCustomer;
  profile: CustomerProfile;
  available: bigint;
  deposits: number;
  topUpMicros: bigint;
}

interface SimJob {
  seq: number;
  day: number;
  customer: CustomerState;
  planned: PlannedHistoryJob;
  rng: Rng;
  launchAt: number;
  queued: QueuedJob;
  /** Bumped each time it enters the queue: a patience timer from an earlier wait is stale. */
  generation: number;
  attempts: AttemptLife[];
  active: { life: AttemptLife; input: AttemptInput; state: SupplyNode } | null;
  checkpointUnits: number;
  chargedMicros: bigint;
  final: boolean;
}

type SimEvent =
  | { kind: 'day'; day: number }
  | { kind: 'join'; customer: CustomerState }
  | { kind: 'arrival'; job: SimJob }
  | { kind: 'pass' }
  | { kind: 'up'; state: SupplyNode }
  | { kind: 'end'; job: SimJob; life: AttemptLife }
  | { kind: 'patience'; job: SimJob; generation: number }
  | { kind: 'cancel'; job: SimJob }
  | { kind: 'handover' };

/**
 * This long before the span's end, whatever is still running or queued is handed to the live network: running
 * attempts are preempted back to the queue from their last checkpoint, and the live scheduler takes the queue.
 */
const HANDOVER_MS = 1_000;
const CRASHES = [
  'CUDA error: out of memory',
  'RuntimeError: expected scalar type Float but found Half',
  'FileNotFoundError: datasets/train.jsonl',
  'KeyError: input_ids',
  'AssertionError: loss is NaN',
];

const dayOf = (from: number, at: number) => Math.floor((at - from) / MS_PER_DAY);

export class HistorySimulation {
  private readonly events = new EventQueue<SimEvent>();
  private readonly supply: Supply;
  private readonly customers: CustomerState[];
  private readonly queue: SimJob[] = [];
  private readonly jobsById = new Map<string, SimJob>();
  private readonly days = new Map<number, HistoryDay>();
  /** Each demo supplier's withdrawal habit, by supplier id. */
  private readonly payoutPlans: ReadonlyMap<string, ReturnType<typeof payoutPlan>>;
  private readonly open = new Map<number, number>();
  private readonly scale: number;
  private passAt = -Infinity;
  private jobSeq = 0;
  private now: number;
  readonly dayCount: number;

  constructor(
    nodes: readonly HistoryNode[],
    private readonly config: SimulationConfig,
  ) {
    this.now = config.from;
    // The last day may be partial: the span ends at the minute the history started.
    this.dayCount = Math.ceil((config.to - config.from) / MS_PER_DAY);
    this.supply = new Supply(nodes, config.from);
    this.payoutPlans = new Map(
      [...new Set(nodes.map((n) => n.ownerAccountId))]
        .sort()
        .map((supplier) => [supplier, payoutPlan(config.seed, supplier)]),
    );
    this.customers = planCustomers(config.seed, config.customers, config.from, config.to).map((plan) => {
      const profile = customerProfile(plan.kind);
      const first = logNormal(streamRng(config.seed, 'deposit', plan.index), profile.firstDepositUsd, 0.5);
      return {
        plan,
        profile,
        available: 0n,
        deposits: 0,
        topUpMicros: BigInt(Math.ceil(first / 10) * 10) * 1_000_000n,
      };
    });
    this.scale = demandScale(
      nodes,
      this.customers.map((c) => c.plan),
      config,
    );
    for (const state of this.supply.nodes) this.announceNextUp(state);
    for (let day = 0; day < this.dayCount; day++)
      this.events.push(config.from + day * MS_PER_DAY, { kind: 'day', day });
    this.events.push(config.to - HANDOVER_MS, { kind: 'handover' });
  }

  /**
   * Runs the simulation until every job launched on `day` has ended, and hands that day over: the customers
   * who signed up, the deposits made and the jobs launched that day. Days must be taken in order.
   */
  takeDay(day: number): HistoryDay {
    const end = Math.min(this.config.from + (day + 1) * MS_PER_DAY, this.config.to);
    while (this.events.peekTime() < end || (this.open.get(day) ?? 0) > 0) {
      const next = this.events.pop();
      if (!next) break;
      this.now = next.at;
      this.handle(next.event);
    }
    const taken = this.dayRecord(day);
    this.days.delete(day);
    taken.jobs.sort((a, b) => a.launchAt - b.launchAt || a.seq - b.seq);
    taken.deposits.sort((a, b) => a.at - b.at || a.customer.index - b.customer.index || a.number - b.number);
    return taken;
  }

  private dayRecord(day: number): HistoryDay {
    let record = this.days.get(day);
    if (!record) {
      const start = this.config.from + day * MS_PER_DAY;
      const end = Math.min(start + MS_PER_DAY, this.config.to);
      const payouts = payoutsOnDay(this.config.seed, this.payoutPlans, day, start, end);
      record = { index: day, start, end, joined: [], deposits: [], payouts, jobs: [] };
      this.days.set(day, record);
    }
    return record;
  }

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case 'day':
        return this.startDay(event.day);
      case 'join':
        return this.join(event.customer);
      case 'arrival':
        return this.arrive(event.job);
      case 'pass':
        return this.schedulePass();
      case 'up':
        this.announceNextUp(event.state);
        if (this.queue.length) this.requestPass(this.now);
        return;
      case 'end':
        return this.endAttempt(event.job, event.life);
      case 'patience':
        if (!event.job.final && !event.job.active && event.job.generation === event.generation)
          this.cancel(event.job);
        return;
      case 'cancel':
        if (!event.job.final) this.cancel(event.job);
        return;
      case 'handover':
        for (const job of [...this.jobsById.values()])
          if (!job.final) {
            if (this.config.handover === false) this.cancel(job);
            else this.handOver(job);
          }
        return;
    }
  }

  /** Sign-ups of the day, then each active customer's launches (a Poisson number, through the day). */
  private startDay(day: number): void {
    const start = this.config.from + day * MS_PER_DAY;
    const end = Math.min(start + MS_PER_DAY, this.config.to);
    for (const c of this.customers)
      if (c.plan.joinAt >= start && c.plan.joinAt < end)
        this.events.push(c.plan.joinAt, { kind: 'join', customer: c });
    const byIndex = new Map(this.customers.map((c) => [c.plan.index, c]));
    const launches = dayLaunches(
      this.config,
      day,
      this.customers.map((c) => c.plan),
      this.scale,
    );
    for (const launch of launches) {
      const customer = byIndex.get(launch.customer.index) as CustomerState;
      const seq = this.jobSeq++;
      const rngJob = streamRng(this.config.seed, 'job', seq);
      const planned = planHistoryJob(rngJob, customer.plan.kind);
      // Launched before the handover; what is still going then carries on live.
      if (launch.at >= this.config.to - HANDOVER_MS) continue;
      const job: SimJob = {
        seq,
        day,
        customer,
        planned,
        rng: rngJob,
        launchAt: launch.at,
        queued: {
          id: `job-${seq}`,
          template: planned.spec.template,
          gpu_models: planned.spec.requirements.gpuModels,
          gpu_count: planned.spec.requirements.gpuCount,
          min_vram_gb: planned.spec.requirements.minVramGb,
          region: null,
          pinned_node_id: null,
          max_price_per_gpu_hour_micros: null,
          work_units: String(planned.spec.workUnits),
          fencing_token: '0',
          attempt_count: 0,
          checkpoint_units: '0',
          kind: 'customer',
        },
        generation: 0,
        attempts: [],
        active: null,
        checkpointUnits: 0,
        chargedMicros: 0n,
        final: false,
      };
      this.events.push(launch.at, { kind: 'arrival', job });
    }
  }

  private join(c: CustomerState): void {
    const day = dayOf(this.config.from, this.now);
    this.dayRecord(day).joined.push(c.plan);
    this.deposit(c, this.now, c.topUpMicros, day);
  }

  private deposit(c: CustomerState, at: number, amount: bigint, day: number): void {
    c.deposits += 1;
    c.available += amount;
    this.dayRecord(day).deposits.push({ customer: c.plan, at, amountMicros: amount, number: c.deposits });
  }

  private arrive(job: SimJob): void {
    const c = job.customer;
    const budget = job.planned.budgetMicros;
    if (c.available < budget) {
      // A top-up shortly before the launch, of what a few such jobs cost or the usual amount.
      const needed = budget * 3n > c.topUpMicros ? budget * 3n : c.topUpMicros;
      const amount = ((needed + 9_999_999n) / 10_000_000n) * 10_000_000n;
      const dayStart = this.config.from + job.day * MS_PER_DAY;
      const at = Math.max(dayStart, c.plan.joinAt, job.launchAt - job.rng.int(60, 1_200) * 1000);
      this.deposit(c, at, amount, job.day);
    }
    c.available -= budget;
    this.open.set(job.day, (this.open.get(job.day) ?? 0) + 1);
    this.jobsById.set(job.queued.id, job);
    if (job.planned.fate.cancelAfterMs !== null)
      this.events.push(job.launchAt + job.planned.fate.cancelAfterMs, { kind: 'cancel', job });
    this.enqueue(job);
  }

  private enqueue(job: SimJob): void {
    // Oldest launch first: a job back from a lost host keeps its place.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.queue[mid] as SimJob;
      if (other.launchAt < job.launchAt || (other.launchAt === job.launchAt && other.seq < job.seq))
        lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, job);
    job.generation += 1;
    this.events.push(this.now + job.planned.fate.patienceMs, {
      kind: 'patience',
      job,
      generation: job.generation,
    });
    this.requestPass(this.now);
  }

  /** The scheduler runs every second: a pass at the next tick, once however many reasons there are. */
  private requestPass(at: number): void {
    const tick = nextTick(at);
    if (tick === this.passAt) return;
    this.passAt = tick;
    this.events.push(tick, { kind: 'pass' });
  }

  private announceNextUp(state: SupplyNode): void {
    const at = this.supply.nextCapacityAt(state, this.now);
    if (at !== null) this.events.push(at, { kind: 'up', state });
  }

  /**
   * One scheduler pass with the live placement rule (`planPlacements`) over the nodes up and verified now
   * with GPUs free. The rule takes the GPUs it places out of the nodes' free sets, as the lease table would.
   */
  private schedulePass(): void {
    if (this.queue.length === 0) return;
    const capacity: NodeCapacity[] = [];
    for (const state of this.supply.rankedOn(dayOf(this.config.from, this.now))) {
      if (state.capacity.free.size === 0 || this.supply.upUntil(state, this.now) === null) continue;
      state.capacity.reservedFor = null;
      capacity.push(state.capacity);
    }
    if (capacity.length === 0) return;
    const placements = planPlacements(
      this.queue.map((j) => j.queued),
      capacity,
    );
    for (const p of placements) {
      const job = this.jobsById.get(p.jobId) as SimJob;
      this.place(job, this.supply.byId.get(p.node.id) as SupplyNode, p.gpuIndexes, p.resumeFromUnits);
    }
  }

  private place(job: SimJob, state: SupplyNode, gpuIndexes: number[], resume: number): void {
    this.queue.splice(this.queue.indexOf(job), 1);
    const input: AttemptInput = {
      template: job.planned.spec.template,
      gpuCount: job.planned.spec.requirements.gpuCount,
      workUnits: job.planned.spec.workUnits,
      resumeFromUnits: resume,
      budgetMicros: job.planned.budgetMicros,
      chargedBeforeMicros: job.chargedMicros,
      failsAtUnits: job.planned.fate.failsAtUnits,
      checkpointEveryMs: job.planned.fate.checkpointEveryMs,
      node: state.node,
      upUntil: this.supply.upUntil(state, this.now) ?? this.now,
      assignedAt: this.now,
    };
    const life: AttemptLife = {
      ...planAttempt(job.rng, input, this.config.timing),
      node: state.node,
      gpuIndexes,
    };
    job.attempts.push(life);
    job.active = { life, input, state };
    job.queued.attempt_count += 1;
    job.queued.fencing_token = String(Number(job.queued.fencing_token) + 1);
    this.events.push(life.end.at, { kind: 'end', job, life });
  }

  private release(job: SimJob): AttemptLife | null {
    const active = job.active;
    if (!active) return null;
    for (const i of active.life.gpuIndexes) active.state.capacity.free.add(i);
    job.active = null;
    job.chargedMicros += active.life.chargedMicros;
    const last = active.life.checkpoints.at(-1);
    if (last && last.units > job.checkpointUnits) job.checkpointUnits = last.units;
    if (this.queue.length) this.requestPass(this.now);
    return active.life;
  }

  private endAttempt(job: SimJob, life: AttemptLife): void {
    if (job.final || job.active?.life !== life) return;
    this.release(job);
    switch (life.end.kind) {
      case 'completed':
        return this.finish(job, 'succeeded');
      case 'failed':
        return this.finish(job, 'failed', job.rng.pick(CRASHES));
      case 'out_of_budget':
        return this.finish(job, 'out_of_budget');
      default:
        if (job.attempts.length >= this.config.maxAttempts) return this.finish(job, 'failed');
        job.queued.checkpoint_units = String(job.checkpointUnits);
        this.enqueue(job);
    }
  }

  private cancel(job: SimJob): void {
    const active = job.active;
    if (active) {
      const cancelled: AttemptLife = {
        ...cancelAttempt(active.life, active.input, this.now, this.config.timing),
        node: active.life.node,
        gpuIndexes: active.life.gpuIndexes,
      };
      job.attempts[job.attempts.length - 1] = cancelled;
      active.life = cancelled;
      this.release(job);
    } else {
      this.queue.splice(this.queue.indexOf(job), 1);
    }
    this.finish(job, 'cancelled');
  }

  /** The history ends: a running attempt is preempted from its last checkpoint; the job stays queued. */
  private handOver(job: SimJob): void {
    const active = job.active;
    if (active) {
      const handed: AttemptLife = {
        ...handOverAttempt(active.life, active.input, this.now, this.config.timing),
        node: active.life.node,
        gpuIndexes: active.life.gpuIndexes,
      };
      job.attempts[job.attempts.length - 1] = handed;
      active.life = handed;
      this.release(job);
    }
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.finish(job, 'queued');
  }

  private finish(job: SimJob, state: JobLifeState, error: string | null = null): void {
    job.final = true;
    this.jobsById.delete(job.queued.id);
    // A job handed over keeps its hold: the live network goes on spending it.
    if (state !== 'queued') job.customer.available += job.planned.budgetMicros - job.chargedMicros;
    this.open.set(job.day, (this.open.get(job.day) ?? 1) - 1);
    this.dayRecord(job.day).jobs.push({
      seq: job.seq,
      customer: job.customer.plan,
      planned: job.planned,
      launchAt: job.launchAt,
      attempts: job.attempts,
      state,
      endedAt: this.now,
      error,
      chargedMicros: job.chargedMicros,
    });
  }
}
