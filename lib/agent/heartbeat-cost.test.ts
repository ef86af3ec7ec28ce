import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { POST as heartbeatRoute } from '@/app/api/v1/agent/heartbeat/route';
import { provideServiceContext } from '@/lib/api/context';
import { idleHeartbeatIntervalMs } from '@/lib/agent/heartbeat';
import type { Assignment, HeartbeatResponse } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import * as schema from '@/lib/db/schema';
import { nodes } from '@/lib/db/schema';
import { orchestrationConfig } from '@/lib/jobs/config';
import { call, useTestServices } from '@/lib/testing/api-harness';
import {
  TEST_ORCHESTRATION,
  createAccount,
  createCustomer,
  createNode,
  launch,
  testSpec,
} from '@/lib/testing/orchestration-fixture';
import { orchestrationTick } from '@/lib/worker/background-loops';

/**
 * What a heartbeat costs the database, counted in statements (each one a round trip, parsed and planned by
 * PostgreSQL), on the real server: heartbeats are the marketplace's hot path (docs/benchmarks.md, Heartbeats).
 * An idle node's heartbeat is one statement (lib/agent/idle-heartbeat.ts); everything else takes the full path
 * and behaves as it always did.
 */

/** Every statement a pool's clients send, BEGIN and COMMIT included. */
const sent: string[] = [];

class CountingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [first] = args;
    sent.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? ''));
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

describe('the statements of a heartbeat, on PostgreSQL', () => {
  let pool: pg.Pool;
  let db: Db;
  const clock = new ManualClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    const adminUrl = inject('postgresAdminUrl');
    const name = `test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 4, Client: CountingClient });
    db = drizzle(pool, { schema }) as unknown as Db;
    useTestServices({ db, clock, chain: null });
  });
  afterAll(async () => {
    provideServiceContext(null);
    await pool.end();
  });

  async function heartbeat(
    token: string,
    body: unknown,
  ): Promise<{ reply: HeartbeatResponse; statements: string[] }> {
    sent.length = 0;
    const response = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      bearer: token,
      body,
    });
    expect(response.status).toBe(200);
    return { reply: (await response.json()) as HeartbeatResponse, statements: [...sent] };
  }

  const telemetry = [{ index: 0, utilizationPct: 0, memoryUsedMb: 3, temperatureC: 33, powerW: 30 }];

  async function nodeRow(id: string) {
    const [row] = await db.select().from(nodes).where(eq(nodes.id, id));
    if (!row) throw new Error('no node');
    return row;
  }

  it('answers an idle node in one statement, and records its liveness, telemetry and version', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const node = await createNode(db, clock, { owner: supplier });
    clock.advance(7_000);
    const idle = await heartbeat(node.token, {
      status: 'online',
      telemetry,
      leases: [],
      agentVersion: '0.9.1',
    });
    expect(idle.statements).toHaveLength(1);
    expect(idle.reply).toEqual({
      serverTime: clock.now().toISOString(),
      heartbeatIntervalMs: idleHeartbeatIntervalMs(orchestrationConfig()),
      assignments: [],
      cancellations: [],
      benchmark: null,
    });
    const row = await nodeRow(node.id);
    expect(row.lastHeartbeatAt).toEqual(clock.now());
    expect(row.lastTelemetry).toEqual(telemetry);
    expect(row.agentVersion).toBe('0.9.1');
    // A heartbeat without a version keeps the one on record.
    await heartbeat(node.token, { status: 'online', telemetry: [], leases: [] });
    expect((await nodeRow(node.id)).agentVersion).toBe('0.9.1');
  });

  it('takes the full path, as before, whenever the idle answer would not be the whole story', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const node = await createNode(db, clock, { owner: supplier });

    // Lost: the heartbeat brings it back online (its status history and offer with it).
    await db.update(nodes).set({ status: 'lost' }).where(eq(nodes.id, node.id));
    const back = await heartbeat(node.token, { status: 'online', telemetry, leases: [] });
    expect(back.statements.length).toBeGreaterThan(1);
    expect((await nodeRow(node.id)).status).toBe('online');
    expect(
      (await heartbeat(node.token, { status: 'online', telemetry, leases: [] })).statements,
    ).toHaveLength(1);

    // Draining: offline from the first heartbeat that says so, then idle as offline.
    const draining = { status: 'draining', telemetry, leases: [] };
    expect((await heartbeat(node.token, draining)).statements.length).toBeGreaterThan(1);
    expect((await nodeRow(node.id)).status).toBe('offline');
    expect((await heartbeat(node.token, draining)).statements).toHaveLength(1);
    expect((await nodeRow(node.id)).status).toBe('offline');
    await heartbeat(node.token, { status: 'online', telemetry, leases: [] });
    expect((await nodeRow(node.id)).status).toBe('online');

    // An assignment waiting: handed out. Then a running lease: reported in 11 statements (15 before).
    const customer = await createCustomer(db, clock, 50n);
    await launch(db, clock, customer, testSpec({ requirements: { nodeId: node.id } }));
    await orchestrationTick(db, clock, TEST_ORCHESTRATION);
    const assigned = await heartbeat(node.token, { status: 'online', telemetry, leases: [] });
    const lease = assigned.reply.assignments[0] as Assignment;
    expect(lease).toBeDefined();
    const report = {
      attemptId: lease.attemptId,
      fencingToken: lease.fencingToken,
      state: 'running',
      progressUnits: 1,
      logs: [],
    };
    await heartbeat(node.token, { status: 'online', telemetry, leases: [report] });
    clock.advance(5_000);
    const busy = await heartbeat(node.token, {
      status: 'online',
      telemetry,
      leases: [{ ...report, progressUnits: 2 }],
    });
    expect(busy.reply.cancellations).toEqual([]);
    expect(busy.statements.length).toBeLessThanOrEqual(11);
    // A lease the agent stopped reporting is failed over by the next heartbeat, idle as it looks.
    const dropped = await heartbeat(node.token, { status: 'online', telemetry, leases: [] });
    expect(dropped.reply.cancellations).toEqual([{ attemptId: lease.attemptId, reason: 'lease_lost' }]);
  });

  it('hands an idle node its benchmark challenge', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const node = await createNode(db, clock, { owner: supplier, verified: false });
    await heartbeat(node.token, { status: 'online', telemetry, leases: [] });
    await orchestrationTick(db, clock, TEST_ORCHESTRATION);
    const challenged = await heartbeat(node.token, { status: 'online', telemetry, leases: [] });
    expect(challenged.reply.benchmark).not.toBeNull();
    expect(challenged.statements.length).toBeGreaterThan(1);
  });

  it('refuses an unknown token with 401 and records nothing', async () => {
    const response = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      bearer: 'bfn_unknown',
      body: { status: 'online', telemetry: [], leases: [] },
    });
    expect(response.status).toBe(401);
  });
});
