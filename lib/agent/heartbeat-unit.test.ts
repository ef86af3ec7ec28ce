import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST as heartbeatRoute } from '@/app/api/v1/agent/heartbeat/route';
import { provideServiceContext } from '@/lib/api/context';
import { AgentClient, type CallOptions } from '@/lib/agent/client';
import { AgentRuntime, type Runner, type WorkloadSink } from '@/lib/agent/runtime';
import type { Assignment, HeartbeatRequestInput } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { jobAttempts, jobEvents, jobs, nodes } from '@/lib/db/schema';
import { createVirtualLeaseData } from '@/simulator/sim/virtual-lease-data';
import { failOverLostNodes } from '@/lib/jobs/liveness';
import { call, useTestServices } from '@/lib/testing/api-harness';
import {
  TEST_ORCHESTRATION,
  createAccount,
  createCustomer,
  createNode,
  launch,
  testSpec,
} from '@/lib/testing/orchestration-fixture';
import { startRouteServer } from '@/lib/testing/route-server';
import { createTestDb, TEST_ENGINES } from '@/lib/testing/test-db';
import { orchestrationTick } from '@/lib/worker/background-loops';

/**
 * Probe class 1, at the heartbeat: a heartbeat is one unit. A report that cannot be stored is refused with a
 * 400 naming the field, and a refused or failed heartbeat records nothing — liveness included — so the node's
 * leases fail over instead of freezing while it looks alive. Log lines are stored with U+FFFD instead.
 */
describe.each(TEST_ENGINES)('a heartbeat is processed as one unit on %s (probe class 1)', (engine) => {
  let handle: DatabaseHandle;
  let clock: ManualClock;

  beforeEach(async () => {
    handle = await createTestDb(engine);
    clock = new ManualClock('2026-11-25T10:00:00Z');
    useTestServices({ db: handle.db, clock, chain: null });
  });
  afterEach(() => handle.close());
  afterAll(() => provideServiceContext(null));

  /** A node running one lease, already reported once. */
  async function runningLease() {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const node = await createNode(handle.db, clock, { owner: supplier });
    const customer = await createCustomer(handle.db, clock, 50n);
    const job = await launch(handle.db, clock, customer, testSpec({ requirements: { nodeId: node.id } }));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    const beat = (body: unknown) =>
      call(heartbeatRoute, '/api/v1/agent/heartbeat', { method: 'POST', bearer: node.token, body });
    const reply = (await (await beat({})).json()) as { assignments: Assignment[] };
    const lease = reply.assignments[0];
    if (!lease) throw new Error('no assignment');
    const report = (extra: Record<string, unknown> = {}) => ({
      leases: [
        {
          attemptId: lease.attemptId,
          fencingToken: lease.fencingToken,
          state: 'running',
          progressUnits: 0,
          ...extra,
        },
      ],
    });
    clock.advance(1_000);
    expect((await beat(report())).status).toBe(200);
    return { node, job, lease, beat, report };
  }

  async function snapshot(nodeId: string, jobId: string) {
    const [node] = await handle.db.select().from(nodes).where(eq(nodes.id, nodeId));
    const [job] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
    const attempts = await handle.db.select().from(jobAttempts).where(eq(jobAttempts.jobId, jobId));
    const events = await handle.db.select().from(jobEvents).where(eq(jobEvents.jobId, jobId));
    return { node, job, attempts, events: events.length };
  }

  it('stores NUL and unpaired surrogates in log lines as U+FFFD, and records the heartbeat', async () => {
    const { node, job, beat, report } = await runningLease();
    clock.advance(2_000);
    const logs = [
      { at: clock.now().toISOString(), stream: 'stdout', text: 'a\u0000b' },
      { at: clock.now().toISOString(), stream: 'stderr', text: 'half \uD83D' },
    ];
    const response = await beat({ ...report({ logs, error: 'ignored\u0000' }) });
    expect(response.status).toBe(200);
    const after = await snapshot(node.id, job.id);
    expect(after.node?.lastHeartbeatAt).toEqual(clock.now());
    const [event] = await handle.db
      .select()
      .from(jobEvents)
      .where(sql`${jobEvents.jobId} = ${job.id} and ${jobEvents.type} = 'log'`);
    expect((event?.data.lines as { text: string }[]).map((l) => l.text)).toEqual(['a\uFFFDb', 'half \uFFFD']);
  });

  it('refuses an unstorable report with a 400 naming the field, and records nothing — not even liveness', async () => {
    const { node, job, beat, report } = await runningLease();
    const before = await snapshot(node.id, job.id);
    clock.advance(2_000);
    const refused = await beat({ ...report({ progressUnits: 100 }), agentVersion: 'v1\u0000' });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { fields: { field: string }[] } };
    expect(body.error.fields.map((f) => f.field)).toEqual(['agentVersion']);
    expect(await snapshot(node.id, job.id)).toEqual(before);
  });

  it('refuses a checkpoint in a heartbeat (only an uploaded one counts), and records nothing of that report', async () => {
    const { node, job, beat, report } = await runningLease();
    const before = await snapshot(node.id, job.id);
    clock.advance(2_000);
    // As an agent of the earlier protocol sends it: a checkpoint the marketplace never saw the bytes of.
    const refused = await beat(report({ progressUnits: 100, checkpoint: { units: 100, ref: 'ckpt-100' } }));
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { fields: { field: string; message: string }[] } };
    expect(body.error.fields).toEqual([{ field: 'checkpoint', message: 'unknown parameter' }]);
    const after = await snapshot(node.id, job.id);
    expect(after).toEqual(before);
    expect(after.job?.checkpointUnits).toBe(0);
    expect(after.job?.progressUnits).toBe(0);
  });

  it('a heartbeat that fails half-way records nothing, and the silent node’s lease fails over', async () => {
    const { node, job, beat, report } = await runningLease();
    const before = await snapshot(node.id, job.id);
    // The database itself refuses the log event this heartbeat writes after applying its progress.
    await handle.db.execute(sql`
      create function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.data::text like '%poison%' then raise exception 'poisoned event'; end if;
        return new;
      end $$`);
    await handle.db.execute(
      sql`create trigger refuse_poison before insert on job_events for each row execute function refuse_poison()`,
    );
    for (let i = 0; i < 3; i++) {
      clock.advance(TEST_ORCHESTRATION.heartbeatIntervalMs);
      const failed = await beat(
        report({
          progressUnits: 120,
          logs: [{ at: clock.now().toISOString(), stream: 'stdout', text: 'poison' }],
        }),
      );
      expect(failed.status).toBe(500);
      expect(await snapshot(node.id, job.id)).toEqual(before);
    }
    // Nothing it sent counted as liveness: past the lost-after window the node is lost and the job requeued.
    clock.set(new Date((before.node?.lastHeartbeatAt?.getTime() ?? 0) + TEST_ORCHESTRATION.lostAfterMs + 1));
    const outcome = await failOverLostNodes(handle.db, clock, TEST_ORCHESTRATION);
    expect(outcome).toMatchObject({ lostNodes: 1, requeued: 1 });
    const after = await snapshot(node.id, job.id);
    expect(after.attempts.map((a) => a.state)).toEqual(['host_lost']);
    expect(after.job?.state).toBe('queued');
  });
});

describe('the agent repairs a report the server refuses instead of resending it forever (probe class 1)', () => {
  it('drops what the server named, says so in the log, and its next heartbeat is accepted', async () => {
    const handle = await createTestDb('pglite');
    const clock = new ManualClock('2026-11-25T10:00:00Z');
    useTestServices({ db: handle.db, clock, chain: null });
    const server = await startRouteServer();
    try {
      const supplier = await createAccount(handle.db, clock, 'supplier');
      const node = await createNode(handle.db, clock, { owner: supplier });
      const customer = await createCustomer(handle.db, clock, 50n);
      const job = await launch(handle.db, clock, customer, testSpec({ requirements: { nodeId: node.id } }));
      await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
      const real = new AgentClient({ apiUrl: server.url, maxAttempts: 1 });
      // An agent of another version sends a workload's log line with a timestamp the server cannot read.
      const statuses: number[] = [];
      const client = {
        async heartbeat(token: string, body: HeartbeatRequestInput, options?: CallOptions) {
          const sent = structuredClone(body);
          for (const lease of sent.leases ?? [])
            for (const line of lease.logs ?? [])
              if (line.text === 'working') line.at = 'yesterday, around noon';
          try {
            const reply = await real.heartbeat(token, sent, options);
            statuses.push(200);
            return reply;
          } catch (error) {
            statuses.push((error as { status?: number }).status ?? 0);
            throw error;
          }
        },
        createUpload: real.createUpload.bind(real),
        completeUpload: real.completeUpload.bind(real),
        get fetcher() {
          return real.fetcher;
        },
      };
      let sink: WorkloadSink | null = null;
      const runner: Runner = {
        name: 'hand',
        start: (_assignment, workloadSink) => {
          sink = workloadSink;
          return { stop: async () => undefined };
        },
      };
      const data = createVirtualLeaseData({ client, nodeToken: node.token });
      const runtime = new AgentRuntime({ client, nodeToken: node.token, runner, data, clock });
      await runtime.tick();
      await until(() => sink !== null);
      (sink as unknown as WorkloadSink).progress(80);
      (sink as unknown as WorkloadSink).checkpoint(80, 'ckpt-80');
      (sink as unknown as WorkloadSink).log('stdout', 'working');
      // The checkpoint goes up on its own path, acknowledged by the marketplace before the next heartbeat.
      await until(async () => (await jobRow(handle.db, job.id))?.checkpointUnits === 80);
      clock.advance(TEST_ORCHESTRATION.heartbeatIntervalMs);
      await expect(runtime.tick()).rejects.toThrow(/leases\.0\.logs\.\d+\.at/);
      clock.advance(TEST_ORCHESTRATION.heartbeatIntervalMs);
      await runtime.tick();
      expect(statuses).toEqual([200, 400, 200]);
      const row = await jobRow(handle.db, job.id);
      expect(row?.progressUnits).toBe(80);
      // The refused heartbeat did not touch the kept checkpoint: it was never part of a heartbeat.
      expect(row?.checkpointUnits).toBe(80);
      const logs = await handle.db
        .select()
        .from(jobEvents)
        .where(sql`${jobEvents.jobId} = ${job.id} and ${jobEvents.type} = 'log'`);
      const text = logs.flatMap((e) => (e.data.lines as { text: string }[]).map((l) => l.text));
      expect(text).not.toContain('working');
      expect(text.some((line) => /log lines were refused by the server and dropped/.test(line))).toBe(true);
      const [kept] = await handle.db
        .select()
        .from(jobEvents)
        .where(sql`${jobEvents.jobId} = ${job.id} and ${jobEvents.type} = 'checkpoint'`);
      expect(kept?.data).toMatchObject({ units: 80, ref: row?.checkpointRef });
    } finally {
      await server.close();
      await handle.close();
      provideServiceContext(null);
    }
  });
});

async function jobRow(db: DatabaseHandle['db'], id: string) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
