import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import {
  canaryChecks,
  earningsHolds,
  jobAttempts,
  jobs,
  nodeVerifications,
  nodes,
  offers,
  verificationChallenges,
} from '@/lib/db/schema';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import type { BenchmarkAnswer } from '@/lib/agent/schemas';
import { balanceOf, getBalances, reservePayout } from '@/lib/ledger/operations';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import {
  createAccount,
  createCustomer,
  createNode,
  launch,
  runWorld,
  ScriptedAgent,
  TEST_ORCHESTRATION,
  testSpec,
  USDC,
} from '@/lib/testing/orchestration-fixture';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';
import { canaryFollows, uniformFromId } from '@/lib/verification/canary';
import { DEFAULT_VERIFICATION } from '@/lib/verification/config';
import { skipsAssignment } from '@/simulator/sim/profile';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

const CONFIG: OrchestrationConfig = {
  ...TEST_ORCHESTRATION,
  verification: {
    ...DEFAULT_VERIFICATION,
    canaryRate: 0,
    proofSize: 'development',
    canarySteps: 200,
    benchmarkReferenceMs: 10_000,
    reverifyIntervalMs: 3_600_000,
  },
};

async function nodeRow(db: Db, id: string) {
  const [row] = await db.select().from(nodes).where(eq(nodes.id, id));
  if (!row) throw new Error('no node');
  return row;
}
async function listed(db: Db, id: string) {
  return (await db.select().from(offers).where(eq(offers.nodeId, id))).length === 1;
}
async function challengesOf(db: Db, id: string) {
  return db
    .select()
    .from(verificationChallenges)
    .where(eq(verificationChallenges.nodeId, id))
    .orderBy(verificationChallenges.createdAt);
}

describe('canary draws', () => {
  it('are uniform and reproducible per attempt', () => {
    const ids = Array.from(
      { length: 4_000 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const share = ids.filter((id) => canaryFollows(id, 0.2)).length / ids.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(uniformFromId(ids[0] as string, 'canary')).toBe(uniformFromId(ids[0] as string, 'canary'));
    expect(canaryFollows(ids[0] as string, 0)).toBe(false);
  });
});

describe.each(TEST_ENGINES)('hardware verification on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  let clock: ManualClock;

  beforeEach(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
    clock = new ManualClock('2026-11-25T10:00:00Z');
  });
  afterEach(async () => {
    await expectLedgerConsistent(db);
    await handle.close();
  });

  it('benchmarks a new node before it is verified: off the market while it runs, listed as verified after', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const node = await createNode(db, clock, {
      owner: supplier,
      model: 'a100-80gb',
      gpuCount: 2,
      verified: false,
    });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 30, CONFIG);
    expect((await db.select().from(offers).where(eq(offers.nodeId, node.id)))[0]?.verified).toBe(false);

    await runWorld(db, clock, [agent], { steps: 1, config: CONFIG });
    const [open] = await challengesOf(db, node.id);
    expect(open).toMatchObject({ state: 'pending', lanes: 2, claimedModel: 'a100-80gb' });
    expect(await listed(db, node.id)).toBe(false);

    await runWorld(db, clock, [agent], {
      steps: 10,
      config: CONFIG,
      until: async () => (await nodeRow(db, node.id)).verificationState === 'verified',
    });
    const [done] = await challengesOf(db, node.id);
    expect(done?.state).toBe('passed');
    const [record] = await db.select().from(nodeVerifications).where(eq(nodeVerifications.nodeId, node.id));
    expect(record).toMatchObject({ method: 'benchmark', result: 'pass', challengeId: done?.id });
    expect(record?.detail).toContain("at least the A100 80GB's");
    const [offer] = await db.select().from(offers).where(eq(offers.nodeId, node.id));
    expect(offer?.verified).toBe(true);
    expect(offer?.verifiedAt?.getTime()).toBe(record?.createdAt.getTime());
  });

  it('quarantines a node claiming an H100 that performs like an RTX 4090, and holds its unpaid earnings', async () => {
    const supplier = await createAccount(db, clock, 'cheat');
    const customer = await createCustomer(db, clock, 100n);
    // Verified an hour and more ago (as if its first benchmark had been fooled), then due again.
    const node = await createNode(db, clock, {
      owner: supplier,
      model: 'h100-80gb',
      priceMicros: 2_000_000n,
    });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 30, CONFIG);
    agent.behaviour = { speedFactor: 0.4 };
    const job = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 60, requirements: { nodeId: node.id } }),
    );
    await runWorld(db, clock, [agent], {
      steps: 40,
      config: CONFIG,
      until: async () => (await db.select().from(jobs).where(eq(jobs.id, job.id)))[0]?.state === 'succeeded',
    });
    const earned = balanceOf(await getBalances(db, supplier), 'supplier_payable');
    expect(earned).toBeGreaterThan(0n);

    clock.advance(3_600_000);
    await runWorld(db, clock, [agent], {
      steps: 20,
      config: CONFIG,
      until: async () => (await nodeRow(db, node.id)).status === 'quarantined',
    });
    const quarantined = await nodeRow(db, node.id);
    expect(quarantined).toMatchObject({ status: 'quarantined', verificationState: 'failed' });
    expect(quarantined.quarantineReason).toMatch(/below the H100 80GB's|No commitment within/);
    expect(await listed(db, node.id)).toBe(false);
    const balances = await getBalances(db, supplier);
    const [hold] = await db.select().from(earningsHolds).where(eq(earningsHolds.nodeId, node.id));
    expect(hold?.amountMicros).toBe(earned);
    // What was held went back to the customer whose job it ran (remedies.test.ts has the details).
    expect(balanceOf(balances, 'supplier_held')).toBe(0n);
    expect(balanceOf(balances, 'supplier_payable')).toBe(0n);
    const [suspect] = await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, job.id));
    expect(suspect?.suspectAt).not.toBeNull();
    // Held money is out of reach of payouts, which draw on payable only.
    await expect(
      reservePayout(db, clock, { supplier, amountMicros: 1n, memo: 'try to withdraw held earnings' }),
    ).rejects.toMatchObject({ code: 'payment_required' });
    // Its heartbeats get no new work and no new challenge.
    const reply = await agent.heartbeat(5);
    expect(reply?.assignments).toEqual([]);
    expect(reply?.benchmark).toBeNull();
  });

  it('fails a node whose revealed rounds do not match its root (it skipped half the rounds)', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const node = await createNode(db, clock, { owner: supplier, verified: false });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 30, CONFIG);
    agent.behaviour = { proof: 'skipsRounds' };
    await runWorld(db, clock, [agent], {
      steps: 10,
      config: CONFIG,
      until: async () => (await nodeRow(db, node.id)).status === 'quarantined',
    });
    // 8 rounds, 4 skipped, 6 revealed: at least two revealed rounds are skipped ones.
    const failed = await nodeRow(db, node.id);
    expect(failed).toMatchObject({ status: 'quarantined', verificationState: 'failed' });
    expect(failed.quarantineReason).toMatch(/^Wrong proof: Round \d+ does not match the committed root\.$/);
    const [challenge] = await challengesOf(db, node.id);
    expect(challenge).toMatchObject({ state: 'failed', rounds: 8, rowsM: 64, innerK: 64 });
    expect(challenge?.revealRounds).toHaveLength(6);
  });

  it('times from the acknowledgement, counts a slow acknowledgement beyond the cap, and ignores foreign or replayed answers', async () => {
    const { processHeartbeat } = await import('@/lib/agent/heartbeat');
    const { computeCommitment, revealRound } = await import('@/lib/verification/gpu-proof');
    const { issueDueChallenges, deliverChallenge } = await import('@/lib/verification/challenges');
    const supplier = await createAccount(db, clock, 'supplier');
    const slowAck = await createNode(db, clock, { owner: supplier, verified: false });
    const prompt = await createNode(db, clock, { owner: supplier, verified: false });
    const other = await createNode(db, clock, { owner: supplier, verified: false });
    const files = new ScriptedAgent(db, clock, other.id, 1, 30, CONFIG).files;
    const send = async (nodeId: string, benchmark: BenchmarkAnswer) =>
      processHeartbeat(db, clock, CONFIG, files, await nodeRow(db, nodeId), {
        status: 'online',
        telemetry: [],
        leases: [],
        benchmark,
      });
    await issueDueChallenges(db, clock, CONFIG);
    const slowWire = await deliverChallenge(db, clock, CONFIG, slowAck.id);
    const promptWire = await deliverChallenge(db, clock, CONFIG, prompt.id);
    await deliverChallenge(db, clock, CONFIG, other.id);
    if (!slowWire || !promptWire) throw new Error('no challenge');
    const params = (w: typeof slowWire) => ({ seed: w.seed, m: w.m, k: w.k, rounds: w.rounds });

    // Within the cap (1.5 s), the acknowledgement's latency is not counted: 10 s of work measure 10 s.
    clock.advance(1_500);
    await send(prompt.id, { challengeId: promptWire.challengeId, phase: 'ack' });
    clock.advance(10_000);
    const promptCommitment = await computeCommitment(params(promptWire));
    const reply = await send(prompt.id, {
      challengeId: promptWire.challengeId,
      phase: 'commit',
      root: promptCommitment.root,
    });
    expect((await challengesOf(db, prompt.id))[0]).toMatchObject({ state: 'committed', elapsedMs: 10_000 });
    const asked = reply.benchmark?.reveal ?? [];
    expect(asked).toHaveLength(6);

    // Beyond the cap (30 s: as if it computed before acknowledging), the 28 s beyond the 2 s cap count.
    clock.advance(18_500);
    await send(slowAck.id, { challengeId: slowWire.challengeId, phase: 'ack' });
    // Another node answering this challenge changes nothing.
    await send(other.id, { challengeId: slowWire.challengeId, phase: 'commit', root: 'a'.repeat(64) });
    expect((await challengesOf(db, slowAck.id))[0]).toMatchObject({ state: 'sent', root: null });
    clock.advance(10_000);
    const slowCommitment = await computeCommitment(params(slowWire));
    await send(slowAck.id, { challengeId: slowWire.challengeId, phase: 'commit', root: slowCommitment.root });
    expect((await challengesOf(db, slowAck.id))[0]).toMatchObject({ state: 'failed', elapsedMs: 38_000 });
    expect((await nodeRow(db, slowAck.id)).quarantineReason).toMatch(/^Measured [\d.]+× A100, below the /);

    // The reveal is untimed: a minute later it is still only checked, not timed.
    clock.advance(60_000);
    const reveals = asked.map((r) => revealRound(params(promptWire), promptCommitment, r));
    await send(prompt.id, { challengeId: promptWire.challengeId, phase: 'reveal', reveals });
    expect((await nodeRow(db, prompt.id)).verificationState).toBe('verified');
    // A replayed commitment or reveal after the verdict changes nothing.
    const before = await db.select().from(nodeVerifications).where(eq(nodeVerifications.nodeId, prompt.id));
    await send(prompt.id, { challengeId: promptWire.challengeId, phase: 'commit', root: 'b'.repeat(64) });
    await send(prompt.id, { challengeId: promptWire.challengeId, phase: 'reveal', reveals });
    const after = await db.select().from(nodeVerifications).where(eq(nodeVerifications.nodeId, prompt.id));
    expect(after).toHaveLength(before.length);
  });

  it('fails a node that commits but never reveals once the reveal window passes', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const node = await createNode(db, clock, { owner: supplier, verified: false });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 30, CONFIG);
    agent.behaviour = { proof: 'noReveal' };
    await runWorld(db, clock, [agent], {
      steps: 60,
      config: CONFIG,
      until: async () => (await nodeRow(db, node.id)).status === 'quarantined',
    });
    expect((await nodeRow(db, node.id)).quarantineReason).toMatch(/were not revealed within 120 s/);
  });

  it('lists a node whose agent cannot run the proof as declared: unverified, not challenged again soon, and given only jobs pinned to it', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 100n);
    const node = await createNode(db, clock, { owner: supplier, verified: false, model: 'h100-80gb' });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 30, CONFIG);
    agent.behaviour = { proof: 'unsupported' };
    await runWorld(db, clock, [agent], {
      steps: 10,
      config: CONFIG,
      until: async () => (await nodeRow(db, node.id)).verificationState === 'declared',
    });
    const declared = await nodeRow(db, node.id);
    expect(declared).toMatchObject({ status: 'online', verificationState: 'declared', quarantinedAt: null });
    expect((await challengesOf(db, node.id))[0]).toMatchObject({
      state: 'unsupported',
      unsupportedReason: 'no GPU engine here',
    });
    const [offer] = await db.select().from(offers).where(eq(offers.nodeId, node.id));
    expect(offer).toMatchObject({ verified: false, declared: true });
    const { searchOffers } = await import('@/lib/market/search-offers');
    const { offerSearchQuerySchema } = await import('@/lib/market/offer-schemas');
    const ids = async (query: Record<string, string>) =>
      (await searchOffers(db, offerSearchQuerySchema.parse(query), clock)).data.map((o) => o.nodeId);
    expect(await ids({})).not.toContain(node.id);
    expect(await ids({ verified: 'false' })).toContain(node.id);

    // No retry storm: an hour of heartbeats brings no new challenge.
    await runWorld(db, clock, [agent], { steps: 20, config: CONFIG });
    expect(await challengesOf(db, node.id)).toHaveLength(1);

    // An unpinned job does not go to it; a job pinned to it does.
    const loose = await launch(db, clock, customer, testSpec({ workUnits: 60 }));
    const pinned = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 60, requirements: { nodeId: node.id } }),
    );
    await runWorld(db, clock, [agent], { steps: 4, config: CONFIG });
    const placed = await db.select().from(jobAttempts).where(eq(jobAttempts.nodeId, node.id));
    expect(placed.map((a) => a.jobId)).toEqual([pinned.id]);
    expect(placed.map((a) => a.jobId)).not.toContain(loose.id);
  });

  it('fails a node that keeps heartbeating but never answers; expires without a verdict when it goes silent', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const mute = await createNode(db, clock, { owner: supplier, verified: false });
    const gone = await createNode(db, clock, { owner: supplier, verified: false });
    const muteAgent = new ScriptedAgent(db, clock, mute.id, 1, 30, CONFIG);
    muteAgent.behaviour = { speedFactor: 0.0001 };
    const goneAgent = new ScriptedAgent(db, clock, gone.id, 1, 30, CONFIG);
    await runWorld(db, clock, [muteAgent, goneAgent], { steps: 2, config: CONFIG });
    goneAgent.alive = false;
    await runWorld(db, clock, [muteAgent, goneAgent], { steps: 12, config: CONFIG });

    expect((await nodeRow(db, mute.id)).status).toBe('quarantined');
    expect((await nodeRow(db, mute.id)).quarantineReason).toMatch(/^No commitment within \d+ s/);
    const [expired] = await challengesOf(db, gone.id);
    expect(expired?.state).toBe('expired');
    expect(await db.select().from(nodeVerifications).where(eq(nodeVerifications.nodeId, gone.id))).toEqual(
      [],
    );
    expect((await nodeRow(db, gone.id)).status).not.toBe('quarantined');
  });

  it('re-verifies a verified node once its last benchmark is older than the interval, only while idle', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 100n);
    const node = await createNode(db, clock, { owner: supplier });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 1_000, CONFIG);
    await runWorld(db, clock, [agent], { steps: 2, config: CONFIG });
    expect(await challengesOf(db, node.id)).toEqual([]);

    const job = await launch(db, clock, customer, testSpec({ workUnits: 100_000 }));
    await runWorld(db, clock, [agent], { steps: 2, config: CONFIG });
    clock.advance(3_600_000);
    await runWorld(db, clock, [agent], { steps: 2, config: CONFIG });
    // Busy with a job: not challenged.
    expect(await challengesOf(db, node.id)).toEqual([]);
    const { cancelJob } = await import('@/lib/jobs/cancel');
    await cancelJob(db, clock, customer, job.id);
    await runWorld(db, clock, [agent], {
      steps: 10,
      config: CONFIG,
      until: async () => (await challengesOf(db, node.id))[0]?.state === 'passed',
    });
    expect((await challengesOf(db, node.id))[0]?.state).toBe('passed');
    expect((await nodeRow(db, node.id)).verificationState).toBe('verified');
  });

  /**
   * The acceptance bound: with canary rate q and a cheater skipping a share f of its work, each finished
   * assignment is followed by a caught canary with probability q·f, so a cheater survives n assignments with
   * probability (1 − q·f)^n. With q = f = 0.5 and 6 cheaters, the chance that any survives 60 assignments is
   * 6 × 0.75^60 ≈ 2·10⁻⁷. Honest nodes always return the known answer, so they are never quarantined.
   */
  it('catches skip-work cheaters with canaries within 1 − (1 − q·f)^n, holds their earnings, never touches honest nodes', async () => {
    const q = 0.5;
    const f = 0.5;
    const config: OrchestrationConfig = {
      ...CONFIG,
      verification: { ...CONFIG.verification!, canaryRate: q, reverifyIntervalMs: 30 * 24 * 3_600_000 },
    };
    const customer = await createCustomer(db, clock, 10_000n);
    const honest: ScriptedAgent[] = [];
    const cheaters: ScriptedAgent[] = [];
    const suppliers = new Map<string, string>();
    for (let i = 0; i < 12; i++) {
      const owner = await createAccount(db, clock, `supplier-${i}`);
      const node = await createNode(db, clock, { owner, priceMicros: 500_000n });
      suppliers.set(node.id, owner);
      const agent = new ScriptedAgent(db, clock, node.id, 10, 1_000, config);
      if (i % 2 === 0) {
        // The simulated fleet's own cheat: skip each assignment with probability f.
        const cheat = { cheat: { kind: 'skip_work' as const, skipShare: f } };
        agent.behaviour = { skips: (attemptId) => skipsAssignment(cheat, node.id, attemptId) };
        cheaters.push(agent);
      } else honest.push(agent);
    }
    const all = [...honest, ...cheaters];
    const assignmentsBound = 60;
    const keepBusy = async () => {
      // One small customer job waiting for every node that has none (jobs pinned, like steady demand).
      const busy = await queryRows<{ node: string }>(
        db,
        sql`select pinned_node_id as node from jobs
            where kind = 'customer' and state in ('queued', 'scheduled', 'running') and pinned_node_id is not null`,
      );
      const waiting = new Set(busy.map((r) => r.node));
      for (const agent of all) {
        if (waiting.has(agent.nodeId) || (await nodeRow(db, agent.nodeId)).status === 'quarantined') continue;
        await launch(
          db,
          clock,
          customer,
          testSpec({ workUnits: 150, requirements: { nodeId: agent.nodeId } }),
        );
      }
    };
    const cheaterIds = cheaters.map((a) => a.nodeId);
    for (let round = 0; round < 400; round++) {
      await keepBusy();
      await runWorld(db, clock, all, { steps: 1, config });
      const left = await db
        .select({ id: nodes.id })
        .from(nodes)
        .where(and(inArray(nodes.id, cheaterIds), sql`${nodes.status} <> 'quarantined'`));
      if (left.length === 0) break;
    }

    for (const agent of cheaters) {
      const node = await nodeRow(db, agent.nodeId);
      expect(node.status, `cheater ${node.name}`).toBe('quarantined');
      expect(node.quarantineReason).toMatch(/^Canary job returned a wrong result/);
      // Caught within the bound: the assignments it finished before the canary that caught it.
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from job_attempts
            where node_id = ${agent.nodeId} and assigned_at <= ${node.quarantinedAt}`,
      );
      expect(n).toBeLessThanOrEqual(assignmentsBound + 1);
      // Its earnings since the last pass were held, then refunded to the customer; no payout can reach them.
      const owner = suppliers.get(agent.nodeId) as string;
      const balances = await getBalances(db, owner);
      const [{ earned } = { earned: '0' }] = await queryRows<{ earned: string }>(
        db,
        sql`select coalesce(sum(supplier_micros), 0) as earned from job_attempts where node_id = ${agent.nodeId}`,
      );
      const [hold] = await db.select().from(earningsHolds).where(eq(earningsHolds.nodeId, agent.nodeId));
      expect(hold?.amountMicros).toBe(BigInt(earned));
      expect(BigInt(earned)).toBeGreaterThan(0n);
      expect(balanceOf(balances, 'supplier_held')).toBe(0n);
      expect(balanceOf(balances, 'supplier_payable')).toBe(0n);
      await expect(
        reservePayout(db, clock, {
          supplier: owner,
          amountMicros: balanceOf(balances, 'supplier_payable') + 1n,
          memo: 'withdraw held',
        }),
      ).rejects.toMatchObject({ code: 'payment_required' });
    }
    for (const agent of honest) {
      const node = await nodeRow(db, agent.nodeId);
      expect(node.status, `honest ${node.name}`).not.toBe('quarantined');
      expect(node.verificationState).toBe('verified');
      expect(balanceOf(await getBalances(db, suppliers.get(agent.nodeId) as string), 'supplier_held')).toBe(
        0n,
      );
    }
    // Honest nodes ran canaries too, and passed every one.
    const outcomes = await queryRows<{ outcome: string; honest: boolean; n: number }>(
      db,
      sql`select c.outcome, (c.node_id in ${honest.map((a) => a.nodeId)}) as honest, count(*)::int as n
          from canary_checks c group by 1, 2`,
    );
    expect(outcomes.filter((o) => o.honest && o.outcome === 'fail')).toEqual([]);
    expect(outcomes.find((o) => o.honest && o.outcome === 'pass')?.n ?? 0).toBeGreaterThan(0);
    // Canaries are unpaid: no attempt of a canary job charged anything.
    const canaryCharges = await db
      .select({ charged: jobAttempts.chargedMicros })
      .from(jobAttempts)
      .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
      .where(eq(jobs.kind, 'canary'));
    expect(canaryCharges.length).toBeGreaterThan(0);
    expect(canaryCharges.every((c) => c.charged === 0n)).toBe(true);
    expect((await db.select().from(canaryChecks)).length).toBeGreaterThan(0);
    expect(USDC).toBe(1_000_000n);
  });
});
