import type { BenchmarkEngine } from '@/lib/agent/benchmark';
import { AgentClient } from '@/lib/agent/client';
import { HeartbeatPacer } from '@/lib/agent/heartbeat-schedule';
import { createVirtualLeaseData } from '@/simulator/sim/virtual-lease-data';

/** What a virtual node calls: heartbeats, and the uploads of its checkpoints and outputs. */
export type FleetClient = Pick<AgentClient, 'heartbeat' | 'createUpload' | 'completeUpload' | 'fetcher'>;
import { AgentRuntime, NodeTokenRejectedError, type LeaseSnapshot } from '@/lib/agent/runtime';
import { AGENT_VERSION } from '@/lib/agent/version';
import type { Clock } from '@/lib/clock';
import type { GpuTelemetry } from '@/lib/db/schema/nodes';
import { ComputeQueue, createVirtualBenchmarkEngine } from '@/simulator/sim/benchmark-engine';
import type { FleetCredentials, FleetNode } from '@/simulator/sim/credentials';
import {
  DEFAULT_LOSS_OPTIONS,
  nextLoss,
  nodeRng,
  skipsAssignment,
  type LossEvent,
  type LossOptions,
} from '@/simulator/sim/profile';
import { createVirtualRunner } from '@/simulator/sim/virtual-runner';
import { gpuModel } from '@/lib/market/gpu-models';
import type { Rng } from '@/lib/random';
import { realTimers, type Timers } from '@/simulator/sim/timers';

/**
 * The simulated fleet: every demo node as a virtual agent — the real agent runtime and HTTP client, with the
 * virtual runner instead of processes — heartbeating the marketplace like a real supplier. Benchmark
 * challenges (the GPU proof) are answered with the real proof, at development sizes, at each node's true speed,
 * canaries with the known answer (or, by a skip-work cheater, sometimes a wrong one). Heartbeats are paced as
 * the real agent paces them (a random first offset within the interval, then ±20 % jitter, backoff after
 * failures: lib/agent/heartbeat-schedule.ts), drawn from the seed; hosts vanish silently now and then
 * (deterministically from the seed) and come back later; the control endpoint kills and revives nodes by hand.
 * Documented in docs/fleet.md.
 */

/**
 * The virtual agents run this package's agent runtime, so they report its version: the demo keeps working
 * when the marketplace sets a MIN_AGENT_VERSION that the current agent meets.
 */
export const FLEET_AGENT_VERSION = AGENT_VERSION;
/** The longest delay a Node timer takes (2^31 − 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type KilledBy = 'control' | 'simulated_loss' | 'seeded_offline' | 'token_rejected';

export interface FleetNodeView {
  id: string;
  name: string;
  gpuModel: string;
  gpuCount: number;
  archetype: string;
  state: 'alive' | 'killed';
  /** Why a killed node is down. */
  killedBy: KilledBy | null;
  /** When a simulated loss ends by itself. */
  revivesAt: string | null;
  lastHeartbeatReplyAt: string | null;
  attempts: LeaseSnapshot[];
}

export interface FleetOptions {
  credentials: FleetCredentials;
  apiUrl: string;
  clock: Clock;
  seed: number;
  timers?: Timers;
  /** Silent host losses; null turns them off. */
  loss?: LossOptions | null;
  /** The heartbeat interval until the server says otherwise. */
  heartbeatIntervalMs?: number;
  log?: (line: string) => void;
  /** The HTTP client; tests may stand in for the marketplace with their own. */
  client?: FleetClient;
}

/** Typical board power by model, for believable telemetry. */
const BOARD_POWER_W: Record<string, number> = {
  'h200-141gb': 700,
  'h100-80gb': 700,
  'a100-80gb': 400,
  'a100-40gb': 400,
  'l40s-48gb': 350,
  'l4-24gb': 72,
  'rtx-a6000-48gb': 300,
  'rtx-4090-24gb': 450,
  'rtx-3090-24gb': 350,
};

class VirtualNode {
  state: 'alive' | 'killed' = 'alive';
  killedBy: KilledBy | null = null;
  revivesAt: Date | null = null;
  beatTimer: unknown = null;
  lossTimer: unknown = null;
  readonly runtime: AgentRuntime;

  constructor(
    readonly node: FleetNode,
    readonly lossRng: Rng,
    private readonly noise: Rng,
    readonly pacer: HeartbeatPacer,
    client: FleetClient,
    clock: Clock,
    intervalMs: number,
    log: (line: string) => void,
    benchmark: BenchmarkEngine,
  ) {
    this.runtime = new AgentRuntime({
      client,
      nodeToken: node.token,
      clock,
      data: createVirtualLeaseData({ client, nodeToken: node.token }),
      runner: createVirtualRunner({
        clock,
        gpuModel: node.gpuModel,
        performanceFactor: node.profile.performanceFactor,
        skips: (attemptId) => skipsAssignment(node.profile, node.id, attemptId),
      }),
      benchmark,
      agentVersion: FLEET_AGENT_VERSION,
      heartbeatIntervalMs: intervalMs,
      heartbeatAttempts: 1,
      telemetry: () => this.telemetry(),
      log: (line) => log(`${node.name}: ${line}`),
    });
  }

  /** Busy GPUs run hot near full power; idle ones sit cool with a little memory in use. */
  telemetry(): GpuTelemetry[] {
    const busy = new Set(this.runtime.snapshot().flatMap((lease) => lease.gpuIndexes));
    const power = BOARD_POWER_W[this.node.gpuModel] ?? 300;
    const vramMb = gpuModel(this.node.gpuModel).vramGb * 1024;
    return Array.from({ length: this.node.gpuCount }, (_, index) => {
      const jitter = this.noise.next();
      return busy.has(index)
        ? {
            index,
            utilizationPct: Math.round(88 + jitter * 11),
            memoryUsedMb: Math.round(vramMb * (0.7 + jitter * 0.2)),
            temperatureC: Math.round(66 + jitter * 12),
            powerW: Math.round(power * (0.78 + jitter * 0.18)),
          }
        : {
            index,
            utilizationPct: 0,
            memoryUsedMb: 3,
            temperatureC: Math.round(31 + jitter * 8),
            powerW: Math.round(power * (0.06 + jitter * 0.04)),
          };
    });
  }
}

export class Fleet {
  private readonly nodes = new Map<string, VirtualNode>();
  private readonly timers: Timers;
  private readonly log: (line: string) => void;
  private readonly loss: LossOptions | null;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private started = false;
  private failures = { count: 0, last: '' };
  private failureTimer: unknown = null;

  constructor(private readonly options: FleetOptions) {
    this.timers = options.timers ?? realTimers;
    this.log = options.log ?? ((line) => console.log(`[fleet] ${line}`));
    this.loss = options.loss === undefined ? DEFAULT_LOSS_OPTIONS : options.loss;
    this.clock = options.clock;
    this.intervalMs = options.heartbeatIntervalMs ?? 5_000;
    const client =
      options.client ?? new AgentClient({ apiUrl: options.apiUrl, maxAttempts: 1, timeoutMs: 15_000 });
    // Sorted by name so nothing (the order of timers, the proof queue) depends on the file's order.
    const sorted = [...options.credentials.nodes].sort((a, b) => a.name.localeCompare(b.name));
    const benchmarkQueue = new ComputeQueue();
    for (const node of sorted) {
      const virtual = new VirtualNode(
        node,
        nodeRng(options.seed, node.id),
        nodeRng(options.seed + 1, node.id),
        new HeartbeatPacer({ random: nodeRng(options.seed + 2, node.id).next }),
        client,
        this.clock,
        this.intervalMs,
        this.log,
        createVirtualBenchmarkEngine({
          clock: this.clock,
          timers: this.timers,
          performanceFactor: node.profile.performanceFactor,
          queue: benchmarkQueue,
        }),
      );
      if (!node.heartbeats || node.quarantined) {
        virtual.state = 'killed';
        virtual.killedBy = 'seeded_offline';
      }
      this.nodes.set(node.id, virtual);
    }
  }

  /** Starts heartbeating the live nodes, each first at a random point within one interval. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const virtual of this.nodes.values()) {
      if (virtual.state !== 'alive') continue;
      this.scheduleBeat(virtual, virtual.pacer.firstDelayMs(this.intervalMs));
      this.scheduleLoss(virtual);
    }
    this.reportFailures();
  }

  /** Stops every timer and drops every workload; the marketplace fails them over if the fleet stays away. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.failureTimer !== null) this.timers.clearTimeout(this.failureTimer);
    await Promise.all(
      [...this.nodes.values()].map(async (virtual) => {
        this.clearTimers(virtual);
        await virtual.runtime.stopAll();
      }),
    );
  }

  get size(): number {
    return this.nodes.size;
  }

  view(id?: string): FleetNodeView[] {
    const list =
      id === undefined ? [...this.nodes.values()] : [this.nodes.get(id)].filter((v) => v !== undefined);
    return list.map((virtual) => ({
      id: virtual.node.id,
      name: virtual.node.name,
      gpuModel: virtual.node.gpuModel,
      gpuCount: virtual.node.gpuCount,
      archetype: virtual.node.profile.archetype,
      state: virtual.state,
      killedBy: virtual.killedBy,
      revivesAt: virtual.revivesAt?.toISOString() ?? null,
      lastHeartbeatReplyAt: virtual.runtime.lastHeartbeatReplyAt?.toISOString() ?? null,
      attempts: virtual.runtime.snapshot(),
    }));
  }

  counts(): { total: number; alive: number; killed: number; runningAttempts: number } {
    let alive = 0;
    let runningAttempts = 0;
    for (const virtual of this.nodes.values()) {
      if (virtual.state === 'alive') alive += 1;
      runningAttempts += virtual.runtime.snapshot().length;
    }
    return { total: this.nodes.size, alive, killed: this.nodes.size - alive, runningAttempts };
  }

  /** One heartbeat of one node now (tests drive the fleet with this instead of timers). */
  async beat(id: string): Promise<void> {
    const virtual = this.nodes.get(id);
    if (virtual) await this.heartbeat(virtual);
  }

  /** The host vanishes: no more heartbeats, its workloads are gone. Null for an unknown node. */
  async kill(id: string, by: KilledBy = 'control'): Promise<FleetNodeView | null> {
    const virtual = this.nodes.get(id);
    if (!virtual) return null;
    if (virtual.state === 'alive') await this.takeDown(virtual, by);
    else if (by === 'control') {
      // A pending automatic revival no longer applies: the operator keeps it down.
      this.clearTimers(virtual);
      virtual.killedBy = virtual.killedBy === 'seeded_offline' ? 'seeded_offline' : 'control';
      virtual.revivesAt = null;
    }
    return this.view(id)[0] ?? null;
  }

  /** Brings a node back as a freshly rebooted host. Quarantined nodes stay down (an Error says why). */
  revive(id: string): FleetNodeView | null {
    const virtual = this.nodes.get(id);
    if (!virtual) return null;
    if (virtual.node.quarantined) throw new Error(`${virtual.node.name} is quarantined and never heartbeats`);
    if (virtual.state === 'killed') this.bringUp(virtual);
    return this.view(id)[0] ?? null;
  }

  /** Kills a share of the live nodes at once, chosen by `rng` (the demo's "lose 30 % of the fleet"). */
  async killShare(share: number, rng: Rng): Promise<FleetNodeView[]> {
    const alive = [...this.nodes.values()].filter((v) => v.state === 'alive');
    const count = Math.round(alive.length * Math.min(1, Math.max(0, share)));
    const chosen: VirtualNode[] = [];
    const pool = [...alive];
    while (chosen.length < count && pool.length > 0) {
      const [picked] = pool.splice(Math.floor(rng.next() * pool.length), 1);
      if (picked) chosen.push(picked);
    }
    await Promise.all(chosen.map((virtual) => this.takeDown(virtual, 'control')));
    return chosen.flatMap((virtual) => this.view(virtual.node.id));
  }

  private clearTimers(virtual: VirtualNode): void {
    if (virtual.beatTimer !== null) this.timers.clearTimeout(virtual.beatTimer);
    if (virtual.lossTimer !== null) this.timers.clearTimeout(virtual.lossTimer);
    virtual.beatTimer = null;
    virtual.lossTimer = null;
  }

  private async takeDown(virtual: VirtualNode, by: KilledBy): Promise<void> {
    this.clearTimers(virtual);
    virtual.state = 'killed';
    virtual.killedBy = by;
    virtual.revivesAt = null;
    await virtual.runtime.stopAll();
    virtual.runtime.reset();
  }

  private bringUp(virtual: VirtualNode): void {
    this.clearTimers(virtual);
    virtual.runtime.reset();
    virtual.state = 'alive';
    virtual.killedBy = null;
    virtual.revivesAt = null;
    if (!this.started) return;
    // As a rebooted agent does: within one interval, so nodes revived together do not heartbeat together.
    this.scheduleBeat(virtual, virtual.pacer.firstDelayMs(virtual.runtime.heartbeatIntervalMs));
    this.scheduleLoss(virtual);
  }

  private scheduleBeat(virtual: VirtualNode, delayMs: number): void {
    virtual.beatTimer = this.timers.setTimeout(() => {
      virtual.beatTimer = null;
      const sentAt = this.clock.now().getTime();
      void this.heartbeat(virtual).then((ok) => {
        if (this.started && virtual.state === 'alive' && virtual.beatTimer === null) {
          const elapsed = this.clock.now().getTime() - sentAt;
          this.scheduleBeat(
            virtual,
            virtual.pacer.nextDelayMs(virtual.runtime.heartbeatIntervalMs, elapsed, ok),
          );
        }
      });
    }, delayMs);
  }

  /** One heartbeat; true when it was answered. */
  private async heartbeat(virtual: VirtualNode): Promise<boolean> {
    if (virtual.state !== 'alive') return false;
    try {
      await virtual.runtime.tick();
      return true;
    } catch (error) {
      if (error instanceof NodeTokenRejectedError) {
        this.log(`${virtual.node.name}: the marketplace refused its node token (401); it stops heartbeating`);
        await this.takeDown(virtual, 'token_rejected');
        return false;
      }
      this.failures.count += 1;
      this.failures.last = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /** Heartbeat failures are summed up every 30 s instead of printed 300 times. */
  private reportFailures(): void {
    this.failureTimer = this.timers.setTimeout(() => {
      if (this.failures.count > 0)
        this.log(`${this.failures.count} heartbeats failed in the last 30 s (last: ${this.failures.last})`);
      this.failures = { count: 0, last: '' };
      if (this.started) this.reportFailures();
    }, 30_000);
  }

  private scheduleLoss(virtual: VirtualNode): void {
    if (!this.loss) return;
    const event = nextLoss(virtual.lossRng, virtual.node.profile, this.loss);
    if (!Number.isFinite(event.afterMs)) return;
    this.armLoss(virtual, event, event.afterMs);
  }

  /** Timers take at most ~24.8 days; a data center's next loss can be further out, so it waits in legs. */
  private armLoss(virtual: VirtualNode, event: LossEvent, remainingMs: number): void {
    const leg = Math.min(remainingMs, MAX_TIMER_MS);
    virtual.lossTimer = this.timers.setTimeout(() => {
      virtual.lossTimer = null;
      if (virtual.state !== 'alive') return;
      if (remainingMs > leg) return this.armLoss(virtual, event, remainingMs - leg);
      const lost = virtual.runtime.snapshot().length;
      void this.takeDown(virtual, 'simulated_loss').then(() => {
        virtual.revivesAt = new Date(this.clock.now().getTime() + event.downMs);
        this.log(
          `${virtual.node.name} vanished (simulated host loss${lost > 0 ? `, ${lost} attempt(s) with it` : ''}); ` +
            `back in ${Math.round(event.downMs / 60_000)} min`,
        );
        virtual.lossTimer = this.timers.setTimeout(() => {
          virtual.lossTimer = null;
          if (virtual.state === 'killed' && virtual.killedBy === 'simulated_loss') {
            this.log(`${virtual.node.name} is back`);
            this.bringUp(virtual);
          }
        }, event.downMs);
      });
    }, leg);
  }
}
