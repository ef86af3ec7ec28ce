import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPacedBenchmarkEngine,
  unsupportedBenchmarkEngine,
  type BenchmarkEngine,
  type ProofRun,
} from '@/lib/agent/benchmark';
import { AgentClient, AgentNetworkError, type CallOptions } from '@/lib/agent/client';
import { createDiskLeaseData, leaseDirs, type LeaseData } from '@/lib/agent/lease-data';
import { issueRegistrationToken } from '@/lib/agent/register';
import {
  AgentRuntime,
  MAX_LOGS_PER_REPORT,
  NodeTokenRejectedError,
  type Runner,
  type WorkloadSink,
} from '@/lib/agent/runtime';
import type {
  Assignment,
  BenchmarkChallenge,
  Cancellation,
  HeartbeatRequestInput,
  HeartbeatResponse,
} from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import { createRng } from '@/lib/random';
import type { DatabaseHandle } from '@/lib/db/client';
import {
  jobAttempts,
  jobEvents,
  jobs,
  nodeVerifications,
  nodes,
  storedFiles,
  verificationChallenges,
} from '@/lib/db/schema';
import { cancelJob } from '@/lib/jobs/cancel';
import { useTestServices } from '@/lib/testing/api-harness';
import {
  TEST_ORCHESTRATION,
  createAccount,
  createCustomer,
  createNode,
  launch,
  testSpec,
} from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { orchestrationTick } from '@/lib/worker/background-loops';

/** A runner the test drives by hand: it records what was started and stopped. */
class HandRunner implements Runner {
  readonly name = 'hand';
  readonly workloads = new Map<string, { assignment: Assignment; sink: WorkloadSink; stopped: boolean }>();

  start(assignment: Assignment, sink: WorkloadSink) {
    const workload = { assignment, sink, stopped: false };
    this.workloads.set(assignment.attemptId, workload);
    return {
      stop: async () => {
        workload.stopped = true;
      },
    };
  }

  only(): { assignment: Assignment; sink: WorkloadSink; stopped: boolean } {
    const [first, ...rest] = [...this.workloads.values()];
    if (!first || rest.length > 0) throw new Error(`expected one workload, have ${this.workloads.size}`);
    return first;
  }

  /** The one workload, once started: a lease's files are fetched before its workload starts. */
  started(): Promise<{ assignment: Assignment; sink: WorkloadSink; stopped: boolean }> {
    return vi.waitFor(() => this.only());
  }
}

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A lease data that moves nothing: for runtimes that are never given work. */
const NO_DATA: LeaseData = {
  prepare: async () => undefined,
  uploadCheckpoint: async () => ({ kept: false }),
  uploadOutputs: async () => 0,
  release: async () => undefined,
};

/** The real client, recording every heartbeat body the agent sends. */
function recordingClient(client: AgentClient) {
  const bodies: HeartbeatRequestInput[] = [];
  return {
    bodies,
    heartbeat(token: string, body: HeartbeatRequestInput, options?: CallOptions) {
      bodies.push(structuredClone(body));
      return client.heartbeat(token, body, options);
    },
  };
}

const clock = new ManualClock('2026-11-10T06:00:00Z');
const onNode = (nodeId: string) =>
  testSpec({ requirements: { gpuModels: [], gpuCount: 1, minVramGb: 0, nodeId } });
const HEARTBEAT_MS = TEST_ORCHESTRATION.heartbeatIntervalMs;

describe('agent runtime against the real API', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  let client: AgentClient;
  let supplier: string;
  let customer: string;

  async function registerNode(
    name: string,
    model: 'rtx-4090-24gb' | 'l40s-48gb' = 'rtx-4090-24gb',
  ): Promise<{ nodeId: string; nodeToken: string }> {
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    return client.register({
      registrationToken,
      name,
      region: 'eu-west',
      pricePerGpuHourMicros: '450000',
      gpus: [{ index: 0, model, vramGb: model === 'l40s-48gb' ? 48 : 24, serial: `GPU-${name}` }],
      cpuCores: 16,
      ramGb: 64,
      diskGb: 1000,
      bandwidthMbps: 1000,
      cudaVersion: '12.4',
    });
  }

  async function job(id: string) {
    const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, id));
    if (!row) throw new Error('job vanished');
    return row;
  }

  async function storedFile(id: string | null) {
    const [row] = await handle.db
      .select()
      .from(storedFiles)
      .where(eq(storedFiles.id, id ?? ''));
    return row;
  }

  /** The real agent's lease data: each lease's files on disk under a fresh state directory. */
  function diskData(nodeToken: string) {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'backfill-runtime-'));
    return { stateDir, data: createDiskLeaseData({ stateDir, client, nodeToken }) };
  }

  /** The upload answers the server gave so far: `POST /api/v1/agent/uploads` and `…/complete`. */
  const uploadStatuses = (from = 0) =>
    server.requests
      .slice(from)
      .flatMap((r) => (r.path.startsWith('/api/v1/agent/uploads') ? [r.status] : []));

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock });
    server = await startRouteServer();
    client = new AgentClient({ apiUrl: server.url, maxAttempts: 1 });
    supplier = await createAccount(handle.db, clock, 'supplier');
    customer = await createCustomer(handle.db, clock, 100n);
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  it('starts an assignment once, reports progress, checkpoints and logs in batches, and finishes', async () => {
    const node = await registerNode('runtime-a');
    const runner = new HandRunner();
    const { stateDir, data } = diskData(node.nodeToken);
    const runtime = new AgentRuntime({ client, nodeToken: node.nodeToken, runner, data, clock });
    const launched = await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);

    const first = await runtime.tick();
    expect(first.started).toHaveLength(1);
    const workload = await runner.started();
    expect(workload.assignment.jobId).toBe(launched.id);
    expect(workload.assignment.inputs).toEqual([]);
    expect(workload.assignment.resumeFrom).toEqual({ units: 0, ref: null, checkpoint: null });
    const dirs = leaseDirs(stateDir, workload.assignment.attemptId);

    workload.sink.progress(60);
    // The workload writes its checkpoint, then announces it: the agent uploads the file.
    writeFileSync(path.join(dirs.checkpoints, 'ckpt-60'), 'the state at 60 units');
    workload.sink.checkpoint(60, 'ckpt-60');
    for (let i = 0; i < 700; i++) workload.sink.log('stdout', `line ${i}`);
    // Kept once the marketplace has the bytes and acknowledged them: no heartbeat needed.
    await vi.waitFor(async () => expect((await job(launched.id)).checkpointUnits).toBe(60));
    clock.advance(HEARTBEAT_MS);
    const second = await runtime.tick();
    // Reported now: the server stops repeating the assignment, and nothing starts twice.
    expect(second.started).toEqual([]);
    expect(runner.workloads.size).toBe(1);
    let row = await job(launched.id);
    expect(row.state).toBe('running');
    expect(row.progressUnits).toBe(60);
    expect(row.checkpointUnits).toBe(60);
    expect(await storedFile(row.checkpointRef)).toMatchObject({
      kind: 'checkpoint',
      state: 'ready',
      name: 'ckpt-60',
      checkpointUnits: 60,
      sha256: sha256('the state at 60 units'),
      attemptId: workload.assignment.attemptId,
    });

    clock.advance(HEARTBEAT_MS);
    await runtime.tick();
    const logEvents = await handle.db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, launched.id), eq(jobEvents.type, 'log')));
    const batches = logEvents.map((e) => (e.data.lines as { text: string }[]).map((l) => l.text));
    expect(batches[0]?.length).toBe(MAX_LOGS_PER_REPORT);
    const stdout = batches.flat().filter((text) => text.startsWith('line '));
    expect(stdout).toEqual(Array.from({ length: 700 }, (_, i) => `line ${i}`));
    expect(batches.flat()).toContain('checkpoint ckpt-60 (60 units) uploaded and kept');

    // A clean exit: the outputs go up first, and only then is the lease reported completed.
    writeFileSync(path.join(dirs.output, 'result.txt'), 'rendered');
    workload.sink.progress(240);
    workload.sink.log('stdout', 'done');
    workload.sink.exit({ exitCode: 0 });
    expect(runtime.snapshot()[0]?.state).toBe('running');
    await vi.waitFor(() => expect(runtime.snapshot()[0]?.state).toBe('completed'));
    clock.advance(HEARTBEAT_MS);
    const last = await runtime.tick();
    expect(last.finished).toEqual([workload.assignment.attemptId]);
    expect(runtime.snapshot()).toEqual([]);
    row = await job(launched.id);
    expect(row.state).toBe('succeeded');
    expect(row.progressUnits).toBe(240);
    expect(row.chargedMicros).toBeGreaterThan(0n);
    expect(row.outputs).toEqual([
      { fileId: expect.any(String), name: 'result.txt', sizeBytes: 8, sha256: sha256('rendered') },
    ]);
    // The lease's files are removed from the node once it is over there.
    await vi.waitFor(() => expect(existsSync(dirs.root)).toBe(false));
  });

  it('sends the workload’s last result with the completed report, and only then', async () => {
    const node = await registerNode('runtime-result');
    const runner = new HandRunner();
    const recorder = recordingClient(client);
    const { data } = diskData(node.nodeToken);
    const runtime = new AgentRuntime({ client: recorder, nodeToken: node.nodeToken, runner, data, clock });
    const launched = await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = await runner.started();

    const early = 'a'.repeat(64);
    const last = '0123456789abcdef'.repeat(4);
    workload.sink.progress(10);
    workload.sink.result(early);
    clock.advance(HEARTBEAT_MS);
    await runtime.tick();
    const running = recorder.bodies.at(-1)?.leases?.[0];
    expect(running?.state).toBe('running');
    expect(running).not.toHaveProperty('result');

    workload.sink.result(last);
    workload.sink.result('NOT-A-DIGEST');
    workload.sink.exit({ exitCode: 0 });
    await vi.waitFor(() => expect(runtime.snapshot()[0]?.state).toBe('completed'));
    clock.advance(HEARTBEAT_MS);
    await runtime.tick();
    const final = recorder.bodies.at(-1)?.leases?.[0];
    expect(final).toMatchObject({ state: 'completed', result: last });
    expect(final?.logs?.map((l) => l.text)).toContain(
      'ignored a result that is not 64 lowercase hex characters',
    );
    // The server took the report with its result.
    expect((await job(launched.id)).state).toBe('succeeded');
    expect(server.requests.at(-1)?.status).toBe(200);
  });

  it('never sends a result with a failed report', async () => {
    const node = await registerNode('runtime-result-failed');
    const runner = new HandRunner();
    const recorder = recordingClient(client);
    const { data } = diskData(node.nodeToken);
    const runtime = new AgentRuntime({ client: recorder, nodeToken: node.nodeToken, runner, data, clock });
    await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = await runner.started();
    workload.sink.result('b'.repeat(64));
    workload.sink.exit({ exitCode: 2, error: 'exited with code 2' });
    clock.advance(HEARTBEAT_MS);
    await runtime.tick();
    const final = recorder.bodies.at(-1)?.leases?.[0];
    expect(final).toMatchObject({ state: 'failed', exitCode: 2 });
    expect(final).not.toHaveProperty('result');
  });

  it('stops a workload whose lease was lost and never reports it again', async () => {
    // A model no other node of this file has, so the job can only go to A, then B.
    const a = await registerNode('runtime-stale', 'l40s-48gb');
    const runnerA = new HandRunner();
    const diskA = diskData(a.nodeToken);
    const runtimeA = new AgentRuntime({
      client,
      nodeToken: a.nodeToken,
      runner: runnerA,
      data: diskA.data,
      clock,
    });
    const spec = testSpec({ requirements: { gpuModels: ['l40s-48gb'], gpuCount: 1, minVramGb: 0 } });
    // Only A is up when the job is placed.
    await runtimeA.tick();
    const launched = await launch(handle.db, clock, customer, spec);
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtimeA.tick();
    const workloadA = await runnerA.started();
    expect(workloadA.assignment.jobId).toBe(launched.id);
    const dirsA = leaseDirs(diskA.stateDir, workloadA.assignment.attemptId);
    workloadA.sink.progress(40);
    writeFileSync(path.join(dirsA.checkpoints, 'ckpt-40'), 'A saved 40 units');
    workloadA.sink.checkpoint(40, 'ckpt-40');
    await vi.waitFor(async () => expect((await job(launched.id)).checkpointUnits).toBe(40));
    clock.advance(HEARTBEAT_MS);
    await runtimeA.tick();

    // A goes silent past the lost-after window while B heartbeats; the job fails over to B.
    const b = await createNode(handle.db, clock, {
      owner: supplier,
      model: 'l40s-48gb',
      vramGb: 48,
      priceMicros: 500_000n,
    });
    const runnerB = new HandRunner();
    const diskB = diskData(b.token);
    const runtimeB = new AgentRuntime({
      client,
      nodeToken: b.token,
      runner: runnerB,
      data: diskB.data,
      clock,
    });
    for (let t = 0; t <= TEST_ORCHESTRATION.lostAfterMs; t += HEARTBEAT_MS) {
      clock.advance(HEARTBEAT_MS);
      await runtimeB.tick();
    }
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtimeB.tick();
    const workloadB = await runnerB.started();
    expect(workloadB.assignment.jobId).toBe(launched.id);
    expect(workloadB.assignment.fencingToken).toBeGreaterThan(workloadA.assignment.fencingToken);
    expect(workloadB.assignment.resumeFrom).toEqual({
      units: 40,
      ref: 'ckpt-40',
      checkpoint: {
        name: 'ckpt-40',
        url: expect.any(String),
        sha256: sha256('A saved 40 units'),
        sizeBytes: 16,
      },
    });
    // B resumes from A's bytes: downloaded, verified and placed before its workload started.
    const dirsB = leaseDirs(diskB.stateDir, workloadB.assignment.attemptId);
    expect(readFileSync(path.join(dirsB.checkpoints, 'ckpt-40'), 'utf8')).toBe('A saved 40 units');

    // A comes back and reports its old lease with made-up progress and a checkpoint it tries to upload: both
    // refused, and A stops the workload.
    const uploadsBefore = server.requests.length;
    workloadA.sink.progress(200);
    writeFileSync(path.join(dirsA.checkpoints, 'ckpt-200-from-a-ghost'), 'nothing of value');
    workloadA.sink.checkpoint(200, 'ckpt-200-from-a-ghost');
    await vi.waitFor(() => expect(uploadStatuses(uploadsBefore)).toEqual([409]));
    const late = await runtimeA.tick();
    expect(late.cancelled.map((c) => c.attemptId)).toEqual([workloadA.assignment.attemptId]);
    expect(['stale_token', 'lease_lost']).toContain(late.cancelled[0]?.reason);
    expect(workloadA.stopped).toBe(true);
    expect(runtimeA.snapshot()).toEqual([]);
    const row = await job(launched.id);
    expect(row.checkpointUnits).toBe(40);
    expect((await storedFile(row.checkpointRef))?.name).toBe('ckpt-40');
    expect(row.progressUnits).toBeLessThan(200);
    const ghost = await handle.db
      .select()
      .from(storedFiles)
      .where(eq(storedFiles.attemptId, workloadA.assignment.attemptId));
    expect(ghost.map((f) => f.name)).toEqual(['ckpt-40']);
    const [attemptA] = await handle.db
      .select()
      .from(jobAttempts)
      .where(eq(jobAttempts.id, workloadA.assignment.attemptId));
    expect(attemptA?.state).toBe('host_lost');
    // A's files of the lost lease are removed from its disk.
    await vi.waitFor(() => expect(existsSync(dirsA.root)).toBe(false));

    // The next heartbeat does not mention it, and a cancelled attempt is not started again.
    const before = server.requests.length;
    clock.advance(HEARTBEAT_MS);
    const again = await runtimeA.tick();
    expect(again).toEqual({ started: [], cancelled: [], finished: [] });
    expect(server.requests.length - before).toBe(1);

    // The customer cancels: B is told to stop.
    await cancelJob(handle.db, clock, customer, launched.id);
    const cancelled = await runtimeB.tick();
    expect(cancelled.cancelled).toEqual([{ attemptId: workloadB.assignment.attemptId, reason: 'cancelled' }]);
    expect(workloadB.stopped).toBe(true);
  });

  it('stops every workload and gives up when the node token is refused', async () => {
    const node = await registerNode('runtime-rotated');
    const runner = new HandRunner();
    const { data } = diskData(node.nodeToken);
    const runtime = new AgentRuntime({ client, nodeToken: node.nodeToken, runner, data, clock });
    await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = await runner.started();

    await handle.db.update(nodes).set({ tokenHash: 'replaced' }).where(eq(nodes.id, node.nodeId));
    const sleeps: number[] = [];
    const outcome = await runtime
      .run(
        new AbortController().signal,
        async (ms) => {
          sleeps.push(ms);
        },
        { firstHeartbeat: 'now' },
      )
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(NodeTokenRejectedError);
    expect(sleeps).toEqual([]);
    expect(workload.stopped).toBe(true);
    expect(runtime.snapshot()).toEqual([]);
  });

  it('drains: takes nothing new, finishes what runs, then returns', async () => {
    const node = await registerNode('runtime-drain');
    const runner = new HandRunner();
    const { data } = diskData(node.nodeToken);
    const runtime = new AgentRuntime({ client, nodeToken: node.nodeToken, runner, data, clock });
    const launched = await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = await runner.started();
    runtime.drain();

    let beats = 0;
    const done = runtime.run(
      new AbortController().signal,
      async () => {
        beats += 1;
        clock.advance(HEARTBEAT_MS);
        if (beats === 2) {
          workload.sink.exit({ exitCode: 0 });
          // Its outputs (none) are uploaded before it counts as completed.
          await vi.waitFor(() => expect(runtime.snapshot()[0]?.state).toBe('completed'));
        }
      },
      { firstHeartbeat: 'now' },
    );
    await done;
    expect(beats).toBe(2);
    expect((await job(launched.id)).state).toBe('succeeded');
    const [row] = await handle.db.select().from(nodes).where(eq(nodes.id, node.nodeId));
    expect(row?.status).toBe('offline');
  });

  it('answers the marketplace’s benchmark challenge with the paced engine, and the node becomes verified', async () => {
    const node = await registerNode('runtime-bench', 'l40s-48gb');
    const sleeps: number[] = [];
    // The engine computes the real proof (development sizes), then "waits" out the reference time on the
    // manual clock.
    const engine = createPacedBenchmarkEngine({
      clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
    });
    const runtime = new AgentRuntime({
      client,
      nodeToken: node.nodeToken,
      runner: new HandRunner(),
      data: NO_DATA,
      clock,
      benchmark: engine,
    });
    await runtime.tick();
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    const [challenge] = await handle.db
      .select()
      .from(verificationChallenges)
      .where(eq(verificationChallenges.nodeId, node.nodeId));
    expect(challenge?.state).toBe('pending');
    clock.advance(HEARTBEAT_MS);
    await runtime.tick();
    await vi.waitFor(async () => {
      const [row] = await handle.db.select().from(nodes).where(eq(nodes.id, node.nodeId));
      expect(row?.verificationState).toBe('verified');
    });
    expect(sleeps).toHaveLength(1);
    const [record] = await handle.db
      .select()
      .from(nodeVerifications)
      .where(eq(nodeVerifications.nodeId, node.nodeId));
    expect(record).toMatchObject({ method: 'benchmark', result: 'pass', challengeId: challenge?.id });
    await runtime.stopAll();
  });
});

const CHALLENGE: BenchmarkChallenge = {
  challengeId: '7b1e0c1a-0000-4000-8000-000000000001',
  seed: '00112233445566778899aabbccddeeff',
  lanes: 1,
  m: 16,
  k: 16,
  rounds: 4,
  referenceMs: 5_000,
  reveal: null,
};
const ROOT = '1'.repeat(64);
const REVEAL = [{ round: 2, fingerprint: Buffer.alloc(64).toString('base64'), path: ['2'.repeat(64)] }];

/**
 * A stand-in for the marketplace's proof side: it repeats its challenge in every reply until a heartbeat
 * reveals (or says unsupported), naming rounds to reveal once a root arrived; it can fail heartbeats on demand.
 * (The real routes time and check answers; here only what the agent sends and when matters.)
 */
class ChallengingClient {
  readonly sent: HeartbeatRequestInput[] = [];
  challenge: BenchmarkChallenge | null = CHALLENGE;
  failures = 0;
  /** Resolves the heartbeat in flight when set: lets a test hold a heartbeat open. */
  hold: Promise<void> | null = null;

  async heartbeat(_token: string, body: HeartbeatRequestInput): Promise<HeartbeatResponse> {
    this.sent.push(structuredClone(body));
    if (this.hold) await this.hold;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new AgentNetworkError('connection reset');
    }
    const answer = body.benchmark;
    if (answer && answer.challengeId === this.challenge?.challengeId) {
      if (answer.phase === 'commit') this.challenge = { ...this.challenge, reveal: [2] };
      if (answer.phase === 'reveal' || answer.phase === 'unsupported') this.challenge = null;
    }
    return {
      serverTime: new Date(0).toISOString(),
      heartbeatIntervalMs: 5_000,
      assignments: [],
      cancellations: [],
      benchmark: this.challenge,
    };
  }

  /** The phase each heartbeat carried (undefined: none). */
  phases(): (string | undefined)[] {
    return this.sent.map((body) => body.benchmark?.phase);
  }
}

/** An engine the test finishes by hand. */
function handEngine() {
  const calls: {
    challenge: BenchmarkChallenge;
    signal: AbortSignal;
    finish(run: ProofRun): void;
    fail(e: Error): void;
  }[] = [];
  const revealed: number[][] = [];
  const engine: BenchmarkEngine = (challenge, signal) =>
    new Promise<ProofRun>((resolve, reject) => {
      calls.push({ challenge, signal, finish: resolve, fail: reject });
    });
  const run = (root = ROOT): ProofRun => ({
    root,
    reveal: async (rounds) => {
      revealed.push([...rounds]);
      return REVEAL;
    },
  });
  return { engine, calls, run, revealed };
}

describe('benchmark challenges in the agent runtime', () => {
  function setup(engine?: BenchmarkEngine) {
    const fake = new ChallengingClient();
    const said: string[] = [];
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner: new HandRunner(),
      data: NO_DATA,
      clock: new ManualClock('2026-11-10T06:00:00Z'),
      benchmark: engine,
      log: (line) => said.push(line),
    });
    return { fake, runtime, said };
  }

  it('acknowledges at once, commits at once when done, reveals what the reply names, and stops after', async () => {
    const { engine, calls, run, revealed } = handEngine();
    const { fake, runtime } = setup(engine);
    await runtime.tick();
    // No tick from the test: the acknowledgement goes by itself as soon as the challenge arrived.
    await vi.waitFor(() => expect(fake.phases()).toEqual([undefined, 'ack']));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.challenge).toEqual(CHALLENGE);
    await runtime.tick();
    expect(fake.phases()).toEqual([undefined, 'ack', 'ack']);

    calls[0]?.finish(run());
    await vi.waitFor(() => expect(fake.phases().slice(3)).toEqual(['commit', 'reveal']));
    expect(fake.sent[3]?.benchmark).toEqual({
      challengeId: CHALLENGE.challengeId,
      phase: 'commit',
      root: ROOT,
    });
    expect(fake.sent[4]?.benchmark).toEqual({
      challengeId: CHALLENGE.challengeId,
      phase: 'reveal',
      reveals: REVEAL,
    });
    expect(revealed).toEqual([[2]]);
    await runtime.tick();
    expect(fake.phases().slice(5)).toEqual([undefined]);
    expect(calls).toHaveLength(1);
  });

  it('sends the commitment with the next heartbeat when the immediate one fails', async () => {
    const { engine, calls, run } = handEngine();
    const { fake, runtime, said } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(fake.phases()).toEqual([undefined, 'ack']));
    fake.failures = 1;
    calls[0]?.finish(run());
    await vi.waitFor(() => expect(said.some((line) => line.includes('goes with the next one'))).toBe(true));
    expect(fake.phases()).toEqual([undefined, 'ack', 'commit']);
    await runtime.tick();
    await vi.waitFor(() => expect(fake.phases()).toEqual([undefined, 'ack', 'commit', 'commit', 'reveal']));
  });

  it('waits for a heartbeat in flight, then sends one with the commitment', async () => {
    const { engine, calls, run } = handEngine();
    const { fake, runtime } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(fake.phases()).toEqual([undefined, 'ack']));
    let release: () => void = () => undefined;
    fake.hold = new Promise<void>((resolve) => (release = resolve));
    const inFlight = runtime.tick();
    calls[0]?.finish(run());
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.sent).toHaveLength(3);
    fake.hold = null;
    release();
    await inFlight;
    await vi.waitFor(() => expect(fake.phases().slice(0, 4)).toEqual([undefined, 'ack', 'ack', 'commit']));
  });

  it('abandons a challenge the server withdrew and never commits to it', async () => {
    const { engine, calls, run } = handEngine();
    const { fake, runtime, said } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    fake.challenge = null;
    await runtime.tick();
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(said.some((line) => line.includes('withdrawn'))).toBe(true);
    calls[0]?.finish(run());
    await new Promise((resolve) => setImmediate(resolve));
    await runtime.tick();
    expect(fake.phases()).not.toContain('commit');

    // A new challenge starts; the old one, repeated by mistake, does not start again.
    const next = { ...CHALLENGE, challengeId: '7b1e0c1a-0000-4000-8000-000000000002' };
    fake.challenge = next;
    await runtime.tick();
    fake.challenge = CHALLENGE;
    await runtime.tick();
    expect(calls.map((c) => c.challenge.challengeId)).toEqual([CHALLENGE.challengeId, next.challengeId]);
    expect(calls[1]?.signal.aborted).toBe(true);
  });

  it('logs a failed computation or a malformed root and sends no commitment', async () => {
    const { engine, calls, run } = handEngine();
    const { fake, runtime, said } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    calls[0]?.fail(new Error('out of memory'));
    await vi.waitFor(() => expect(said.some((line) => line.includes('failed: out of memory'))).toBe(true));
    await runtime.tick();
    expect(calls).toHaveLength(1);

    fake.challenge = { ...CHALLENGE, challengeId: '7b1e0c1a-0000-4000-8000-000000000003' };
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]?.finish(run('not hex'));
    await vi.waitFor(() => expect(said.some((line) => line.includes('malformed root'))).toBe(true));
    await runtime.tick();
    expect(fake.phases()).not.toContain('commit');
  });

  it('answers unsupported without an engine or when the engine has no GPU, and takes none while draining', async () => {
    const { fake, runtime, said } = setup();
    await runtime.tick();
    await runtime.tick();
    expect(said.filter((line) => line.includes('no GPU engine'))).toHaveLength(1);
    await runtime.tick();
    expect(fake.phases()).toEqual([undefined, 'unsupported', undefined]);

    const noGpu = setup(unsupportedBenchmarkEngine('no CUDA device'));
    await noGpu.runtime.tick();
    await vi.waitFor(() => expect(noGpu.fake.phases()).toEqual([undefined, 'unsupported']));
    expect(noGpu.fake.sent[1]?.benchmark).toMatchObject({ phase: 'unsupported', reason: 'no CUDA device' });

    const { engine, calls } = handEngine();
    const draining = setup(engine);
    draining.runtime.drain();
    await draining.runtime.tick();
    expect(calls).toHaveLength(0);
  });

  it('forgets a challenge when the host goes away, and runs it again after a reboot', async () => {
    const { engine, calls, run } = handEngine();
    const { fake, runtime } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await runtime.stopAll();
    expect(calls[0]?.signal.aborted).toBe(true);
    calls[0]?.finish(run());
    runtime.reset();
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(fake.phases()).not.toContain('commit');
  });

  it('commits no earlier than the reference time on the agent’s clock with the paced engine', async () => {
    const clock = new ManualClock('2026-11-10T06:00:00Z');
    const sleeps: number[] = [];
    let wake: () => void = () => undefined;
    const { run } = handEngine();
    const engine = createPacedBenchmarkEngine({
      clock,
      // The computation takes 1.2 s of the agent's clock.
      compute: async () => {
        clock.advance(1_200);
        return run();
      },
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise<void>((resolve) => (wake = resolve));
      },
    });
    const fake = new ChallengingClient();
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner: new HandRunner(),
      data: NO_DATA,
      clock,
      benchmark: engine,
    });
    await runtime.tick();
    await vi.waitFor(() => expect(sleeps).toEqual([3_800]));
    await vi.waitFor(() => expect(fake.phases()).toEqual([undefined, 'ack']));
    clock.advance(3_800);
    wake();
    await vi.waitFor(() => expect(fake.phases()).toContain('commit'));
  });
});

const LEASE: Assignment = {
  attemptId: '7b1e0c1a-0000-4000-8000-0000000000a1',
  jobId: '7b1e0c1a-0000-4000-8000-0000000000b1',
  fencingToken: 1,
  template: 'render',
  image: 'node:20-alpine',
  command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
  env: {},
  gpuIndexes: [0],
  workUnits: 100,
  inputs: [
    { name: 'scene.json', url: 'https://files.example/scene.json', sha256: 'a'.repeat(64), sizeBytes: 10 },
  ],
  resumeFrom: { units: 0, ref: null, checkpoint: null },
};

/** A marketplace stand-in that hands out one lease until it is reported, and cancels on demand. */
class LeaseClient {
  readonly sent: HeartbeatRequestInput[] = [];
  cancellations: Cancellation[] = [];

  async heartbeat(_token: string, body: HeartbeatRequestInput): Promise<HeartbeatResponse> {
    this.sent.push(structuredClone(body));
    const reported = this.sent.some((b) => b.leases?.some((l) => l.attemptId === LEASE.attemptId));
    return {
      serverTime: new Date(0).toISOString(),
      heartbeatIntervalMs: 5_000,
      assignments: reported ? [] : [LEASE],
      cancellations: this.cancellations,
      benchmark: null,
    };
  }

  /** The last report of the lease. */
  report() {
    return this.sent.at(-1)?.leases?.find((l) => l.attemptId === LEASE.attemptId);
  }

  /** Every log line the agent sent for the lease. */
  logs(): string[] {
    return this.sent.flatMap((b) => b.leases?.flatMap((l) => l.logs?.map((line) => line.text) ?? []) ?? []);
  }
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lease data the test answers by hand: each transfer waits until the test settles it. */
class HandData implements LeaseData {
  readonly preparing = deferred<void>();
  readonly checkpoints: {
    units: number;
    ref: string;
    done: ReturnType<typeof deferred<{ kept: boolean }>>;
  }[] = [];
  readonly outputs: ReturnType<typeof deferred<number>>[] = [];
  readonly released: string[] = [];

  prepare(): Promise<void> {
    return this.preparing.promise;
  }
  uploadCheckpoint(_assignment: Assignment, units: number, ref: string): Promise<{ kept: boolean }> {
    const done = deferred<{ kept: boolean }>();
    this.checkpoints.push({ units, ref, done });
    return done.promise;
  }
  uploadOutputs(): Promise<number> {
    const done = deferred<number>();
    this.outputs.push(done);
    return done.promise;
  }
  async release(assignment: Assignment): Promise<void> {
    this.released.push(assignment.attemptId);
  }
}

describe('the agent runtime’s heartbeat schedule', () => {
  /** Answers every heartbeat with a 5 s interval, or fails while `up` is false. */
  class PacedClient {
    up = true;
    readonly sentAt: number[] = [];
    constructor(private readonly clock: ManualClock) {}
    async heartbeat(): Promise<HeartbeatResponse> {
      this.sentAt.push(this.clock.now().getTime());
      if (!this.up) throw new AgentNetworkError('connect ECONNREFUSED');
      return {
        serverTime: this.clock.now().toISOString(),
        heartbeatIntervalMs: 5_000,
        assignments: [],
        cancellations: [],
        benchmark: null,
      };
    }
  }

  it('goes first at a random point of the interval, then every interval ±20 %, and backs off after failures', async () => {
    const clock = new ManualClock('2026-11-10T06:00:00Z');
    const fake = new PacedClient(clock);
    const said: string[] = [];
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner: new HandRunner(),
      data: NO_DATA,
      clock,
      random: createRng(11).next,
      log: (line) => said.push(line),
    });
    const stop = new AbortController();
    const sleeps: number[] = [];
    await runtime.run(stop.signal, async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
      if (sleeps.length === 21) fake.up = false;
      if (sleeps.length === 26) stop.abort();
    });
    const [first, ...rest] = sleeps;
    expect(first).toBeLessThan(5_000);
    expect(fake.sentAt[0]).toBe(new Date('2026-11-10T06:00:00Z').getTime() + (first ?? 0));
    const answered = rest.slice(0, 20);
    for (const ms of answered) expect(ms).toBeGreaterThanOrEqual(4_000);
    for (const ms of answered) expect(ms).toBeLessThanOrEqual(6_000);
    expect(new Set(answered).size).toBeGreaterThan(15);
    // Failed: 3.75–7.5 s, then 5–10 s; each failure says when the next try comes.
    const [firstRetry, ...retries] = rest.slice(20);
    expect(firstRetry).toBeGreaterThanOrEqual(3_750);
    expect(firstRetry).toBeLessThanOrEqual(7_500);
    for (const ms of retries) expect(ms).toBeGreaterThanOrEqual(5_000);
    for (const ms of retries) expect(ms).toBeLessThanOrEqual(10_000);
    expect(said.at(-1)).toMatch(/^heartbeat failed: connect ECONNREFUSED; next try in \d+\.\d s$/);
  });

  it('heartbeats at once when asked to (right after registering)', async () => {
    const clock = new ManualClock('2026-11-10T06:00:00Z');
    const fake = new PacedClient(clock);
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner: new HandRunner(),
      data: NO_DATA,
      clock,
    });
    const stop = new AbortController();
    await runtime.run(
      stop.signal,
      async () => {
        stop.abort();
      },
      { firstHeartbeat: 'now' },
    );
    expect(fake.sentAt).toEqual([clock.now().getTime()]);
  });
});

describe('a lease’s files in the agent runtime', () => {
  function setup() {
    const fake = new LeaseClient();
    const data = new HandData();
    const runner = new HandRunner();
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner,
      data,
      clock: new ManualClock('2026-11-10T06:00:00Z'),
    });
    return { fake, data, runner, runtime };
  }

  it('starts the workload only once its files are fetched; one that cannot be fetched fails the lease unstarted', async () => {
    const { fake, data, runner, runtime } = setup();
    expect((await runtime.tick()).started).toEqual([LEASE.attemptId]);
    await runtime.tick();
    expect(runner.workloads.size).toBe(0);
    expect(fake.report()?.state).toBe('running');
    data.preparing.reject(new Error('scene.json has sha256 0000, expected aaaa'));
    await vi.waitFor(() => expect(runtime.snapshot()[0]?.state).toBe('failed'));
    const last = await runtime.tick();
    expect(fake.report()).toMatchObject({
      state: 'failed',
      error: 'could not fetch the inputs: scene.json has sha256 0000, expected aaaa',
    });
    expect(fake.report()).not.toHaveProperty('exitCode');
    expect(fake.logs()).toContain('downloading 1 file(s) (inputs and checkpoint) and verifying them');
    expect(last.finished).toEqual([LEASE.attemptId]);
    expect(runner.workloads.size).toBe(0);
    await vi.waitFor(() => expect(data.released).toEqual([LEASE.attemptId]));
  });

  it('uploads one checkpoint at a time; a newer one announced meanwhile replaces the one waiting', async () => {
    const { fake, data, runner, runtime } = setup();
    await runtime.tick();
    data.preparing.resolve();
    const workload = await runner.started();

    workload.sink.checkpoint(10, 'ckpt-10');
    workload.sink.checkpoint(20, 'ckpt-20');
    workload.sink.checkpoint(30, 'ckpt-30');
    expect(data.checkpoints.map((c) => c.units)).toEqual([10]);
    expect(runtime.snapshot()[0]?.progressUnits).toBe(30);
    data.checkpoints[0]?.done.resolve({ kept: true });
    await vi.waitFor(() => expect(data.checkpoints.map((c) => c.units)).toEqual([10, 30]));
    data.checkpoints[1]?.done.reject(new Error('PUT answered 503'));
    workload.sink.checkpoint(40, 'ckpt-40');
    await vi.waitFor(() => expect(data.checkpoints.map((c) => c.units)).toEqual([10, 30, 40]));
    data.checkpoints[2]?.done.resolve({ kept: false });
    await runtime.tick();
    await vi.waitFor(async () => {
      await runtime.tick();
      expect(fake.logs()).toEqual(
        expect.arrayContaining([
          'downloaded and verified 1 file(s)',
          'checkpoint ckpt-10 (10 units) uploaded and kept',
          'checkpoint ckpt-30 was not kept: PUT answered 503; the next one will be tried',
          'checkpoint ckpt-40 (40 units) uploaded; an earlier one already covers it',
        ]),
      );
    });
    // Heartbeats carry progress only: a checkpoint counts once the marketplace has its bytes.
    expect(fake.sent.every((b) => b.leases?.every((l) => !('checkpoint' in l)))).toBe(true);
    expect(fake.report()).toMatchObject({ state: 'running', progressUnits: 40 });
  });

  it('reports completed only after the last checkpoint and then the outputs are acknowledged', async () => {
    const { fake, data, runner, runtime } = setup();
    await runtime.tick();
    data.preparing.resolve();
    const workload = await runner.started();
    workload.sink.progress(100);
    workload.sink.checkpoint(100, 'ckpt-100');
    workload.sink.exit({ exitCode: 0 });
    // Nothing the workload says after its exit counts.
    workload.sink.progress(101);
    await runtime.tick();
    expect(fake.report()).toMatchObject({ state: 'running', progressUnits: 100 });
    // The outputs wait for the checkpoint in flight.
    expect(data.outputs).toHaveLength(0);
    data.checkpoints[0]?.done.resolve({ kept: true });
    await vi.waitFor(() => expect(data.outputs).toHaveLength(1));
    await runtime.tick();
    expect(fake.report()?.state).toBe('running');
    data.outputs[0]?.resolve(2);
    await vi.waitFor(() => expect(runtime.snapshot()[0]?.state).toBe('completed'));
    const last = await runtime.tick();
    expect(fake.report()).toMatchObject({ state: 'completed', progressUnits: 100 });
    expect(fake.logs()).toEqual(
      expect.arrayContaining([
        'workload exited with code 0; uploading its outputs',
        'uploaded 2 output file(s); the marketplace acknowledged each',
      ]),
    );
    expect(last.finished).toEqual([LEASE.attemptId]);
    await vi.waitFor(() => expect(data.released).toEqual([LEASE.attemptId]));
  });

  it('fails the lease when its outputs cannot be uploaded', async () => {
    const { fake, data, runner, runtime } = setup();
    await runtime.tick();
    data.preparing.resolve();
    const workload = await runner.started();
    workload.sink.exit({ exitCode: 0 });
    await vi.waitFor(() => expect(data.outputs).toHaveLength(1));
    data.outputs[0]?.reject(new Error('the workload wrote 1001 files; at most 1000 are accepted'));
    await vi.waitFor(() => expect(runtime.snapshot()[0]?.state).toBe('failed'));
    await runtime.tick();
    expect(fake.report()).toMatchObject({
      state: 'failed',
      error: 'the outputs could not be uploaded: the workload wrote 1001 files; at most 1000 are accepted',
    });
  });

  it('frees a cancelled lease’s files once its workload is stopped, after the upload in flight', async () => {
    const { fake, data, runner, runtime } = setup();
    await runtime.tick();
    data.preparing.resolve();
    const workload = await runner.started();
    workload.sink.checkpoint(10, 'ckpt-10');
    fake.cancellations = [{ attemptId: LEASE.attemptId, reason: 'cancelled' }];
    const cancelled = await runtime.tick();
    expect(cancelled.cancelled).toEqual([{ attemptId: LEASE.attemptId, reason: 'cancelled' }]);
    await vi.waitFor(() => expect(workload.stopped).toBe(true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(data.released).toEqual([]);
    data.checkpoints[0]?.done.resolve({ kept: false });
    await vi.waitFor(() => expect(data.released).toEqual([LEASE.attemptId]));
  });
});
