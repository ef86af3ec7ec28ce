import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ManualClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import {
  accounts,
  nodeGpus,
  nodeStatusIntervals,
  nodeVerifications,
  nodes,
  storedFiles,
} from '@/lib/db/schema';
import { processHeartbeat, type LeaseFileAccess } from '@/lib/agent/heartbeat';
import type { FilesConfig } from '@/lib/files/config';
import { completeLeaseUpload, createLeaseUpload } from '@/lib/files/lease-files';
import { testBlobStore } from '@/lib/testing/api-harness';
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
import { computeCommitment, revealRound, type ProofCommitment } from '@/lib/verification/gpu-proof';
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
  verification: { ...DEFAULT_VERIFICATION, canaryRate: 0, proofSize: 'development', canarySteps: 200 },
};

/** File limits for tests: generous, and the lifetimes of the defaults. */
export const TEST_FILES_CONFIG: FilesConfig = {
  quotaBytes: 1024 ** 3,
  maxFileBytes: 256 * 1024 ** 2,
  outputRetentionMs: 30 * 86_400_000,
  inputRetentionMs: 30 * 86_400_000,
  uploadUrlSeconds: 3600,
  downloadUrlSeconds: 900,
  leaseUrlSeconds: 3600,
};

/** What a heartbeat needs for files in a test: a real embedded store in a temporary directory. */
export function testLeaseFiles(clock?: ManualClock): LeaseFileAccess {
  return { store: testBlobStore(clock), config: TEST_FILES_CONFIG, origin: null };
}

const worldFiles = new WeakMap<Db, LeaseFileAccess>();

/**
 * The marketplace's store of one test world (one database): every ScriptedAgent of the world uploads into it,
 * so a checkpoint one node uploaded is there for the node that resumes from it.
 */
export function worldLeaseFiles(db: Db, clock?: ManualClock): LeaseFileAccess {
  let files = worldFiles.get(db);
  if (!files) {
    files = testLeaseFiles(clock);
    worldFiles.set(db, files);
  }
  return files;
}

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
      ...evaluateBenchmark(node.gpuModel, score, null),
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
    inputs: [],
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
  /**
   * How it runs the GPU proof: honestly (the default); `unsupported` (no GPU engine); `skipsRounds` (commits
   * random leaves for half the rounds, as a node doing half the work would); `noReveal` (never reveals).
   */
  proof?: 'honest' | 'unsupported' | 'skipsRounds' | 'noReveal';
  /** Whether the node skips an assignment (completes it on time without doing it: a wrong result). */
  skips?: (attemptId: string) => boolean;
  /** Whether an assignment's workload fails (exits non-zero) when it would have completed: a user error. */
  fails?: (attemptId: string) => boolean;
}

export class ScriptedAgent {
  readonly workloads = new Map<string, Workload>();
  alive = true;
  lastReply: HeartbeatResponse | null = null;
  /** The benchmark being run: the challenge, when it arrived, and how far the node got. */
  private benchmark: {
    challenge: BenchmarkChallenge;
    startedAt: number;
    acked: boolean;
    commitment: ProofCommitment | null;
    revealed: boolean;
  } | null = null;
  behaviour: AgentBehaviour = {};

  constructor(
    readonly db: Db,
    readonly clock: ManualClock,
    readonly nodeId: string,
    readonly unitsPerSecond: number,
    readonly checkpointEvery: number,
    readonly config: OrchestrationConfig = TEST_ORCHESTRATION,
    readonly files: LeaseFileAccess = worldLeaseFiles(db, clock),
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
      reports.push(report);
    }
    const [node] = await this.db.select().from(nodes).where(eq(nodes.id, this.nodeId));
    if (!node) throw new Error('node vanished from the database');
    const benchmark = await this.benchmarkAnswer();
    const reply = await processHeartbeat(this.db, this.clock, this.config, this.files, node, {
      status: 'online',
      telemetry: [{ index: 0, utilizationPct: 97, memoryUsedMb: 20_000, temperatureC: 70, powerW: 400 }],
      leases: reports,
      ...(benchmark ? { benchmark } : {}),
    });
    // New checkpoints go up the way a real agent's do: a signed upload, then the acknowledgment that keeps it.
    for (const w of this.workloads.values())
      if (
        w.lastCheckpoint > w.reportedCheckpoint &&
        !w.done &&
        !reply.cancellations.some((c) => c.attemptId === w.assignment.attemptId)
      ) {
        await this.uploadCheckpoint(w.assignment, w.lastCheckpoint);
        w.reportedCheckpoint = w.lastCheckpoint;
      }
    const fresh = reply.benchmark && reply.benchmark.challengeId !== this.benchmark?.challenge.challengeId;
    if (reply.benchmark && this.benchmark && !fresh) this.benchmark.challenge = reply.benchmark;
    if (reply.benchmark && fresh)
      this.benchmark = {
        challenge: reply.benchmark,
        startedAt: this.clock.now().getTime(),
        acked: false,
        commitment: null,
        revealed: false,
      };
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
    // A real agent acknowledges a new challenge at once, and reveals as soon as the rounds are named.
    const revealNow = reply.benchmark?.reveal && this.benchmark?.commitment && !this.benchmark.revealed;
    if (fresh || revealNow) return this.heartbeat(0);
    return reply;
  }

  /** Uploads a small checkpoint file through the store and has the marketplace acknowledge (keep) it. */
  async uploadCheckpoint(assignment: Assignment, units: number): Promise<boolean> {
    const bytes = Buffer.from(`checkpoint of ${assignment.jobId} at ${units}\n`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { fileId } = await createLeaseUpload(
      this.db,
      this.clock,
      this.files.store,
      this.files.config,
      null,
      { id: this.nodeId },
      {
        attemptId: assignment.attemptId,
        fencingToken: assignment.fencingToken,
        kind: 'checkpoint',
        name: `ckpt-${units}`,
        sizeBytes: bytes.length,
        sha256,
        units,
      },
    );
    const [file] = await this.db.select().from(storedFiles).where(eq(storedFiles.id, fileId));
    await this.files.store.put(file?.storageKey ?? '', Readable.from([bytes]), {
      maxBytes: bytes.length,
      expectedSha256: sha256,
    });
    const { kept } = await completeLeaseUpload(
      this.db,
      this.clock,
      this.files.store,
      { id: this.nodeId },
      fileId,
      assignment.fencingToken,
    );
    return kept;
  }

  /** A known-answer job's result (honest: computed; skipped: a digest of nothing), or none for other work. */
  private resultOf(assignment: Assignment): string | undefined {
    const seed = assignment.env.BACKFILL_KA_SEED;
    const steps = Number(assignment.env.BACKFILL_KA_STEPS);
    if (seed === undefined) return undefined;
    if (this.behaviour.skips?.(assignment.attemptId)) return 'f'.repeat(64);
    return laneAnswer(seed, 0, steps);
  }

  /** The proof's next answer: ack first, the root once this node's speed would have finished, then reveals. */
  private async benchmarkAnswer(): Promise<BenchmarkAnswer | null> {
    const run = this.benchmark;
    if (!run) return null;
    const { challenge } = run;
    const { challengeId } = challenge;
    const mode = this.behaviour.proof ?? 'honest';
    if (mode === 'unsupported') return { challengeId, phase: 'unsupported', reason: 'no GPU engine here' };
    if (!run.acked) {
      run.acked = true;
      return { challengeId, phase: 'ack' };
    }
    const params = { seed: challenge.seed, m: challenge.m, k: challenge.k, rounds: challenge.rounds };
    if (!run.commitment) {
      const takesMs = challenge.referenceMs / (this.behaviour.speedFactor ?? 1);
      if (this.clock.now().getTime() - run.startedAt < takesMs) return null;
      run.commitment = await computeCommitment(params, {
        computeRound: mode === 'skipsRounds' ? (r) => r % 2 === 0 : undefined,
      });
      return { challengeId, phase: 'commit', root: run.commitment.root };
    }
    if (!challenge.reveal) return null;
    run.revealed = true;
    if (mode === 'noReveal') return null;
    const commitment = run.commitment;
    // A skipped round has no fingerprint that hashes to its leaf: the node sends what it can (the wrong one).
    return {
      challengeId,
      phase: 'reveal',
      reveals: challenge.reveal.map((round) => revealRound(params, commitment, round)),
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
