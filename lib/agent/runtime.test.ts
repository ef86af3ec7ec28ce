import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '@/lib/agent/client';
import { issueRegistrationToken } from '@/lib/agent/register';
import {
  AgentRuntime,
  MAX_LOGS_PER_REPORT,
  NodeTokenRejectedError,
  type Runner,
  type WorkloadSink,
} from '@/lib/agent/runtime';
import type { Assignment } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { jobAttempts, jobEvents, jobs, nodes } from '@/lib/db/schema';
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
});
