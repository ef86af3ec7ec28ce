import { spawn } from 'node:child_process';
import path from 'node:path';
import { AgentClient, type CallOptions } from '@/lib/agent/client';
import type { HeartbeatRequestInput, HeartbeatResponse } from '@/lib/agent/schemas';
import { systemClock } from '@/lib/clock';
import type { FleetNode } from '@/simulator/sim/credentials';
import { Fleet, type FleetClient } from '@/simulator/sim/fleet';
import { WORKER_APPLICATION, type BenchProcess } from '@/scripts/bench/lib/heartbeat-stack';
import { machineCpuSeconds } from '@/scripts/bench/lib/proc';
import { summarize, type LatencySummary } from '@/scripts/bench/lib/stats';

/**
 * One step of the heartbeat benchmark: `nodes` virtual agents of the simulated fleet (the real agent runtime
 * and HTTP client, paced as the real agent paces itself) heartbeat the marketplace from this process; after
 * the warm-up, every process's CPU is read before and after the measured window, and a separate process
 * times a trivial request every 50 ms meanwhile.
 */

const root = process.cwd();
const tsxBin = path.join(root, 'node_modules', '.bin', 'tsx');

/** The CPU readers of everything the benchmark started, by role. */
export interface Processes {
  web: BenchProcess[];
  worker: BenchProcess;
  loadBalancer: BenchProcess | null;
  postgresCpuSeconds(): number;
  postgresBackends(): Promise<Map<number, { application: string; cpuSeconds: number }>>;
}

export interface CpuShares {
  web: number;
  /** PostgreSQL, less what the worker's own connections used: the heartbeats' share (WAL, vacuum included). */
  postgres: number;
  /** All of PostgreSQL. */
  postgresTotal: number;
  worker: number;
  loadBalancer: number;
  driver: number;
  probe: number;
}

export interface StepResult {
  nodes: number;
  durationSeconds: number;
  /** What the nodes' intervals ask for: the sum over nodes of 1 / the interval of their last reply. */
  offeredPerSecond: number;
  /** Heartbeats sent in the window and answered, per second. */
  achievedPerSecond: number;
  answered: number;
  failed: number;
  /** Replies that carried a benchmark challenge or an assignment (none expected: idle, verified nodes). */
  challenges: number;
  assignments: number;
  latency: LatencySummary;
  /** CPU milliseconds per answered heartbeat, by process. */
  cpuMsPerHeartbeat: CpuShares;
  /** Cores busy on average over the window, by process, for the machine, and for everything else on it. */
  cores: CpuShares & { machine: number; other: number };
  /** The trivial request (GET /api/v1/health/live every 50 ms) meanwhile. */
  probe: { latency: LatencySummary; errors: number };
  lastFailure: string | null;
}

interface Sample {
  sentAt: number;
  ms: number;
  ok: boolean;
}

/**
 * The agent's client, timed: every heartbeat's latency, and what the replies carried. With several base URLs
 * (two instances and no load balancer) it takes them in turn.
 */
class TimedClient {
  recording = false;
  readonly samples: Sample[] = [];
  readonly intervals = new Map<string, number>();
  challenges = 0;
  assignments = 0;
  lastFailure: string | null = null;
  private turn = 0;

  constructor(private readonly clients: readonly AgentClient[]) {}

  get fetcher(): typeof fetch {
    return fetch;
  }

  async heartbeat(
    token: string,
    body: HeartbeatRequestInput,
    options?: CallOptions,
  ): Promise<HeartbeatResponse> {
    const recording = this.recording;
    const sentAt = performance.now();
    const client = this.clients[this.turn++ % this.clients.length] as AgentClient;
    try {
      const reply = await client.heartbeat(token, body, options);
      this.intervals.set(token, reply.heartbeatIntervalMs);
      if (recording) {
        this.samples.push({ sentAt, ms: performance.now() - sentAt, ok: true });
        if (reply.benchmark) this.challenges += 1;
        this.assignments += reply.assignments.length;
      }
      return reply;
    } catch (error) {
      if (recording) {
        this.samples.push({ sentAt, ms: performance.now() - sentAt, ok: false });
        this.lastFailure = error instanceof Error ? error.message : String(error);
      }
      throw error;
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Starts the stall probe so that it measures from `startAt` for `durationMs`; resolves with its report. */
function startProbe(
  url: string,
  startAt: number,
  durationMs: number,
): Promise<StepResult['probe'] & { cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      tsxBin,
      ['scripts/bench/lib/stall-probe.ts', `${url}/api/v1/health/live`, String(startAt), String(durationMs)],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as StepResult['probe'] & { cpuSeconds: number });
      } catch {
        reject(new Error(`the stall probe exited with ${code} and printed ${JSON.stringify(out)}`));
      }
    });
  });
}

interface CpuReading {
  web: number;
  postgres: number;
  worker: number;
  loadBalancer: number;
  driver: number;
  machine: number;
  backends: Map<number, { application: string; cpuSeconds: number }>;
}

async function readCpu(processes: Processes): Promise<CpuReading> {
  const backends = await processes.postgresBackends();
  const own = process.cpuUsage();
  return {
    web: processes.web.reduce((sum, web) => sum + web.cpuSeconds(), 0),
    postgres: processes.postgresCpuSeconds(),
    worker: processes.worker.cpuSeconds(),
    loadBalancer: processes.loadBalancer?.cpuSeconds() ?? 0,
    driver: (own.user + own.system) / 1e6,
    machine: machineCpuSeconds().busy,
    backends,
  };
}

/** CPU seconds the backends of `application` used between two readings (a backend opened meanwhile: all of it). */
function backendDelta(before: CpuReading, after: CpuReading, application: string): number {
  let total = 0;
  for (const [pid, backend] of after.backends)
    if (backend.application === application)
      total += backend.cpuSeconds - (before.backends.get(pid)?.cpuSeconds ?? 0);
  return total;
}

type Scalar = Exclude<keyof CpuReading, 'backends'>;

/** Cores busy over a window of `seconds` with no heartbeats at all: what the processes cost on their own. */
export async function measureIdle(processes: Processes, seconds: number): Promise<Record<Scalar, number>> {
  const before = await readCpu(processes);
  await sleep(seconds * 1000);
  const after = await readCpu(processes);
  const per = (key: Scalar) => (after[key] - before[key]) / seconds;
  return {
    web: per('web'),
    postgres: per('postgres'),
    worker: per('worker'),
    loadBalancer: per('loadBalancer'),
    driver: per('driver'),
    machine: per('machine'),
  };
}

export async function runStep(options: {
  /** Where the nodes heartbeat: the instance or the load balancer (several: taken in turn by the client). */
  apiUrls: readonly string[];
  nodes: readonly FleetNode[];
  seed: number;
  warmupSeconds: number;
  durationSeconds: number;
  processes: Processes;
  log: (line: string) => void;
}): Promise<StepResult> {
  const [apiUrl = ''] = options.apiUrls;
  const timed = new TimedClient(
    options.apiUrls.map((url) => new AgentClient({ apiUrl: url, maxAttempts: 1, timeoutMs: 15_000 })),
  );
  const fleet = new Fleet({
    credentials: {
      version: 1,
      createdAt: new Date().toISOString(),
      nodes: [...options.nodes],
      customers: [],
    },
    apiUrl,
    clock: systemClock,
    seed: options.seed,
    loss: null,
    client: timed as unknown as FleetClient,
    log: (line) => options.log(`  fleet: ${line}`),
  });
  fleet.start();
  const durationMs = options.durationSeconds * 1000;
  const windowStart = Date.now() + options.warmupSeconds * 1000;
  const probe = startProbe(apiUrl, windowStart, durationMs);
  try {
    await sleep(windowStart - Date.now());
    const before = await readCpu(options.processes);
    const started = performance.now();
    timed.recording = true;
    await sleep(durationMs);
    timed.recording = false;
    const after = await readCpu(options.processes);
    const elapsed = (performance.now() - started) / 1000;
    const probed = await probe;
    // Heartbeats sent in the window that are still in flight count once answered.
    await sleep(2_000);
    const answered = timed.samples.filter((s) => s.ok);
    const failed = timed.samples.length - answered.length;
    const count = Math.max(1, answered.length);
    const delta = (key: Scalar) => after[key] - before[key];
    const shares: CpuShares = {
      web: delta('web'),
      postgres: Math.max(0, delta('postgres') - backendDelta(before, after, WORKER_APPLICATION)),
      postgresTotal: delta('postgres'),
      worker: delta('worker'),
      loadBalancer: delta('loadBalancer'),
      driver: delta('driver'),
      probe: probed.cpuSeconds,
    };
    const perHeartbeat = Object.fromEntries(
      Object.entries(shares).map(([key, seconds]) => [key, (seconds * 1000) / count]),
    ) as unknown as CpuShares;
    const cores = Object.fromEntries(
      Object.entries(shares).map(([key, seconds]) => [key, seconds / elapsed]),
    ) as unknown as CpuShares;
    const machine = delta('machine') / elapsed;
    const ours = Object.values(cores).reduce((sum, value) => sum + value, 0) - cores.postgres;
    let offered = 0;
    for (const node of options.nodes) offered += 1000 / (timed.intervals.get(node.token) ?? 5_000);
    return {
      nodes: options.nodes.length,
      durationSeconds: elapsed,
      offeredPerSecond: offered,
      achievedPerSecond: answered.length / elapsed,
      answered: answered.length,
      failed,
      challenges: timed.challenges,
      assignments: timed.assignments,
      latency: summarize(answered.map((s) => s.ms)),
      cpuMsPerHeartbeat: perHeartbeat,
      cores: { ...cores, machine, other: Math.max(0, machine - ours) },
      probe: { latency: probed.latency, errors: probed.errors },
      lastFailure: timed.lastFailure,
    };
  } finally {
    await fleet.stop();
  }
}
