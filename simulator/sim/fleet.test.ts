import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BenchmarkChallenge, HeartbeatRequestInput, HeartbeatResponse } from '@/lib/agent/schemas';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { jobAttempts, jobs, ledgerTransactions, nodes, storedFiles } from '@/lib/db/schema';
import type { ServiceContext } from '@/lib/api/context';
import { provisionFleet } from '@/simulator/provision';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { startControlServer, type ControlServer } from '@/simulator/sim/control-server';
import { credentialsPath, readCredentials, type FleetCredentials } from '@/simulator/sim/credentials';
import { DemandSimulator } from '@/simulator/sim/demand';
import { Fleet, type FleetClient, type FleetNodeView } from '@/simulator/sim/fleet';
import { hiddenProfile } from '@/simulator/sim/profile';
import { ManualTimers } from '@/simulator/sim/timers';
import { expectedUnitsPerHour } from '@/lib/jobs/templates';
import { createRng } from '@/lib/random';
import { useTestServices } from '@/lib/testing/api-harness';
import { freePort } from '@/lib/testing/free-port';
import { TEST_ORCHESTRATION } from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { computeCommitment } from '@/lib/verification/gpu-proof';
import { orchestrationTick } from '@/lib/worker/background-loops';

const NETWORK = { seed: 42, nodeCount: 40, now: new Date('2026-11-10T06:00:00Z') };
const clock = new ManualClock(NETWORK.now);
const STEP_MS = TEST_ORCHESTRATION.heartbeatIntervalMs;

describe('simulated fleet over HTTP', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  let credentials: FleetCredentials;
  let fleet: Fleet;
  let control: ControlServer;
  let services: ServiceContext;
  const silent = new Set<string>();
  /** The fleet is not started: only the nodes' benchmark waits are on these timers. */
  const timers = new ManualTimers();

  const db = () => handle.db;

  /** Every live node heartbeats, except those the test keeps silent, then the scheduler runs: one step. */
  async function step(ms = STEP_MS): Promise<void> {
    clock.advance(ms);
    timers.advance(ms);
    const alive = fleet.view().filter((n) => n.state === 'alive' && !silent.has(n.id));
    await Promise.all(alive.map((n) => fleet.beat(n.id)));
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
  }

  async function controlCall(method: string, route: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${control.url}${route}`, { method, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    await seedDemoNetwork(handle.db, NETWORK);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'backfill-fleet-'));
    await provisionFleet(handle.db, clock, { dataDir, demandAccounts: 2 });
    const read = readCredentials(credentialsPath(dataDir));
    if (!read) throw new Error('no credentials');
    credentials = read;
    services = useTestServices({ db: handle.db, clock });
    server = await startRouteServer();
    fleet = new Fleet({
      credentials,
      apiUrl: server.url,
      clock,
      seed: NETWORK.seed,
      timers,
      loss: null,
      log: () => undefined,
    });
    control = await startControlServer(fleet, await freePort(), { seed: NETWORK.seed });
  });
  afterAll(async () => {
    await fleet.stop();
    await control.close();
    await server.close();
    await handle.close();
  });

  it('heartbeats the seeded online nodes with their tokens, never the quarantined or offline ones', async () => {
    await step();
    const rows = await handle.db
      .select({ id: nodes.id, at: nodes.lastHeartbeatAt, status: nodes.status })
      .from(nodes);
    const beat = new Set(rows.filter((r) => r.at?.getTime() === clock.now().getTime()).map((r) => r.id));
    const heartbeating = credentials.nodes.filter((n) => n.heartbeats).map((n) => n.id);
    expect(heartbeating.length).toBeGreaterThan(10);
    expect([...beat].sort()).toEqual([...heartbeating].sort());
    for (const node of credentials.nodes.filter((n) => n.quarantined)) expect(beat.has(node.id)).toBe(false);
    const health = await controlCall('GET', '/health');
    expect(health.body).toMatchObject({ ok: true, total: 40, alive: heartbeating.length });
  });

  it('runs demo demand to completion through a host loss, with the control endpoint', async () => {
    const demand = new DemandSimulator({
      apiUrl: server.url,
      customers: credentials.customers,
      rng: createRng(3),
      clock,
      timers: new ManualTimers(),
      log: () => undefined,
    });
    let outcome = await demand.step();
    for (let i = 0; i < 20 && outcome !== 'launched'; i++) outcome = await demand.step();
    expect(outcome).toBe('launched');
    const [launched] = await handle.db.select().from(jobs);
    if (!launched) throw new Error('no job');

    // Placed and picked up by a virtual node.
    let runningOn: FleetNodeView | undefined;
    for (let i = 0; i < 5 && !runningOn; i++) {
      await step();
      runningOn = fleet.view().find((n) => n.attempts.some((a) => a.jobId === launched.id));
    }
    if (!runningOn) throw new Error('no node picked the job up');
    await step(20_000);
    await step();

    // The host vanishes (control endpoint): it stops heartbeating at once and drops the workload.
    const killed = await controlCall('POST', `/nodes/${runningOn.id}/kill`);
    expect(killed.status).toBe(200);
    expect(killed.body).toMatchObject({
      id: runningOn.id,
      state: 'killed',
      killedBy: 'control',
      attempts: [],
    });
    const listed = await controlCall('GET', '/nodes');
    expect((listed.body.nodes as FleetNodeView[]).find((n) => n.id === runningOn.id)?.state).toBe('killed');
    const [before] = await handle.db.select().from(nodes).where(eq(nodes.id, runningOn.id));
    for (let t = 0; t <= TEST_ORCHESTRATION.lostAfterMs; t += STEP_MS) await step();
    const [after] = await handle.db.select().from(nodes).where(eq(nodes.id, runningOn.id));
    expect(after?.lastHeartbeatAt).toEqual(before?.lastHeartbeatAt);
    expect(after?.status).toBe('lost');

    // It comes back and everything finishes.
    expect((await controlCall('POST', `/nodes/${runningOn.id}/revive`)).body).toMatchObject({
      state: 'alive',
    });
    let job = launched;
    for (let i = 0; i < 60 && !['succeeded', 'failed', 'out_of_budget'].includes(job.state); i++) {
      await step(20_000);
      [job = job] = await handle.db.select().from(jobs).where(eq(jobs.id, launched.id));
    }
    expect(job.state).toBe('succeeded');
    expect(job.chargedMicros).toBeGreaterThan(0n);
    const attempts = await handle.db
      .select({
        state: jobAttempts.state,
        forfeitedMs: jobAttempts.forfeitedMs,
        resumedFromUnits: jobAttempts.resumedFromUnits,
      })
      .from(jobAttempts)
      .where(eq(jobAttempts.jobId, launched.id))
      .orderBy(asc(jobAttempts.number));
    expect(attempts[0]?.state).toBe('host_lost');
    expect(attempts.at(-1)?.state).toBe('completed');
    // The lost host's checkpoint was kept, and the next attempt resumed from it (its node downloaded it).
    expect(attempts[1]?.resumedFromUnits).toBeGreaterThan(0);
    // Its data went the real agent's way: checkpoints kept only once uploaded (the last one is still held),
    // and the output uploaded and acknowledged before the completed report.
    const kept = await handle.db.select().from(storedFiles).where(eq(storedFiles.jobId, launched.id));
    expect(job.checkpointUnits).toBeGreaterThan(0);
    expect(kept.find((f) => f.id === job.checkpointRef)).toMatchObject({
      kind: 'checkpoint',
      state: 'ready',
      checkpointUnits: job.checkpointUnits,
    });
    expect(job.outputs).toEqual([
      {
        fileId: expect.any(String),
        name: 'result.json',
        sizeBytes: expect.any(Number),
        sha256: expect.any(String),
      },
    ]);
    expect(kept.find((f) => f.id === job.outputs[0]?.fileId)).toMatchObject({
      kind: 'output',
      state: 'ready',
    });
    const [back] = await handle.db.select().from(nodes).where(eq(nodes.id, runningOn.id));
    expect(back?.status).not.toBe('lost');
  });

  it('follows the recorded load: long jobs until the GPUs in use reach the share, topping up with simulated funds', async () => {
    // The demo network: the simulated demand's accounts may fund themselves (simulated_funding).
    services.simulated = true;
    try {
      const demand = new DemandSimulator({
        apiUrl: server.url,
        customers: credentials.customers,
        rng: createRng(11),
        clock,
        timers: new ManualTimers(),
        log: () => undefined,
        followLoad: { targetShare: 0.3, maxLaunchesPerRound: 4, maxQueued: 100 },
      });
      const supply = async () => {
        const body = (await (await fetch(`${server.url}/api/v1/offers/summary`)).json()) as {
          gpusOnline: number;
          gpusAvailable: number;
        };
        return { target: Math.round(0.3 * body.gpusOnline), busy: body.gpusOnline - body.gpusAvailable };
      };
      // Each account's whole balance is held by a job of its own: the demand's first launch finds it short.
      for (const customer of credentials.customers) {
        const auth = { authorization: `Bearer ${customer.apiKey}`, 'content-type': 'application/json' };
        const balance = (await (await fetch(`${server.url}/api/v1/balance`, { headers: auth })).json()) as {
          availableMicros: string;
        };
        const held = await fetch(`${server.url}/api/v1/jobs`, {
          method: 'POST',
          headers: { ...auth, 'idempotency-key': `hold-balance-${customer.accountId}` },
          body: JSON.stringify({
            name: 'holds the balance',
            template: 'custom',
            image: 'node:20-slim',
            command: ['node', '-e', '0'],
            workUnits: 1,
            requirements: { gpuModels: ['h100-80gb'], gpuCount: 8 },
            budgetMicros: balance.availableMicros,
          }),
        });
        expect(held.status, await held.text()).toBe(201);
      }
      const before = await db().select({ id: jobs.id }).from(jobs);
      let outcome = '';
      for (let round = 0; round < 60 && outcome !== 'capped'; round++) {
        outcome = await demand.step();
        await step();
      }
      expect(outcome).toBe('capped');
      const { target, busy } = await supply();
      expect(target).toBeGreaterThan(10);
      // Reached, and overshot by at most one round's launches (four jobs of up to four GPUs).
      expect(busy).toBeGreaterThanOrEqual(target);
      expect(busy).toBeLessThanOrEqual(target + 16);
      const launched = (await db().select().from(jobs)).filter((j) => !before.some((b) => b.id === j.id));
      expect(launched.length).toBe(demand.stats.launched);
      // Long jobs: each a quarter of an hour to two hours of work on the GPUs it asks for.
      for (const job of launched) {
        const perHour = expectedUnitsPerHour(job.template, job.gpuModels[0] ?? '', job.gpuCount);
        expect(job.workUnits / perHour).toBeGreaterThanOrEqual(0.24);
        expect(job.workUnits / perHour).toBeLessThanOrEqual(2.01);
      }
      // Their budgets outran the provisioned funds: the accounts topped themselves up, as simulated funding.
      expect(demand.stats.toppedUp).toBeGreaterThan(0);
      const fundings = await db()
        .select()
        .from(ledgerTransactions)
        .where(like(ledgerTransactions.idempotencyKey, 'demo-funding:%:api-%'));
      expect(fundings.length).toBe(demand.stats.toppedUp);
      expect(fundings.every((f) => f.kind === 'simulated_funding')).toBe(true);
    } finally {
      services.simulated = false;
    }
  });

  it('guards the control endpoint', async () => {
    const quarantined = credentials.nodes.find((n) => n.quarantined);
    if (!quarantined) throw new Error('fixture has no quarantined node');
    expect((await controlCall('POST', `/nodes/${quarantined.id}/revive`)).status).toBe(409);
    expect((await controlCall('POST', '/nodes/00000000-0000-4000-8000-000000000000/kill')).status).toBe(404);
    expect((await controlCall('GET', '/nodes', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await controlCall('GET', `/nodes/${quarantined.id}/kill`)).status).toBe(405);
    expect((await controlCall('POST', '/fleet/kill?share=2')).status).toBe(400);
  });

  it('kills a seeded share of the fleet at once', async () => {
    const alive = fleet.counts().alive;
    const answer = await controlCall('POST', '/fleet/kill?share=0.3');
    expect(answer.body.killed).toBe(Math.round(alive * 0.3));
    expect(fleet.counts().alive).toBe(alive - Math.round(alive * 0.3));
    const killedIds = (answer.body.nodes as FleetNodeView[]).map((n) => n.id);
    for (const id of killedIds) fleet.revive(id);
    expect(fleet.counts().alive).toBe(alive);
  });
});

describe('benchmarks on virtual nodes', () => {
  const challenge: BenchmarkChallenge = {
    challengeId: '7b1e0c1a-0000-4000-8000-000000000001',
    seed: '0badc0de'.repeat(4),
    lanes: 2,
    m: 16,
    k: 16,
    rounds: 4,
    referenceMs: 5_000,
    reveal: null,
  };

  /** The marketplace's benchmark side, reduced to what a node sees: a challenge until it is answered. */
  function challengingClient(clock: ManualClock) {
    const answers: { at: number; root: string }[] = [];
    let open: BenchmarkChallenge | null = challenge;
    const noFiles = () => Promise.reject(new Error('this marketplace hands out no leases'));
    return {
      answers,
      createUpload: noFiles,
      completeUpload: noFiles,
      fetcher: noFiles as typeof fetch,
      async heartbeat(_token: string, body: HeartbeatRequestInput): Promise<HeartbeatResponse> {
        if (body.benchmark?.phase === 'commit' && body.benchmark.challengeId === open?.challengeId) {
          answers.push({ at: clock.now().getTime(), root: body.benchmark.root });
          open = null;
        }
        return {
          serverTime: clock.now().toISOString(),
          heartbeatIntervalMs: STEP_MS,
          assignments: [],
          cancellations: [],
          benchmark: open,
        };
      },
    };
  }

  async function answerTime(performanceFactor: number) {
    const clock = new ManualClock(0);
    const timers = new ManualTimers();
    const client = challengingClient(clock);
    const honest = {
      id: '6a4c1d2e-0000-4000-8000-000000000100',
      name: 'da-eu-west-0100',
      token: 'bfn_100',
      region: 'eu-west',
      gpuModel: 'h100-80gb' as const,
      gpuCount: 2,
      heartbeats: true,
      quarantined: false,
      profile: { ...hiddenProfile('da-eu-west-0100', null, 'h100-80gb'), performanceFactor },
    };
    const fleet = new Fleet({
      credentials: { version: 1, createdAt: new Date(0).toISOString(), nodes: [honest], customers: [] },
      apiUrl: 'http://127.0.0.1:9',
      clock,
      seed: 1,
      timers,
      loss: null,
      client,
      log: () => undefined,
    });
    await fleet.beat(honest.id);
    // 100 ms at a time: the node's own heartbeats (every 5 s here) are not what delivers the answer.
    for (let t = 0; t < 30_000 && client.answers.length === 0; t += 100) {
      clock.advance(100);
      timers.advance(100);
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    }
    await fleet.stop();
    return client.answers;
  }

  it('commits to the real proof at referenceMs ÷ the node’s true speed, without waiting for a heartbeat', async () => {
    const [answer] = await answerTime(0.8);
    const { seed, m, k, rounds } = challenge;
    expect(answer?.root).toBe((await computeCommitment({ seed, m, k, rounds })).root);
    expect(answer?.at).toBe(6_300);
  });

  it('answers late when the node is slower than the GPU it claims', async () => {
    const [answer] = await answerTime(0.78 / 3.17);
    expect(answer?.at).toBeGreaterThan(5_000 / 0.85);
  });
});

describe('fleet timing', () => {
  function fleetFor(seed: number, credentials: FleetCredentials) {
    const timers = new ManualTimers();
    const fleet = new Fleet({
      credentials,
      apiUrl: 'http://127.0.0.1:9',
      clock: new ManualClock(0),
      seed,
      timers,
      log: () => undefined,
    });
    return { fleet, timers };
  }

  const node = (i: number, heartbeats = true) => ({
    id: `6a4c1d2e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `ga-eu-west-${String(i).padStart(4, '0')}`,
    token: `bfn_${i}`,
    region: 'eu-west',
    gpuModel: 'rtx-4090-24gb' as const,
    gpuCount: 1,
    heartbeats,
    quarantined: false,
    profile: {
      archetype: 'gamer' as const,
      uptime: 0.8,
      meanDownHours: 10,
      lostShare: 0.5,
      performanceFactor: 1,
      cheat: null,
    },
  });
  const credentials: FleetCredentials = {
    version: 1,
    createdAt: NETWORK.now.toISOString(),
    nodes: [...Array.from({ length: 10 }, (_, i) => node(i)), node(10, false)],
    customers: [],
  };

  it('spreads first heartbeats over the interval and draws them and the losses from the seed', async () => {
    const a = fleetFor(7, credentials);
    a.fleet.start();
    const due = a.timers.dueTimes();
    // Ten heartbeats within the first 5 s, ten loss timers, one failure summary; the offline node has none.
    const beats = due.filter((_, i) => i % 2 === 0 && i < 20);
    expect(beats).toHaveLength(10);
    for (const at of beats) expect(at).toBeLessThan(5_000);
    expect(new Set(beats).size).toBe(10);
    expect(due).toHaveLength(21);
    const b = fleetFor(7, credentials);
    b.fleet.start();
    expect(b.timers.dueTimes()).toEqual(due);
    const c = fleetFor(8, credentials);
    c.fleet.start();
    expect(c.timers.dueTimes()).not.toEqual(due);
    await Promise.all([a.fleet.stop(), b.fleet.stop(), c.fleet.stop()]);
  });

  it('jitters every interval and backs off while the marketplace is down, as the agent does', async () => {
    let up = true;
    const client = {
      heartbeat: async (): Promise<HeartbeatResponse> => {
        if (!up) throw new Error('connect ECONNREFUSED');
        return {
          serverTime: new Date(0).toISOString(),
          heartbeatIntervalMs: 5_000,
          assignments: [],
          cancellations: [],
          benchmark: null,
        };
      },
    } as unknown as FleetClient;
    const timers = new ManualTimers();
    const fleet = new Fleet({
      credentials: { ...credentials, nodes: [node(0)] },
      apiUrl: 'http://127.0.0.1:9',
      clock: new ManualClock(0),
      seed: 7,
      timers,
      loss: null,
      log: () => undefined,
      client,
    });
    fleet.start();
    // The next heartbeat's timer; the other is the failure summary's, every 30 s.
    const nextBeat = () => Math.min(...timers.dueTimes().filter((at) => at % 30_000 !== 0));
    let now = 0;
    const gaps = async (count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i++) {
        const at = nextBeat();
        timers.advance(at - now);
        now = at;
        // The heartbeat is answered (or fails), then the next one is scheduled.
        await vi.waitFor(() => expect(timers.size).toBe(2), { interval: 1 });
        seen.push(nextBeat() - now);
      }
      return seen;
    };
    const answered = await gaps(20);
    for (const gap of answered) expect(gap).toBeGreaterThanOrEqual(4_000);
    for (const gap of answered) expect(gap).toBeLessThanOrEqual(6_000);
    expect(new Set(answered).size).toBeGreaterThan(15);
    up = false;
    const [first, ...later] = await gaps(6);
    expect(first).toBeGreaterThanOrEqual(3_750);
    expect(first).toBeLessThanOrEqual(7_500);
    for (const gap of later) expect(gap).toBeGreaterThanOrEqual(5_000);
    for (const gap of later) expect(gap).toBeLessThanOrEqual(10_000);
    await fleet.stop();
  });

  it('waits for a loss further out than a timer can in legs, instead of firing at once', async () => {
    const steady = {
      ...node(0),
      profile: { ...node(0).profile, archetype: 'datacenter' as const, uptime: 0.9999 },
    };
    const { fleet, timers } = fleetFor(7, { ...credentials, nodes: [steady] });
    fleet.start();
    const [, loss] = timers.dueTimes();
    expect(loss).toBe(2 ** 31 - 1);
    timers.advance(2 ** 31);
    expect(fleet.view()[0]?.state).toBe('alive');
    await fleet.stop();
  });

  it('a simulated loss takes the node down and brings it back after its down time', async () => {
    const { fleet, timers } = fleetFor(7, { ...credentials, nodes: [node(0)] });
    fleet.start();
    const [beat, loss] = timers.dueTimes();
    expect(beat).toBeLessThan(5_000);
    // Fire only the loss (heartbeats would go to a closed port; their failures are merely counted).
    timers.advance((loss ?? 0) + 1);
    await new Promise((resolve) => setImmediate(resolve));
    const down = fleet.view()[0];
    expect(down).toMatchObject({ state: 'killed', killedBy: 'simulated_loss' });
    expect(down?.revivesAt).not.toBeNull();
    timers.advance(20 * 60_000);
    expect(fleet.view()[0]).toMatchObject({ state: 'alive', killedBy: null });
    await fleet.stop();
  });
});
