import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { and, eq, sql } from 'drizzle-orm';
import { verifyMessage, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import { openDatabase, queryRows, wrapPglite, type DatabaseHandle, type Db } from '@/lib/db/client';
import { gpuLeases, jobAttempts, jobEvents, jobs, nodes, offers, storedFiles } from '@/lib/db/schema';
import { processHeartbeat } from '@/lib/agent/heartbeat';
import { completeLeaseUpload, createLeaseUpload } from '@/lib/files/lease-files';
import type { LocalStore } from '@/lib/storage/local-store';
import { serveSignedStorageRequest } from '@/lib/storage/signed-request';
import { cancelJob } from '@/lib/jobs/cancel';
import { failOverLostNodes } from '@/lib/jobs/liveness';
import { getJobDetail, getReceipt } from '@/lib/jobs/views';
import { balanceOf, getBalances } from '@/lib/ledger/operations';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { costOfMs } from '@/lib/scheduler/ranking';
import { scheduleQueuedJobs } from '@/lib/scheduler/schedule';
import { orchestrationTick } from '@/lib/worker/background-loops';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import {
  createAccount,
  createCustomer,
  createNode,
  launch,
  runWorld,
  ScriptedAgent,
  TEST_ORCHESTRATION as CONFIG,
  testSpec,
  USDC,
  worldLeaseFiles,
} from '@/lib/testing/orchestration-fixture';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

async function available(db: Db, account: string) {
  return balanceOf(await getBalances(db, account), 'customer_available');
}
async function payable(db: Db, account: string) {
  return balanceOf(await getBalances(db, account), 'supplier_payable');
}
async function jobRow(db: Db, id: string) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) throw new Error('no job');
  return row;
}
async function attemptsOf(db: Db, id: string) {
  return db.select().from(jobAttempts).where(eq(jobAttempts.jobId, id)).orderBy(jobAttempts.number);
}

/**
 * A node asks to upload a checkpoint of a lease and, if allowed, PUTs the bytes into the world's store: the
 * first two steps of the agent's upload path. Returns the file id (the acknowledgment is up to the caller).
 */
async function uploadCheckpointBytes(
  db: Db,
  clock: ManualClock,
  nodeId: string,
  lease: { attemptId: string; fencingToken: number },
  units: number,
  name: string,
): Promise<string> {
  const files = worldLeaseFiles(db, clock);
  const bytes = Buffer.from(`${name} at ${units}\n`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { fileId } = await createLeaseUpload(
    db,
    clock,
    files.store,
    files.config,
    null,
    { id: nodeId },
    {
      ...lease,
      kind: 'checkpoint',
      name,
      sizeBytes: bytes.length,
      sha256,
      units,
    },
  );
  const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, fileId));
  await files.store.put(file!.storageKey, Readable.from([bytes]), {
    maxBytes: bytes.length,
    expectedSha256: sha256,
  });
  return fileId;
}

/** Every settled job: charge = supplier share + fee, equal to the ledger's captures for it. */
async function expectChargesSplit(db: Db) {
  const rows = await queryRows<{ id: string; charged: string; split: string }>(
    db,
    sql`select j.id, j.charged_micros as charged,
          coalesce((select sum(a.supplier_micros + a.fee_micros) from job_attempts a where a.job_id = j.id), 0) as split
        from jobs j`,
  );
  for (const row of rows) expect(BigInt(row.split)).toBe(BigInt(row.charged));
}

/** No GPU is held by two active attempts, and every active attempt holds exactly its GPUs. */
async function expectNoDoubleBooking(db: Db) {
  const rows = await queryRows<{ n: string }>(
    db,
    sql`select count(*) as n from job_attempts a
        where a.state in ('assigned', 'running')
          and jsonb_array_length(a.gpu_indexes) <> (select count(*) from gpu_leases l where l.attempt_id = a.id)`,
  );
  expect(Number(rows[0]?.n)).toBe(0);
}

describe.each(TEST_ENGINES)('job orchestration on %s', (engine) => {
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
    await expectChargesSplit(db);
    await expectNoDoubleBooking(db);
    await handle.close();
  });

  it('holds the budget at launch, or refuses with 402 and records nothing', async () => {
    const customer = await createCustomer(db, clock, 30n);
    const job = await launch(db, clock, customer, testSpec({ budgetMicros: (20n * USDC).toString() }));
    expect(job.state).toBe('queued');
    expect(await available(db, customer)).toBe(10n * USDC);
    await expect(
      launch(db, clock, customer, testSpec({ budgetMicros: (11n * USDC).toString() })),
    ).rejects.toMatchObject({ code: 'payment_required' });
    const all = await db.select().from(jobs).where(eq(jobs.ownerAccountId, customer));
    expect(all).toHaveLength(1);
  });

  it('runs a job end to end: charge = metered time × price, hold released, receipt verifies', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const node = await createNode(db, clock, { owner: supplier, priceMicros: 360_000n });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 30);
    const job = await launch(db, clock, customer, testSpec({ workUnits: 120 }));

    const scheduled = await scheduleQueuedJobs(db, clock, CONFIG);
    expect(scheduled.placed).toBe(1);
    // The node's only GPU is taken: the market no longer lists it.
    expect(await db.select().from(offers).where(eq(offers.nodeId, node.id))).toHaveLength(0);

    await runWorld(db, clock, [agent], {
      steps: 60,
      until: async () => (await jobRow(db, job.id)).state === 'succeeded',
    });
    const done = await jobRow(db, job.id);
    expect(done.state).toBe('succeeded');
    expect(done.progressUnits).toBe(120);
    const [attempt] = await attemptsOf(db, job.id);
    expect(attempt?.state).toBe('completed');
    expect(attempt?.forfeitedMs).toBe(0);
    // Metering starts at the first running report: the 120 units take 24 heartbeats of 5 s, the first of
    // which only announces the start, so 115 s are heartbeat-backed.
    expect(attempt?.meteredMs).toBe(115_000);
    const charge = costOfMs(115_000, 1, 360_000n);
    expect(done.chargedMicros).toBe(charge);
    expect(attempt?.feeMicros).toBe((charge * 1_000n) / 10_000n);
    expect(await payable(db, supplier)).toBe(charge - (charge * 1_000n) / 10_000n);
    expect(await available(db, customer)).toBe(50n * USDC - charge);
    expect(done.releasedMicros).toBe(20n * USDC - charge);
    // The GPU is free again and listed.
    expect(await db.select().from(gpuLeases)).toHaveLength(0);
    expect(await db.select().from(offers).where(eq(offers.nodeId, node.id))).toHaveLength(1);

    const receipt = await getReceipt(db, job.id);
    expect(
      await verifyMessage({
        address: receipt.signer as Hex,
        message: receipt.payload,
        signature: receipt.signature as Hex,
      }),
    ).toBe(true);
    expect(receipt.signer).toBe(signer.address);
    const body = receipt.receipt as {
      specHash: string;
      attempts: { gpuSerials: string[]; meteredMs: number }[];
    };
    expect(body.specHash).toBe(done.specHash);
    expect(body.attempts[0]?.gpuSerials).toEqual(attempt?.gpuSerials);
    expect(body.attempts[0]?.meteredMs).toBe(115_000);
    // A tampered payload does not verify.
    expect(
      await verifyMessage({
        address: receipt.signer as Hex,
        message: receipt.payload.replace('"meteredMs":115000', '"meteredMs":1'),
        signature: receipt.signature as Hex,
      }),
    ).toBe(false);
    const types = (
      await db.select({ type: jobEvents.type }).from(jobEvents).where(eq(jobEvents.jobId, job.id))
    ).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'queued',
        'scheduled',
        'running',
        'progress',
        'checkpoint',
        'log',
        'charged',
        'succeeded',
      ]),
    );
  });

  it('places all GPUs of a job on one node, cheapest expected cost first, and backfills small jobs', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 500n);
    const cheap = await createNode(db, clock, { owner: supplier, gpuCount: 2, priceMicros: 300_000n });
    const big = await createNode(db, clock, { owner: supplier, gpuCount: 4, priceMicros: 500_000n });
    const pricey = await createNode(db, clock, { owner: supplier, gpuCount: 1, priceMicros: 900_000n });
    // Occupies two GPUs of the 4-GPU node, so the 4-GPU job must wait for it.
    const blocker = await launch(
      db,
      clock,
      customer,
      testSpec({ requirements: { gpuCount: 2, nodeId: big.id } }),
    );
    await scheduleQueuedJobs(db, clock, CONFIG);
    const large = await launch(
      db,
      clock,
      customer,
      testSpec({ name: 'large', requirements: { gpuCount: 4 } }),
    );
    const small = await launch(db, clock, customer, testSpec({ name: 'small' }));
    const small2 = await launch(db, clock, customer, testSpec({ name: 'small2' }));
    await scheduleQueuedJobs(db, clock, CONFIG);

    expect((await jobRow(db, blocker.id)).state).toBe('scheduled');
    expect((await jobRow(db, large.id)).state).toBe('queued');
    const [s1] = await attemptsOf(db, small.id);
    const [s2] = await attemptsOf(db, small2.id);
    // Small jobs take the cheapest node, never the two GPUs held back on the big node for the large job.
    expect(s1?.nodeId).toBe(cheap.id);
    expect(s2?.nodeId).toBe(cheap.id);
    expect(new Set([...(s1?.gpuIndexes ?? []), ...(s2?.gpuIndexes ?? [])])).toEqual(new Set([0, 1]));
    const onBig = await db.select().from(gpuLeases).where(eq(gpuLeases.nodeId, big.id));
    expect(onBig).toHaveLength(2);
    expect(pricey.id).toBeDefined();

    // The blocker is cancelled: the large job gets the whole node.
    await cancelJob(db, clock, customer, blocker.id);
    await scheduleQueuedJobs(db, clock, CONFIG);
    const [l] = await attemptsOf(db, large.id);
    expect(l?.nodeId).toBe(big.id);
    expect(l?.gpuIndexes).toEqual([0, 1, 2, 3]);
  });

  it('refuses stale fencing tokens and reports for ended leases: nothing changes, nothing is earned', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const first = await createNode(db, clock, { owner: supplier, priceMicros: 300_000n });
    const agent = new ScriptedAgent(db, clock, first.id, 1, 20);
    const job = await launch(db, clock, customer, testSpec({ workUnits: 200 }));
    await runWorld(db, clock, [agent], { steps: 6 });
    const [attempt] = await attemptsOf(db, job.id);
    expect(attempt?.state).toBe('running');

    // The node goes silent, is declared lost; the job is placed on a second node.
    agent.alive = false;
    const second = await createNode(db, clock, { owner: supplier, priceMicros: 300_000n });
    const rescuer = new ScriptedAgent(db, clock, second.id, 1, 20);
    await runWorld(db, clock, [rescuer], { steps: 10 });
    const before = await jobRow(db, job.id);
    expect(before.attemptCount).toBe(2);
    const payableBefore = await payable(db, supplier);
    const checkpointEvents = async () =>
      (await db.select().from(jobEvents).where(eq(jobEvents.jobId, job.id))).filter(
        (e) => e.type === 'checkpoint',
      ).length;
    const checkpointEventsBefore = await checkpointEvents();

    // The first node comes back and reports its old lease with its old token, even claiming completion.
    const [node] = await db.select().from(nodes).where(eq(nodes.id, first.id));
    const files = worldLeaseFiles(db, clock);
    const reply = await processHeartbeat(db, clock, CONFIG, files, node!, {
      status: 'online',
      telemetry: [],
      leases: [
        {
          attemptId: attempt!.id,
          fencingToken: attempt!.fencingToken,
          state: 'completed',
          progressUnits: 200,
          logs: [],
        },
      ],
    });
    expect(reply.cancellations).toEqual([{ attemptId: attempt!.id, reason: 'stale_token' }]);
    const [current] = (await attemptsOf(db, job.id)).slice(-1);
    const currentLease = { attemptId: current!.id, fencingToken: current!.fencingToken };
    // It tries to save a checkpoint of the whole job for its old lease: refused before any URL is signed.
    await expect(
      uploadCheckpointBytes(
        db,
        clock,
        first.id,
        { attemptId: attempt!.id, fencingToken: attempt!.fencingToken },
        200,
        'forged',
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    // Nor can it upload for the lease the second node holds now, even with that lease's token.
    await expect(
      uploadCheckpointBytes(db, clock, first.id, currentLease, 200, 'forged'),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    // The holder's own upload, whose bytes are in the store: another node cannot acknowledge (keep) it, and the
    // holder cannot with a token that is not the lease's.
    const pending = await uploadCheckpointBytes(db, clock, second.id, currentLease, 200, 'ckpt-200');
    await expect(
      completeLeaseUpload(db, clock, files.store, { id: first.id }, pending, current!.fencingToken),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      completeLeaseUpload(db, clock, files.store, { id: second.id }, pending, current!.fencingToken + 1),
    ).rejects.toMatchObject({ code: 'conflict' });
    const after = await jobRow(db, job.id);
    expect(after.state).not.toBe('succeeded');
    expect(after.checkpointUnits).toBe(before.checkpointUnits);
    expect(after.checkpointRef).toBe(before.checkpointRef);
    expect(after.chargedMicros).toBe(before.chargedMicros);
    expect(await payable(db, supplier)).toBe(payableBefore);
    expect(
      (await db.select().from(storedFiles).where(eq(storedFiles.id, pending))).map((f) => f.state),
    ).toEqual(['pending']);
    expect(await checkpointEvents()).toBe(checkpointEventsBefore);

    // A token from the future (or guessed) is refused the same way.
    const [secondNode] = await db.select().from(nodes).where(eq(nodes.id, second.id));
    const forged = await processHeartbeat(db, clock, CONFIG, files, secondNode!, {
      status: 'online',
      telemetry: [],
      leases: [
        {
          attemptId: current!.id,
          fencingToken: current!.fencingToken + 1,
          state: 'completed',
          progressUnits: 200,
          logs: [],
        },
      ],
    });
    expect(forged.cancellations[0]?.reason).toBe('stale_token');
    // Another node cannot report this node's lease at all.
    const foreign = await processHeartbeat(db, clock, CONFIG, files, node!, {
      status: 'online',
      telemetry: [],
      leases: [
        {
          attemptId: current!.id,
          fencingToken: current!.fencingToken,
          state: 'completed',
          progressUnits: 200,
          logs: [],
        },
      ],
    });
    expect(foreign.cancellations[0]?.reason).toBe('stale_token');
    expect((await jobRow(db, job.id)).state).toBe('running');
    expect((await jobRow(db, job.id)).checkpointUnits).toBe(before.checkpointUnits);

    // The same upload, acknowledged by the node that holds the lease with the lease's token, is kept: the
    // refusals above were about who asked, not about the bytes.
    expect(
      await completeLeaseUpload(db, clock, files.store, { id: second.id }, pending, current!.fencingToken),
    ).toEqual({
      fileId: pending,
      kept: true,
    });
    const kept = await jobRow(db, job.id);
    expect(kept.checkpointUnits).toBe(200);
    expect(kept.checkpointRef).toBe(pending);
  });

  it('charges once for a completion reported five times, and by two workers at once', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const node = await createNode(db, clock, { owner: supplier, priceMicros: 720_000n });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 1_000);
    const job = await launch(db, clock, customer, testSpec({ workUnits: 1_000 }));
    await runWorld(db, clock, [agent], { steps: 4 });
    const [attempt] = await attemptsOf(db, job.id);
    const [row] = await db.select().from(nodes).where(eq(nodes.id, node.id));
    clock.advance(5_000);
    const completion = {
      status: 'online' as const,
      telemetry: [],
      leases: [
        {
          attemptId: attempt!.id,
          fencingToken: attempt!.fencingToken,
          state: 'completed' as const,
          progressUnits: 1_000,
          logs: [],
        },
      ],
    };
    await Promise.all([
      processHeartbeat(db, clock, CONFIG, agent.files, row!, completion),
      processHeartbeat(db, clock, CONFIG, agent.files, row!, completion),
    ]);
    for (let i = 0; i < 3; i++) await processHeartbeat(db, clock, CONFIG, agent.files, row!, completion);
    const done = await jobRow(db, job.id);
    expect(done.state).toBe('succeeded');
    const [settled] = await attemptsOf(db, job.id);
    expect(done.chargedMicros).toBe(costOfMs(settled!.meteredMs, 1, 720_000n));
    const captures = await queryRows<{ n: string }>(
      db,
      sql`select count(*) as n from ledger_transactions where kind = 'capture'`,
    );
    expect(Number(captures[0]?.n)).toBe(1);
    const releases = await queryRows<{ n: string }>(
      db,
      sql`select count(*) as n from ledger_transactions where kind = 'release'`,
    );
    expect(Number(releases[0]?.n)).toBe(1);
  });

  it('requeues a lost node’s job within one tick, resumes from the checkpoint, and charges no lost time', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const doomed = await createNode(db, clock, { owner: supplier, priceMicros: 360_000n });
    const agent = new ScriptedAgent(db, clock, doomed.id, 1, 50);
    const job = await launch(db, clock, customer, testSpec({ workUnits: 200 }));
    // 80 s of running: a checkpoint at 50, 30 s of uncheckpointed work.
    await runWorld(db, clock, [agent], { steps: 17 });
    const mid = await jobRow(db, job.id);
    expect(mid.checkpointUnits).toBe(50);
    const [attempt] = await attemptsOf(db, job.id);
    const settledMs = attempt!.meteredMs;
    const pendingMs = attempt!.pendingMs;
    expect(pendingMs).toBeGreaterThan(0);

    agent.alive = false;
    // Just inside the window: still alive as far as the marketplace knows.
    clock.advance(CONFIG.lostAfterMs - 1_000);
    expect((await failOverLostNodes(db, clock, CONFIG)).lostNodes).toBe(0);
    const rescuerNode = await createNode(db, clock, { owner: supplier, priceMicros: 360_000n });
    const rescuer = new ScriptedAgent(db, clock, rescuerNode.id, 1, 50);
    // One step past the window: one tick fails the node over and places the job again.
    await runWorld(db, clock, [], { steps: 1, stepSeconds: 2 });
    const [lost, second] = await attemptsOf(db, job.id);
    expect(lost?.state).toBe('host_lost');
    expect(lost?.forfeitedMs).toBe(pendingMs);
    expect(lost?.meteredMs).toBe(settledMs);
    expect(second?.nodeId).toBe(rescuerNode.id);
    expect(second?.resumedFromUnits).toBe(50);
    const [lostNode] = await db.select().from(nodes).where(eq(nodes.id, doomed.id));
    expect(lostNode?.status).toBe('lost');

    // The rescuer's assignment names the kept checkpoint — the file the lost node uploaded at 50 — with a
    // signed URL that serves exactly its bytes.
    const assigned = (await rescuer.heartbeat(0))?.assignments[0];
    const [keptFile] = await db.select().from(storedFiles).where(eq(storedFiles.id, mid.checkpointRef!));
    expect(keptFile).toMatchObject({
      kind: 'checkpoint',
      state: 'ready',
      name: 'ckpt-50',
      checkpointUnits: 50,
    });
    expect(assigned?.resumeFrom).toEqual({
      units: 50,
      ref: 'ckpt-50',
      checkpoint: {
        name: 'ckpt-50',
        url: expect.any(String),
        sha256: keptFile!.sha256,
        sizeBytes: keptFile!.sizeBytes,
      },
    });
    const served = await serveSignedStorageRequest(
      worldLeaseFiles(db, clock).store as LocalStore,
      new Request(assigned!.resumeFrom.checkpoint!.url),
    );
    expect(served.status).toBe(200);
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(keptFile!.sha256);

    await runWorld(db, clock, [rescuer], {
      steps: 60,
      until: async () => (await jobRow(db, job.id)).state === 'succeeded',
    });
    const done = await jobRow(db, job.id);
    expect(done.state).toBe('succeeded');
    const attempts = await attemptsOf(db, job.id);
    expect(attempts[1]?.assignedAt.getTime()).toBeGreaterThan(0);
    // Only settled time is charged: the forfeited 30 s are neither charged nor paid.
    const expected = attempts.reduce((sum, a) => sum + costOfMs(a.meteredMs, 1, a.pricePerGpuHourMicros), 0n);
    expect(done.chargedMicros).toBe(expected);
    expect(attempts[1]?.resumedFromUnits).toBe(50);
    const resumeEvents = await db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, job.id), eq(jobEvents.type, 'requeued')));
    expect(resumeEvents[0]?.data).toMatchObject({ resumeFromUnits: 50 });
  });

  it('kill 30% of the fleet mid-run: every job still finishes and pays only heartbeat-backed time', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customers = await Promise.all([1, 2, 3].map(() => createCustomer(db, clock, 200n)));
    const fleet = [];
    for (let i = 0; i < 20; i++)
      fleet.push(await createNode(db, clock, { owner: supplier, priceMicros: BigInt(300_000 + i * 10_000) }));
    const agents = fleet.map((n) => new ScriptedAgent(db, clock, n.id, 2, 40));
    const launched = [];
    for (let i = 0; i < 16; i++)
      launched.push(
        await launch(db, clock, customers[i % 3] as string, testSpec({ name: `job ${i}`, workUnits: 300 })),
      );
    await runWorld(db, clock, agents, { steps: 10 });
    // Kill 6 of the 20 nodes, preferring busy ones.
    const busy = new Set(
      (await db.select({ nodeId: gpuLeases.nodeId }).from(gpuLeases)).map((r) => r.nodeId),
    );
    const victims = [...agents]
      .sort((a, b) => Number(busy.has(b.nodeId)) - Number(busy.has(a.nodeId)))
      .slice(0, 6);
    for (const v of victims) v.alive = false;
    await runWorld(db, clock, agents, {
      steps: 200,
      until: async () => {
        const rows = await db.select({ state: jobs.state }).from(jobs);
        return rows.every((r) => r.state === 'succeeded' || r.state === 'failed');
      },
    });
    const rows = await db.select().from(jobs);
    expect(rows.filter((r) => r.state !== 'succeeded')).toEqual([]);
    const allAttempts = await db.select().from(jobAttempts);
    expect(allAttempts.some((a) => a.state === 'host_lost')).toBe(true);
    for (const job of rows) {
      const mine = allAttempts.filter((a) => a.jobId === job.id);
      const metered = mine.reduce((sum, a) => sum + costOfMs(a.meteredMs, 1, a.pricePerGpuHourMicros), 0n);
      expect(job.chargedMicros).toBe(metered);
    }
    // Nothing a lost host did after its last checkpoint was paid.
    const supplierPaid = await payable(db, supplier);
    const supplierShare = allAttempts.reduce((sum, a) => sum + a.supplierMicros, 0n);
    expect(supplierPaid).toBe(supplierShare);
  });

  it('stops a job that runs out of budget, with a clear state, charging no more than the budget', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const node = await createNode(db, clock, { owner: supplier, priceMicros: 3_600_000n });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 10);
    // $3.60/h = $0.001/s: a $0.10 budget lasts about 100 s; the job needs 1,000.
    const job = await launch(db, clock, customer, testSpec({ workUnits: 1_000, budgetMicros: '100000' }));
    await runWorld(db, clock, [agent], {
      steps: 60,
      until: async () => (await jobRow(db, job.id)).state === 'out_of_budget',
    });
    const done = await jobRow(db, job.id);
    expect(done.state).toBe('out_of_budget');
    expect(done.stateReason).toMatch(/Budget exhausted at \d+ % progress/);
    expect(done.chargedMicros).toBeLessThanOrEqual(100_000n);
    expect(done.chargedMicros + done.releasedMicros).toBe(100_000n);
    expect(agent.lastReply?.cancellations.some((c) => c.reason === 'out_of_budget')).toBe(true);
    expect(await db.select().from(gpuLeases)).toHaveLength(0);
  });

  it('cancels at any point: queued returns the whole hold; running charges work done so far', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const queued = await launch(db, clock, customer, testSpec());
    await cancelJob(db, clock, customer, queued.id);
    expect((await jobRow(db, queued.id)).state).toBe('cancelled');
    expect(await available(db, customer)).toBe(50n * USDC);
    await expect(cancelJob(db, clock, customer, queued.id)).rejects.toMatchObject({ code: 'conflict' });
    const stranger = await createCustomer(db, clock, 1n);
    const node = await createNode(db, clock, { owner: supplier });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 25);
    const running = await launch(db, clock, customer, testSpec({ workUnits: 500 }));
    await runWorld(db, clock, [agent], { steps: 10 });
    await expect(cancelJob(db, clock, stranger, running.id)).rejects.toMatchObject({ code: 'not_found' });
    await cancelJob(db, clock, customer, running.id);
    const done = await jobRow(db, running.id);
    expect(done.state).toBe('cancelled');
    expect(done.chargedMicros).toBeGreaterThan(0n);
    expect(done.chargedMicros + done.releasedMicros).toBe(done.budgetMicros);
    const reply = await agent.heartbeat(5);
    expect(reply?.cancellations).toEqual([expect.objectContaining({ reason: 'cancelled' })]);
    const detail = await getJobDetail(db, customer, running.id);
    expect(detail.receiptAvailable).toBe(true);
  });

  it('places exactly c of 50 concurrent launches pinned to a node with c free GPUs', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 2_000n);
    const node = await createNode(db, clock, { owner: supplier, gpuCount: 4 });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        launch(db, clock, customer, testSpec({ name: `pinned ${i}`, requirements: { nodeId: node.id } })),
      ),
    );
    await Promise.all([scheduleQueuedJobs(db, clock, CONFIG), scheduleQueuedJobs(db, clock, CONFIG)]);
    const placed = await db.select().from(jobs).where(eq(jobs.state, 'scheduled'));
    expect(placed).toHaveLength(4);
    expect(await db.select().from(gpuLeases)).toHaveLength(4);
  });

  it('fails over a lease the agent stops reporting (agent restarted) at its next heartbeat', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 50n);
    const node = await createNode(db, clock, { owner: supplier });
    const agent = new ScriptedAgent(db, clock, node.id, 1, 20);
    const job = await launch(db, clock, customer, testSpec({ workUnits: 500 }));
    await runWorld(db, clock, [agent], { steps: 8 });
    expect((await jobRow(db, job.id)).state).toBe('running');
    // The agent process restarts and forgets its workload; the node keeps heartbeating.
    agent.workloads.clear();
    const reply = await agent.heartbeat(5);
    const [first, second] = await attemptsOf(db, job.id);
    expect(first?.state).toBe('host_lost');
    expect(first?.endReason).toMatch(/stopped reporting/);
    expect(reply?.cancellations).toEqual([{ attemptId: first!.id, reason: 'lease_lost' }]);
    expect(first?.forfeitedMs).toBeGreaterThan(0);
    // The job is queued again from its checkpoint and placed at the next tick (here, on the same node).
    expect(second).toBeUndefined();
    await runWorld(db, clock, [agent], { steps: 1 });
    const [, again] = await attemptsOf(db, job.id);
    expect(again?.resumedFromUnits).toBe((await jobRow(db, job.id)).checkpointUnits);
  });

  it('never double-books a GPU with two schedulers on their own connections racing over one queue', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 10_000n);
    for (let i = 0; i < 40; i++)
      await createNode(db, clock, {
        owner: supplier,
        gpuCount: 1 + (i % 4),
        priceMicros: BigInt(300_000 + (i % 7) * 5_000),
      });
    for (let i = 0; i < 150; i++)
      await launch(
        db,
        clock,
        customer,
        testSpec({ name: `race ${i}`, requirements: { gpuCount: 1 + (i % 3) } }),
      );
    // A second handle is a second connection pool on PostgreSQL: a second scheduler process, as far as the
    // database can tell. (PGlite has one connection, so there the two passes interleave on it.)
    const other = engine === 'postgres' ? await openSecondHandle(db) : null;
    try {
      const [a, b] = await Promise.all([
        scheduleQueuedJobs(db, clock, CONFIG),
        scheduleQueuedJobs(other?.db ?? db, clock, CONFIG),
      ]);
      const leases = await db.select().from(gpuLeases);
      const capacity = await queryRows<{ n: string }>(db, sql`select sum(gpu_count) as n from nodes`);
      expect(a.placed + b.placed).toBe(
        (await db.select().from(jobs).where(eq(jobs.state, 'scheduled'))).length,
      );
      expect(leases.length).toBeLessThanOrEqual(Number(capacity[0]?.n));
      expect(new Set(leases.map((l) => `${l.nodeId}:${l.gpuIndex}`)).size).toBe(leases.length);
      // Whatever one scheduler lost to the other is placed on a later pass: a job waits only while no node
      // has room for it, or while the room is held back for an older job that needs more GPUs (backfill guard).
      await scheduleQueuedJobs(db, clock, CONFIG);
      await scheduleQueuedJobs(db, clock, CONFIG);
      const room = await queryRows<{ free: string }>(
        db,
        sql`select max(n.gpu_count - (select count(*) from gpu_leases l where l.node_id = n.id)) as free from nodes n`,
      );
      const maxFree = Number(room[0]?.free);
      const waiting = await db
        .select()
        .from(jobs)
        .where(eq(jobs.state, 'queued'))
        .orderBy(jobs.queuedAt, jobs.id);
      for (const [i, job] of waiting.entries())
        if (job.gpuCount <= maxFree)
          expect(waiting.slice(0, i).some((older) => older.gpuCount > maxFree)).toBe(true);
      expect(new Set((await db.select().from(gpuLeases)).map((l) => `${l.nodeId}:${l.gpuIndex}`)).size).toBe(
        (await db.select().from(gpuLeases)).length,
      );
    } finally {
      await other?.close();
    }
  });

  it('restarts mid-run without losing anything: jobs continue and finish', async () => {
    const supplier = await createAccount(db, clock, 'supplier');
    const customer = await createCustomer(db, clock, 100n);
    const nodesUp = [];
    for (let i = 0; i < 3; i++) nodesUp.push(await createNode(db, clock, { owner: supplier }));
    const launched = [];
    for (let i = 0; i < 3; i++)
      launched.push(await launch(db, clock, customer, testSpec({ workUnits: 150 })));
    const agents = nodesUp.map((n) => new ScriptedAgent(db, clock, n.id, 1, 30));
    await runWorld(db, clock, agents, { steps: 8 });
    const before = await Promise.all(launched.map((j) => jobRow(db, j.id)));
    expect(before.every((j) => j.state === 'running')).toBe(true);

    // The server goes down for twice the lost-after window: the database is closed and opened again from what
    // it persisted. The agents keep running their workloads meanwhile and carry on when it is back.
    const reopened = await reopen(handle);
    handle = reopened;
    db = reopened.db;
    clock.advance(2 * CONFIG.lostAfterMs);
    const upSince = clock.now();
    // Nodes could not reach a server that was down: none is declared lost on the first tick after the restart.
    const first = await orchestrationTick(db, clock, CONFIG, upSince);
    expect(first.liveness).toBeNull();
    expect(await db.select().from(jobAttempts).where(eq(jobAttempts.state, 'host_lost'))).toHaveLength(0);
    const resumed = agents.map((a) => {
      const fresh = new ScriptedAgent(db, clock, a.nodeId, 1, 30);
      for (const [id, w] of a.workloads) fresh.workloads.set(id, w);
      return fresh;
    });
    await runWorld(db, clock, resumed, {
      steps: 60,
      until: async () => (await db.select().from(jobs)).every((j) => j.state === 'succeeded'),
    });
    const after = await db.select().from(jobs);
    expect(after.map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // No attempt was lost to the restart.
    expect((await db.select().from(jobAttempts)).every((a) => a.state === 'completed')).toBe(true);
  });
});

/** A second, independent connection pool on the same PostgreSQL database. */
async function openSecondHandle(db: Db): Promise<DatabaseHandle> {
  const rows = await queryRows<{ db: string }>(db, sql`select current_database() as db`);
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${rows[0]?.db}`;
  return openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 4 });
}

/**
 * Closes a test database and opens it again from what it persisted: a PGlite test database is dumped to a
 * directory and reopened from it; a PostgreSQL one is reconnected with a fresh pool.
 */
async function reopen(handle: DatabaseHandle): Promise<DatabaseHandle> {
  if (handle.engine === 'postgres') {
    const second = await openSecondHandle(handle.db);
    await handle.close();
    return second;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'backfill-restart-'));
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('none');
  await handle.close();
  const restored = await PGlite.create(dir, { loadDataDir: dump });
  return wrapPglite(restored);
}
