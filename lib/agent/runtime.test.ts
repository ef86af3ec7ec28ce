import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPacedBenchmarkEngine, type BenchmarkEngine } from '@/lib/agent/benchmark';
import { AgentClient, AgentNetworkError, type CallOptions } from '@/lib/agent/client';
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
  HeartbeatRequestInput,
  HeartbeatResponse,
} from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import {
  jobAttempts,
  jobEvents,
  jobs,
  nodeVerifications,
  nodes,
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
}

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
    const runtime = new AgentRuntime({ client, nodeToken: node.nodeToken, runner, clock });
    const launched = await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);

    const first = await runtime.tick();
    expect(first.started).toHaveLength(1);
    const workload = runner.only();
    expect(workload.assignment.jobId).toBe(launched.id);
    expect(workload.assignment.resumeFrom).toEqual({ units: 0, ref: null });

    workload.sink.progress(60);
    workload.sink.checkpoint(60, 'ckpt-60');
    for (let i = 0; i < 700; i++) workload.sink.log('stdout', `line ${i}`);
    clock.advance(HEARTBEAT_MS);
    const second = await runtime.tick();
    // Reported now: the server stops repeating the assignment, and nothing starts twice.
    expect(second.started).toEqual([]);
    expect(runner.workloads.size).toBe(1);
    let row = await job(launched.id);
    expect(row.state).toBe('running');
    expect(row.progressUnits).toBe(60);
    expect(row.checkpointUnits).toBe(60);
    expect(row.checkpointRef).toBe('ckpt-60');

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

    workload.sink.progress(240);
    workload.sink.log('stdout', 'done');
    workload.sink.exit({ exitCode: 0 });
    expect(runtime.snapshot()[0]?.state).toBe('completed');
    clock.advance(HEARTBEAT_MS);
    const last = await runtime.tick();
    expect(last.finished).toEqual([workload.assignment.attemptId]);
    expect(runtime.snapshot()).toEqual([]);
    row = await job(launched.id);
    expect(row.state).toBe('succeeded');
    expect(row.progressUnits).toBe(240);
    expect(row.chargedMicros).toBeGreaterThan(0n);
  });

  it('sends the workload’s last result with the completed report, and only then', async () => {
    const node = await registerNode('runtime-result');
    const runner = new HandRunner();
    const recorder = recordingClient(client);
    const runtime = new AgentRuntime({ client: recorder, nodeToken: node.nodeToken, runner, clock });
    const launched = await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = runner.only();

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
    const runtime = new AgentRuntime({ client: recorder, nodeToken: node.nodeToken, runner, clock });
    await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = runner.only();
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
    const runtimeA = new AgentRuntime({ client, nodeToken: a.nodeToken, runner: runnerA, clock });
    const spec = testSpec({ requirements: { gpuModels: ['l40s-48gb'], gpuCount: 1, minVramGb: 0 } });
    // Only A is up when the job is placed.
    await runtimeA.tick();
    const launched = await launch(handle.db, clock, customer, spec);
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtimeA.tick();
    const workloadA = runnerA.only();
    expect(workloadA.assignment.jobId).toBe(launched.id);
    workloadA.sink.progress(40);
    workloadA.sink.checkpoint(40, 'ckpt-40');
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
    const runtimeB = new AgentRuntime({ client, nodeToken: b.token, runner: runnerB, clock });
    for (let t = 0; t <= TEST_ORCHESTRATION.lostAfterMs; t += HEARTBEAT_MS) {
      clock.advance(HEARTBEAT_MS);
      await runtimeB.tick();
    }
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtimeB.tick();
    const workloadB = runnerB.only();
    expect(workloadB.assignment.jobId).toBe(launched.id);
    expect(workloadB.assignment.fencingToken).toBeGreaterThan(workloadA.assignment.fencingToken);
    expect(workloadB.assignment.resumeFrom).toEqual({ units: 40, ref: 'ckpt-40' });

    // A comes back and reports its old lease with made-up progress: refused, and A stops the workload.
    workloadA.sink.progress(200);
    workloadA.sink.checkpoint(200, 'ckpt-200-from-a-ghost');
    const late = await runtimeA.tick();
    expect(late.cancelled.map((c) => c.attemptId)).toEqual([workloadA.assignment.attemptId]);
    expect(['stale_token', 'lease_lost']).toContain(late.cancelled[0]?.reason);
    expect(workloadA.stopped).toBe(true);
    expect(runtimeA.snapshot()).toEqual([]);
    const row = await job(launched.id);
    expect(row.checkpointUnits).toBe(40);
    expect(row.progressUnits).toBeLessThan(200);
    const [attemptA] = await handle.db
      .select()
      .from(jobAttempts)
      .where(eq(jobAttempts.id, workloadA.assignment.attemptId));
    expect(attemptA?.state).toBe('host_lost');

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
    const runtime = new AgentRuntime({ client, nodeToken: node.nodeToken, runner, clock });
    await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = runner.only();

    await handle.db.update(nodes).set({ tokenHash: 'replaced' }).where(eq(nodes.id, node.nodeId));
    const sleeps: number[] = [];
    const outcome = await runtime
      .run(new AbortController().signal, async (ms) => {
        sleeps.push(ms);
      })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(NodeTokenRejectedError);
    expect(sleeps).toEqual([]);
    expect(workload.stopped).toBe(true);
    expect(runtime.snapshot()).toEqual([]);
  });

  it('drains: takes nothing new, finishes what runs, then returns', async () => {
    const node = await registerNode('runtime-drain');
    const runner = new HandRunner();
    const runtime = new AgentRuntime({ client, nodeToken: node.nodeToken, runner, clock });
    const launched = await launch(handle.db, clock, customer, onNode(node.nodeId));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    await runtime.tick();
    const workload = runner.only();
    runtime.drain();

    let beats = 0;
    const done = runtime.run(new AbortController().signal, async () => {
      beats += 1;
      clock.advance(HEARTBEAT_MS);
      if (beats === 2) workload.sink.exit({ exitCode: 0 });
    });
    await done;
    expect(beats).toBe(2);
    expect((await job(launched.id)).state).toBe('succeeded');
    const [row] = await handle.db.select().from(nodes).where(eq(nodes.id, node.nodeId));
    expect(row?.status).toBe('offline');
  });

  it('answers the marketplace’s benchmark challenge with the paced engine, and the node becomes verified', async () => {
    const node = await registerNode('runtime-bench', 'l40s-48gb');
    const sleeps: number[] = [];
    // The engine computes the real lanes, then "waits" out the reference time on the manual clock.
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
  lanes: 2,
  steps: 100,
  referenceMs: 5_000,
};
const LANES = ['1'.repeat(64), '2'.repeat(64)];

/**
 * A stand-in for the marketplace's benchmark side: it repeats its challenge in every reply until a heartbeat
 * answers it, and can fail heartbeats on demand. (The real routes time and check answers; here only what the
 * agent sends and when matters.)
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
    if (body.benchmark && body.benchmark.challengeId === this.challenge?.challengeId) this.challenge = null;
    return {
      serverTime: new Date(0).toISOString(),
      heartbeatIntervalMs: 5_000,
      assignments: [],
      cancellations: [],
      benchmark: this.challenge,
    };
  }

  answers(): (string | undefined)[] {
    return this.sent.map((body) => body.benchmark?.challengeId);
  }
}

/** An engine the test finishes by hand. */
function handEngine() {
  const calls: {
    challenge: BenchmarkChallenge;
    signal: AbortSignal;
    finish(lanes: string[]): void;
    fail(e: Error): void;
  }[] = [];
  const engine: BenchmarkEngine = (challenge, signal) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ challenge, signal, finish: resolve, fail: reject });
    });
  return { engine, calls };
}

describe('benchmark challenges in the agent runtime', () => {
  function setup(engine?: BenchmarkEngine) {
    const fake = new ChallengingClient();
    const said: string[] = [];
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner: new HandRunner(),
      clock: new ManualClock('2026-11-10T06:00:00Z'),
      benchmark: engine,
      log: (line) => said.push(line),
    });
    return { fake, runtime, said };
  }

  it('starts a challenge once, answers at once when done, and stops once the reply no longer carries it', async () => {
    const { engine, calls } = handEngine();
    const { fake, runtime } = setup(engine);
    await runtime.tick();
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.challenge).toEqual(CHALLENGE);
    expect(fake.answers()).toEqual([undefined, undefined]);

    calls[0]?.finish(LANES);
    // No tick from the test: the runtime heartbeats by itself as soon as the answer is ready.
    await vi.waitFor(() => expect(fake.sent).toHaveLength(3));
    expect(fake.sent[2]?.benchmark).toEqual({ challengeId: CHALLENGE.challengeId, lanes: LANES });
    await runtime.tick();
    expect(fake.answers()).toEqual([undefined, undefined, CHALLENGE.challengeId, undefined]);
    expect(calls).toHaveLength(1);
  });

  it('sends the answer with the next heartbeat when the immediate one fails', async () => {
    const { engine, calls } = handEngine();
    const { fake, runtime, said } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    fake.failures = 1;
    calls[0]?.finish(LANES);
    await vi.waitFor(() => expect(said.some((line) => line.includes('goes with the next one'))).toBe(true));
    expect(fake.answers()).toEqual([undefined, CHALLENGE.challengeId]);
    await runtime.tick();
    await runtime.tick();
    expect(fake.answers()).toEqual([undefined, CHALLENGE.challengeId, CHALLENGE.challengeId, undefined]);
  });

  it('keeps sending the answer while replies still carry the challenge', async () => {
    const { engine, calls } = handEngine();
    const { fake, runtime } = setup(engine);
    const refuse = vi.spyOn(fake, 'heartbeat');
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    // A server that has not taken the answer yet repeats the challenge.
    refuse.mockImplementation(async (_token, body) => {
      fake.sent.push(structuredClone(body));
      return {
        serverTime: new Date(0).toISOString(),
        heartbeatIntervalMs: 5_000,
        assignments: [],
        cancellations: [],
        benchmark: CHALLENGE,
      };
    });
    calls[0]?.finish(LANES);
    await vi.waitFor(() => expect(fake.sent).toHaveLength(2));
    await runtime.tick();
    refuse.mockRestore();
    await runtime.tick();
    await runtime.tick();
    expect(fake.answers()).toEqual([
      undefined,
      CHALLENGE.challengeId,
      CHALLENGE.challengeId,
      CHALLENGE.challengeId,
      undefined,
    ]);
  });

  it('waits for a heartbeat in flight, then sends one with the answer', async () => {
    const { engine, calls } = handEngine();
    const { fake, runtime } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    let release: () => void = () => undefined;
    fake.hold = new Promise<void>((resolve) => (release = resolve));
    const inFlight = runtime.tick();
    calls[0]?.finish(LANES);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.sent).toHaveLength(2);
    fake.hold = null;
    release();
    await inFlight;
    await vi.waitFor(() => expect(fake.sent).toHaveLength(3));
    expect(fake.answers()).toEqual([undefined, undefined, CHALLENGE.challengeId]);
  });

  it('abandons a challenge the server withdrew and never sends its answer', async () => {
    const { engine, calls } = handEngine();
    const { fake, runtime, said } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    fake.challenge = null;
    await runtime.tick();
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(said.some((line) => line.includes('withdrawn'))).toBe(true);
    calls[0]?.finish(LANES);
    await new Promise((resolve) => setImmediate(resolve));
    await runtime.tick();
    expect(fake.answers()).toEqual([undefined, undefined, undefined]);

    // A new challenge starts; the old one, repeated by mistake, does not start again.
    const next = { ...CHALLENGE, challengeId: '7b1e0c1a-0000-4000-8000-000000000002' };
    fake.challenge = next;
    await runtime.tick();
    fake.challenge = CHALLENGE;
    await runtime.tick();
    expect(calls.map((c) => c.challenge.challengeId)).toEqual([CHALLENGE.challengeId, next.challengeId]);
    expect(calls[1]?.signal.aborted).toBe(true);
  });

  it('logs a failed or malformed computation and sends nothing', async () => {
    const { engine, calls } = handEngine();
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
    calls[1]?.finish(['not hex', 'x']);
    await vi.waitFor(() => expect(said.some((line) => line.includes('malformed answer'))).toBe(true));
    await runtime.tick();
    expect(fake.answers().every((answer) => answer === undefined)).toBe(true);
  });

  it('leaves challenges unanswered without an engine, and takes none while draining', async () => {
    const { fake, runtime, said } = setup();
    await runtime.tick();
    await runtime.tick();
    expect(said.filter((line) => line.includes('no benchmark engine'))).toHaveLength(1);
    expect(fake.answers()).toEqual([undefined, undefined]);

    const { engine, calls } = handEngine();
    const draining = setup(engine);
    draining.runtime.drain();
    await draining.runtime.tick();
    expect(calls).toHaveLength(0);
  });

  it('forgets a challenge when the host goes away, and runs it again after a reboot', async () => {
    const { engine, calls } = handEngine();
    const { fake, runtime } = setup(engine);
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await runtime.stopAll();
    expect(calls[0]?.signal.aborted).toBe(true);
    calls[0]?.finish(LANES);
    runtime.reset();
    await runtime.tick();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(fake.answers().every((answer) => answer === undefined)).toBe(true);
  });

  it('answers no earlier than the reference time on the agent’s clock with the paced engine', async () => {
    const clock = new ManualClock('2026-11-10T06:00:00Z');
    const sleeps: number[] = [];
    let wake: () => void = () => undefined;
    const engine = createPacedBenchmarkEngine({
      clock,
      // The computation takes 1.2 s of the agent's clock.
      compute: async (challenge) => {
        clock.advance(1_200);
        return Array.from({ length: challenge.lanes }, (_, i) => String(i).repeat(64));
      },
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise<void>((resolve) => (wake = resolve));
      },
    });
    const fake = new ChallengingClient();
    fake.challenge = { ...CHALLENGE, steps: 50 };
    const runtime = new AgentRuntime({
      client: fake,
      nodeToken: 'bfn_test',
      runner: new HandRunner(),
      clock,
      benchmark: engine,
    });
    await runtime.tick();
    await vi.waitFor(() => expect(sleeps).toEqual([3_800]));
    expect(fake.sent).toHaveLength(1);
    clock.advance(3_800);
    wake();
    await vi.waitFor(() => expect(fake.sent).toHaveLength(2));
    const answer = fake.sent[1]?.benchmark;
    expect(answer?.challengeId).toBe(CHALLENGE.challengeId);
    expect(answer?.lanes).toEqual(['0'.repeat(64), '1'.repeat(64)]);
  });
});
