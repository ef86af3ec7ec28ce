import { randomBytes } from 'node:crypto';
import type { ManualClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, nodeGpus, nodeStatusIntervals, nodeVerifications, nodes } from '@/lib/db/schema';
import { processHeartbeat } from '@/lib/agent/heartbeat';
import { newNodeToken } from '@/lib/agent/register';
import type {
  Assignment,
  BenchmarkAnswer,
  BenchmarkChallenge,
  HeartbeatResponse,
  LeaseReport,
} from '@/lib/agent/schemas';
import { DEFAULT_ORCHESTRATION, type OrchestrationConfig } from '@/lib/jobs/config';
import { DEFAULT_VERIFICATION } from '@/lib/verification/config';
import { laneAnswer } from '@/lib/verification/known-answer';
import { evaluateBenchmark } from '@/lib/verification/benchmark';
import { gpuModel } from '@/lib/market/gpu-models';
import { launchJob } from '@/lib/jobs/launch';
import type { JobSpec } from '@/lib/jobs/schemas';
import { creditDeposit } from '@/lib/ledger/operations';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { orchestrationTick } from '@/lib/worker/background-loops';
import { eq } from 'drizzle-orm';

export const USDC = 1_000_000n;
/** Tests get no canaries unless they ask (so job counts stay theirs) and small benchmarks. */
export const TEST_ORCHESTRATION: OrchestrationConfig = {
  ...DEFAULT_ORCHESTRATION,
  verification: { ...DEFAULT_VERIFICATION, canaryRate: 0, benchmarkSteps: 200, canarySteps: 200 },
};

function wallet(): string {
  return `0x${randomBytes(20).toString('hex')}`;
}

export async function createAccount(db: Db, clock: ManualClock, name = 'account'): Promise<string> {
  const [row] = await db
    .insert(accounts)
    .values({ walletAddress: wallet(), displayName: name, createdAt: clock.now() })
    .returning({ id: accounts.id });
  return (row as { id: string }).id;
}

export async function createCustomer(db: Db, clock: ManualClock, usdc: bigint): Promise<string> {
  const id = await createAccount(db, clock, 'customer');
  await creditDeposit(db, clock, { customer: id, amountMicros: usdc * USDC, memo: 'test deposit' });
  return id;
}

export interface TestNodeInput {
  owner: string;
  model?: string;
  gpuCount?: number;
  priceMicros?: bigint;
  region?: string;
  vramGb?: number;
  /** false: a new node that has never passed a benchmark (the default is a node verified at creation). */
  verified?: boolean;
}

/** A registered, online node with a token, listed on the market (as after its agent registered). */
export async function createNode(db: Db, clock: ManualClock, input: TestNodeInput) {
  const now = clock.now();
  const token = newNodeToken();
  const gpuCount = input.gpuCount ?? 1;
  const [node] = await db
    .insert(nodes)
    .values({
      ownerAccountId: input.owner,
      name: `node-${randomBytes(3).toString('hex')}`,
      region: input.region ?? 'eu-west',
      gpuModel: input.model ?? 'rtx-4090-24gb',
      gpuCount,
      vramGb: input.vramGb ?? 24,
      interconnect: 'pcie',
      bandwidthMbps: 1000,
      cpuCores: 16,
      ramGb: 64,
      diskGb: 1000,
      cudaVersion: '12.4',
      pricePerGpuHourMicros: input.priceMicros ?? 400_000n,
      status: 'online',
      statusSince: now,
      lastHeartbeatAt: now,
      verificationState: input.verified === false ? 'unverified' : 'verified',
      tokenHash: token.hash,
      createdAt: now,
    })
    .returning();
  if (!node) throw new Error('node insert failed');
  await db.insert(nodeGpus).values(
    Array.from({ length: gpuCount }, (_, index) => ({
      nodeId: node.id,
      index,
      model: node.gpuModel,
      vramGb: node.vramGb,
      serial: `GPU-${randomBytes(4).toString('hex')}`,
    })),
  );
  await db.insert(nodeStatusIntervals).values({ nodeId: node.id, status: 'online', startedAt: now });
  if (input.verified !== false) {
    const score = gpuModel(node.gpuModel).relativeThroughput;
    await db.insert(nodeVerifications).values({
      nodeId: node.id,
      method: 'benchmark',
      ...evaluateBenchmark(node.gpuModel, score, true),
      measuredScore: score,
      createdAt: now,
    });
  }
  await refreshOffers(db, clock, [node.id]);
  return { ...node, token: token.token };
}

export function testSpec(
  overrides: Partial<Omit<JobSpec, 'requirements'>> & {
    requirements?: Partial<JobSpec['requirements']>;
  } = {},
): JobSpec {
  const { requirements, ...rest } = overrides;
  return {
    name: 'render test',
    template: 'render',
    image: 'linuxserver/blender:4.2.3',
    command: ['blender', '-b', 'scene.blend'],
    env: {},
    workUnits: 240,
    budgetMicros: (20n * USDC).toString(),
    ...rest,
    requirements: { gpuModels: [], gpuCount: 1, minVramGb: 0, ...requirements },
  };
}

export async function launch(db: Db, clock: ManualClock, customer: string, spec: JobSpec = testSpec()) {
  return launchJob(db, clock, { accountId: customer, spec });
}

interface Workload {
  assignment: Assignment;
  progress: number;
  lastCheckpoint: number;
  reportedCheckpoint: number;
  done: boolean;
}

/**
 * A scripted agent for tests: it speaks the heartbeat protocol through the same domain function the route
 * calls, runs each assignment at `unitsPerSecond` of simulated time, checkpoints every `checkpointEvery`
 * units, and reports completion. `alive = false` makes it vanish (no heartbeats).
 */
export interface AgentBehaviour {
  /** Real speed ÷ the claimed model's: below ~0.85 the node answers benchmarks too late. */
  speedFactor?: number;
  /** Whether the node skips an assignment (completes it on time without doing it: a wrong result). */
  skips?: (attemptId: string) => boolean;
  /** Whether an assignment's workload fails (exits non-zero) when it would have completed: a user error. */
  fails?: (attemptId: string) => boolean;
}

export class ScriptedAgent {
  readonly workloads = new Map<string, Workload>();
  alive = true;
  lastReply: HeartbeatResponse | null = null;
  /** The benchmark being run: the challenge and when it arrived. */
  private benchmark: { challenge: BenchmarkChallenge; startedAt: number } | null = null;
  behaviour: AgentBehaviour = {};

  constructor(
    readonly db: Db,
    readonly clock: ManualClock,
    readonly nodeId: string,
    readonly unitsPerSecond: number,
    readonly checkpointEvery: number,
    readonly config: OrchestrationConfig = TEST_ORCHESTRATION,
  ) {}

  /** Advances each workload by `seconds` of work, then heartbeats with the reports. */
  async heartbeat(seconds: number): Promise<HeartbeatResponse | null> {
    if (!this.alive) return null;
    const reports: LeaseReport[] = [];
    for (const w of this.workloads.values()) {
      w.progress = Math.min(w.assignment.workUnits, w.progress + Math.round(this.unitsPerSecond * seconds));
      if (w.progress >= w.assignment.workUnits) w.done = true;
      const due = Math.floor(w.progress / this.checkpointEvery) * this.checkpointEvery;
      if (due > w.lastCheckpoint) w.lastCheckpoint = due;
      const failed = w.done && (this.behaviour.fails?.(w.assignment.attemptId) ?? false);
      const report: LeaseReport = {
        attemptId: w.assignment.attemptId,
        fencingToken: w.assignment.fencingToken,
        state: failed ? 'failed' : w.done ? 'completed' : 'running',
        ...(failed ? { exitCode: 1, error: 'workload exited with code 1' } : {}),
        progressUnits: w.progress,
        logs: [{ at: this.clock.now().toISOString(), stream: 'stdout', text: `progress ${w.progress}` }],
      };
      if (w.done && !failed) {
        const result = this.resultOf(w.assignment);
        if (result) report.result = result;
      }
      if (w.lastCheckpoint > w.reportedCheckpoint) {
        report.checkpoint = { units: w.lastCheckpoint, ref: `ckpt-${w.lastCheckpoint}` };
        w.reportedCheckpoint = w.lastCheckpoint;
      }
      reports.push(report);
    }
    const [node] = await this.db.select().from(nodes).where(eq(nodes.id, this.nodeId));
    if (!node) throw new Error('node vanished from the database');
    const benchmark = this.benchmarkAnswer();
    const reply = await processHeartbeat(this.db, this.clock, this.config, node, {
      status: 'online',
      telemetry: [{ index: 0, utilizationPct: 97, memoryUsedMb: 20_000, temperatureC: 70, powerW: 400 }],
      leases: reports,
      ...(benchmark ? { benchmark } : {}),
    });
    if (reply.benchmark && reply.benchmark.challengeId !== this.benchmark?.challenge.challengeId)
      this.benchmark = { challenge: reply.benchmark, startedAt: this.clock.now().getTime() };
    if (!reply.benchmark) this.benchmark = null;
    for (const report of reports) if (report.state !== 'running') this.workloads.delete(report.attemptId);
    for (const c of reply.cancellations) this.workloads.delete(c.attemptId);
    for (const a of reply.assignments)
      if (!this.workloads.has(a.attemptId))
        this.workloads.set(a.attemptId, {
          assignment: a,
          progress: a.resumeFrom.units,
          lastCheckpoint: a.resumeFrom.units,
          reportedCheckpoint: a.resumeFrom.units,
          done: false,
        });
    this.lastReply = reply;
    return reply;
  }

  /** A known-answer job's result (honest: computed; skipped: a digest of nothing), or none for other work. */
  private resultOf(assignment: Assignment): string | undefined {
    const seed = assignment.env.BACKFILL_KA_SEED;
    const steps = Number(assignment.env.BACKFILL_KA_STEPS);
    if (seed === undefined) return undefined;
    if (this.behaviour.skips?.(assignment.attemptId)) return 'f'.repeat(64);
    return laneAnswer(seed, 0, steps);
  }

  /** The benchmark answer, once this node's speed would have finished it. */
  private benchmarkAnswer(): BenchmarkAnswer | null {
    if (!this.benchmark) return null;
    const { challenge, startedAt } = this.benchmark;
    const takesMs = challenge.referenceMs / (this.behaviour.speedFactor ?? 1);
    if (this.clock.now().getTime() - startedAt < takesMs) return null;
    return {
      challengeId: challenge.challengeId,
      lanes: Array.from({ length: challenge.lanes }, (_, lane) =>
        laneAnswer(challenge.seed, lane, challenge.steps),
      ),
    };
  }
}

/**
 * Runs the world forward in `stepSeconds` steps of the injected clock (no sleeping): every live agent
 * heartbeats, then the orchestration tick fails over silent nodes and places queued jobs.
 */
export async function runWorld(
  db: Db,
  clock: ManualClock,
  agents: readonly ScriptedAgent[],
  options: {
    steps: number;
    stepSeconds?: number;
    config?: OrchestrationConfig;
    until?: () => Promise<boolean>;
  },
): Promise<number> {
  const step = options.stepSeconds ?? 5;
  for (let i = 0; i < options.steps; i++) {
    clock.advance(step * 1000);
    for (const agent of agents) await agent.heartbeat(step);
    await orchestrationTick(db, clock, options.config ?? TEST_ORCHESTRATION);
    if (options.until && (await options.until())) return i + 1;
  }
  return options.steps;
}
