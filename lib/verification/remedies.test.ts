import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { verifyMessage } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import {
  attemptRefunds,
  jobAttempts,
  jobEvents,
  jobs,
  ledgerPostings,
  ledgerTransactions,
  ledgerAccounts,
  nodes,
  type Job,
} from '@/lib/db/schema';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { rerunSuspectJob } from '@/lib/jobs/rerun';
import { getJobDetail, getReceipt, listJobs } from '@/lib/jobs/views';
import { balanceOf, getBalances, reservePayout, settlePayout } from '@/lib/ledger/operations';
import { refreshMetricRollups } from '@/lib/metrics/rollups';
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
} from '@/lib/testing/orchestration-fixture';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';
import { DEFAULT_VERIFICATION } from '@/lib/verification/config';
import { quarantineNode } from '@/lib/verification/quarantine';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

/** Every finished assignment is followed by a canary: the cheater is caught on its first one. */
const CATCHING: OrchestrationConfig = {
  ...TEST_ORCHESTRATION,
  verification: {
    ...DEFAULT_VERIFICATION,
    canaryRate: 1,
    canarySteps: 50,
    canaryWorkUnits: 5,
    reverifyIntervalMs: 30 * 24 * 3_600_000,
  },
};

const jobRow = async (db: Db, id: string): Promise<Job> => {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) throw new Error('no job');
  return row;
};

/** What the ledger's refund transactions gave each customer. */
async function refundedByLedger(db: Db, customer: string): Promise<bigint> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${ledgerPostings.amountMicros}), 0)::text` })
    .from(ledgerPostings)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerPostings.transactionId))
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.ledgerAccountId))
    .where(
      and(
        eq(ledgerTransactions.kind, 'refund'),
        eq(ledgerAccounts.ownerAccountId, customer),
        eq(ledgerAccounts.kind, 'customer_available'),
      ),
    );
  return BigInt(row?.total ?? 0);
}

describe.each(TEST_ENGINES)('remedies for work of a node caught afterwards, on %s', (engine) => {
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

  it('refunds three customers exactly the suspect attempts, tells them, amends the receipts and lets them re-run', async () => {
    const cheatOwner = await createAccount(db, clock, 'cheat');
    const honestOwner = await createAccount(db, clock, 'honest');
    const customers = [
      await createCustomer(db, clock, 100n),
      await createCustomer(db, clock, 100n),
      await createCustomer(db, clock, 100n),
    ];
    const cheat = await createNode(db, clock, {
      owner: cheatOwner,
      model: 'h100-80gb',
      gpuCount: 4,
      priceMicros: 1_000_000n,
    });
    // Two jobs finish on the cheat; the third is still running there when it is caught.
    const spec = (workUnits: number) => testSpec({ workUnits, requirements: { gpuModels: ['h100-80gb'] } });
    const launched = [
      await launch(db, clock, customers[0] as string, spec(60)),
      await launch(db, clock, customers[1] as string, spec(60)),
      await launch(db, clock, customers[2] as string, spec(400)),
    ];
    const agent = new ScriptedAgent(db, clock, cheat.id, 1, 20, CATCHING);
    // It skips every known-answer job it is given: the canary after the first finished job catches it.
    agent.behaviour = { skips: () => true };
    await runWorld(db, clock, [agent], {
      steps: 80,
      config: CATCHING,
      until: async () =>
        (await db.select().from(nodes).where(eq(nodes.id, cheat.id)))[0]?.status === 'quarantined',
    });
    const [caught] = await db.select().from(nodes).where(eq(nodes.id, cheat.id));
    expect(caught?.quarantineReason).toMatch(/canary/i);

    // Every customer attempt on the cheat is suspect, and refunded exactly its charge.
    const suspect = await db
      .select()
      .from(jobAttempts)
      .where(
        inArray(
          jobAttempts.jobId,
          launched.map((j) => j.id),
        ),
      );
    expect(suspect.length).toBe(3);
    for (const attempt of suspect) {
      expect(attempt.nodeId).toBe(cheat.id);
      expect(attempt.suspectAt).not.toBeNull();
      expect(attempt.chargedMicros).toBeGreaterThan(0n);
    }
    const refunds = await db.select().from(attemptRefunds);
    expect(refunds).toHaveLength(3);
    for (const refund of refunds) {
      const attempt = suspect.find((a) => a.id === refund.attemptId);
      expect(refund.fromHeldMicros + refund.fromPlatformMicros).toBe(attempt?.chargedMicros);
      expect(refund.fromHeldMicros).toBe(attempt?.supplierMicros);
      expect(refund.fromPlatformMicros).toBe(attempt?.feeMicros);
      expect(refund.uncoveredMicros).toBe(0n);
    }
    for (const [i, customer] of customers.entries()) {
      const job = launched[i] as Job;
      const charged = suspect.filter((a) => a.jobId === job.id).reduce((t, a) => t + a.chargedMicros, 0n);
      expect(await refundedByLedger(db, customer)).toBe(charged);
      expect((await jobRow(db, job.id)).refundedMicros).toBe(charged);
    }
    // The held earnings went back to the customers: nothing is left held for work that was not done.
    const supplierBalances = await getBalances(db, cheatOwner);
    expect(balanceOf(supplierBalances, 'supplier_held')).toBe(0n);
    expect(balanceOf(supplierBalances, 'supplier_payable')).toBe(0n);

    // Told: a notice on the job and in the list, and an event in the job's history.
    for (const [i, customer] of customers.entries()) {
      const job = launched[i] as Job;
      const detail = await getJobDetail(db, customer, job.id);
      expect(detail.suspect).toMatchObject({ attempts: [1], uncoveredMicros: '0', rerunJobId: null });
      expect(detail.suspect?.refundedMicros).toBe((await jobRow(db, job.id)).refundedMicros.toString());
      expect(detail.attempts[0]?.suspectAt).not.toBeNull();
      const list = await listJobs(db, customer, { limit: 25 });
      expect(list.items.find((j) => j.id === job.id)?.suspect).not.toBeNull();
      const events = await db
        .select()
        .from(jobEvents)
        .where(and(eq(jobEvents.jobId, job.id), eq(jobEvents.type, 'suspect')));
      expect(events).toHaveLength(1);
      expect(events[0]?.data).toMatchObject({ attempts: [1], nodeId: cheat.id });
    }

    // The finished jobs' receipts get a signed amendment naming the original; it verifies like the receipt.
    for (const job of launched.slice(0, 2)) {
      const receipt = await getReceipt(db, job.id);
      expect(receipt.amendments).toHaveLength(1);
      const [amendment] = receipt.amendments;
      expect(
        await verifyMessage({
          address: amendment?.signer as `0x${string}`,
          message: amendment?.payload as string,
          signature: amendment?.signature as `0x${string}`,
        }),
      ).toBe(true);
      expect(amendment?.amendment).toMatchObject({
        type: 'receipt-amendment',
        jobId: job.id,
        amends: {
          receiptSignature: receipt.signature,
          receiptPayloadSha256: createHash('sha256').update(receipt.payload).digest('hex'),
        },
        suspectAttempts: [{ number: 1, nodeId: cheat.id, uncoveredMicros: '0' }],
      });
      // A tampered amendment does not verify.
      expect(
        await verifyMessage({
          address: amendment?.signer as `0x${string}`,
          message: (amendment?.payload as string).replace('"number":1', '"number":2'),
          signature: amendment?.signature as `0x${string}`,
        }),
      ).toBe(false);
    }

    // The running job fails over, and resumes from nothing the cheat saved (it never ran anywhere else).
    const running = await jobRow(db, (launched[2] as Job).id);
    expect(running.state).toBe('queued');
    expect(running.checkpointUnits).toBe(0);
    expect(running.checkpointRef).toBeNull();
    await expect(
      rerunSuspectJob(db, clock, { accountId: customers[2] as string, jobId: running.id }),
    ).rejects.toMatchObject({ code: 'conflict' });

    // One click re-runs a finished suspect job on a trusted node; a second click is refused.
    const honest = await createNode(db, clock, {
      owner: honestOwner,
      model: 'h100-80gb',
      gpuCount: 2,
      priceMicros: 1_000_000n,
    });
    const first = launched[0] as Job;
    const rerun = await rerunSuspectJob(db, clock, { accountId: customers[0] as string, jobId: first.id });
    expect(rerun).toMatchObject({
      rerunOfJobId: first.id,
      budgetMicros: first.budgetMicros,
      state: 'queued',
    });
    expect(rerun.name).toBe(`${first.name} (re-run)`);
    await expect(
      rerunSuspectJob(db, clock, { accountId: customers[0] as string, jobId: first.id }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      rerunSuspectJob(db, clock, { accountId: customers[1] as string, jobId: first.id }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await getJobDetail(db, customers[0] as string, first.id)).suspect?.rerunJobId).toBe(rerun.id);
    const trusted = new ScriptedAgent(db, clock, honest.id, 1, 20, {
      ...CATCHING,
      verification: { ...DEFAULT_VERIFICATION, canaryRate: 0 },
    });
    await runWorld(db, clock, [trusted], {
      steps: 60,
      config: { ...CATCHING, verification: { ...DEFAULT_VERIFICATION, canaryRate: 0 } },
      until: async () => (await jobRow(db, rerun.id)).state === 'succeeded',
    });
    expect((await jobRow(db, rerun.id)).state).toBe('succeeded');
    const [rerunAttempt] = await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, rerun.id));
    expect(rerunAttempt?.nodeId).toBe(honest.id);
    expect(rerunAttempt?.suspectAt).toBeNull();

    // Metrics count refunded work as not paid: the day's paid figures are captures less refunds.
    const day = clock.now();
    await refreshMetricRollups(db, {
      from: new Date('2026-11-25T00:00:00Z'),
      to: new Date(day.getTime() + 86_400_000),
    });
    const [daily] = await queryRows<{ charged: string; paid_gpu_ms: string }>(
      db,
      sql`select charged_micros::text as charged, paid_gpu_ms::text from metrics_daily where day = '2026-11-25'`,
    );
    const all = await db.select().from(jobAttempts);
    const customerJobs = new Set(
      (await db.select().from(jobs).where(eq(jobs.kind, 'customer'))).map((j) => j.id),
    );
    const paidAttempts = all.filter((a) => customerJobs.has(a.jobId) && a.suspectAt === null);
    expect(BigInt(daily?.charged ?? -1)).toBe(paidAttempts.reduce((t, a) => t + a.chargedMicros, 0n));
    expect(Number(daily?.paid_gpu_ms)).toBe(paidAttempts.reduce((t, a) => t + a.meteredMs, 0));
  });

  it('covers what held earnings cannot from the platform’s fees, and records what neither covers', async () => {
    const owner = await createAccount(db, clock, 'paid-cheat');
    const customer = await createCustomer(db, clock, 100n);
    const node = await createNode(db, clock, { owner, model: 'h100-80gb', priceMicros: 2_000_000n });
    const job = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 60, requirements: { nodeId: node.id } }),
    );
    const agent = new ScriptedAgent(db, clock, node.id, 1, 20);
    await runWorld(db, clock, [agent], {
      steps: 40,
      until: async () => (await jobRow(db, job.id)).state === 'succeeded',
    });
    const [attempt] = await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, job.id));
    if (!attempt) throw new Error('no attempt');
    // Most of the supplier share was paid out on-chain before the node was caught.
    const paidOut = attempt.supplierMicros - 1_000n;
    await reservePayout(db, clock, { supplier: owner, amountMicros: paidOut, memo: 'payout' });
    await settlePayout(db, clock, { supplier: owner, amountMicros: paidOut, memo: 'payout confirmed' });
    // This network's fees so far are this one job's: less than what the payout took.
    const [fees] = await db
      .select({ balance: ledgerAccounts.balanceMicros })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.kind, 'platform_fees'));
    expect(fees?.balance).toBe(attempt.feeMicros);

    const outcome = await quarantineNode(db, clock, TEST_ORCHESTRATION, node.id, 'Failed a canary job');
    expect(outcome.heldMicros).toBe(1_000n);
    const uncovered = attempt.chargedMicros - 1_000n - attempt.feeMicros;
    expect(uncovered).toBeGreaterThan(0n);
    const [refund] = await db.select().from(attemptRefunds);
    expect(refund).toMatchObject({
      fromHeldMicros: 1_000n,
      fromPlatformMicros: attempt.feeMicros,
      uncoveredMicros: uncovered,
    });
    expect(await refundedByLedger(db, customer)).toBe(1_000n + attempt.feeMicros);
    expect(balanceOf(await getBalances(db, owner), 'supplier_held')).toBe(0n);
    // The customer is told what was not covered; the amendment says it too.
    const detail = await getJobDetail(db, customer, job.id);
    expect(detail.suspect).toMatchObject({
      refundedMicros: (1_000n + attempt.feeMicros).toString(),
      uncoveredMicros: uncovered.toString(),
    });
    const receipt = await getReceipt(db, job.id);
    expect(receipt.amendments[0]?.amendment).toMatchObject({
      totals: { uncoveredMicros: uncovered.toString() },
    });

    // Quarantine is idempotent: a second verdict refunds nothing twice.
    const again = await quarantineNode(db, clock, TEST_ORCHESTRATION, node.id, 'Failed a canary job');
    expect(again.quarantined).toBe(false);
    expect(await db.select().from(attemptRefunds)).toHaveLength(1);
    expect(await refundedByLedger(db, customer)).toBe(1_000n + attempt.feeMicros);

    // Two clicks racing: one re-run is launched, the other is refused (a unique index decides, not a read).
    const outcomes = await Promise.allSettled([
      rerunSuspectJob(db, clock, { accountId: customer, jobId: job.id }),
      rerunSuspectJob(db, clock, { accountId: customer, jobId: job.id }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult | undefined;
    expect(refused?.reason).toMatchObject({ code: 'conflict' });
    expect(await db.select().from(jobs).where(eq(jobs.rerunOfJobId, job.id))).toHaveLength(1);
  });
  it('re-runs from the last checkpoint a trusted node wrote before the suspect one took over', async () => {
    const customer = await createCustomer(db, clock, 100n);
    const trustedOwner = await createAccount(db, clock, 'trusted');
    const first = await createNode(db, clock, { owner: trustedOwner, model: 'h100-80gb' });
    const job = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 120, requirements: { gpuModels: ['h100-80gb'] } }),
    );
    const honest = new ScriptedAgent(db, clock, first.id, 1, 20, CATCHING);
    await runWorld(db, clock, [honest], {
      steps: 40,
      config: CATCHING,
      until: async () => (await jobRow(db, job.id)).checkpointUnits >= 40,
    });
    const trustedUnits = (await jobRow(db, job.id)).checkpointUnits;
    expect(trustedUnits).toBeGreaterThanOrEqual(40);
    // The trusted host vanishes; a cheat takes the job over, finishes it, and is caught by the next canary.
    honest.alive = false;
    const cheat = await createNode(db, clock, {
      owner: await createAccount(db, clock, 'cheat'),
      model: 'h100-80gb',
    });
    const cheater = new ScriptedAgent(db, clock, cheat.id, 1, 20, CATCHING);
    cheater.behaviour = { skips: () => true };
    await runWorld(db, clock, [honest, cheater], {
      steps: 120,
      config: CATCHING,
      until: async () =>
        (await db.select().from(nodes).where(eq(nodes.id, cheat.id)))[0]?.status === 'quarantined',
    });
    const attempts = await db
      .select()
      .from(jobAttempts)
      .where(eq(jobAttempts.jobId, job.id))
      .orderBy(jobAttempts.number);
    expect(attempts.map((a) => [a.nodeId, a.suspectAt !== null])).toEqual([
      [first.id, false],
      [cheat.id, true],
    ]);
    const refunds = await db.select().from(attemptRefunds).where(eq(attemptRefunds.jobId, job.id));
    expect(refunds.map((r) => r.attemptId)).toEqual([attempts[1]?.id]);
    const detail = await getJobDetail(db, customer, job.id);
    expect(detail.state).toBe('succeeded');
    expect(detail.suspect).toMatchObject({ attempts: [2], trustedCheckpointUnits: trustedUnits });

    // The re-run starts from the trusted node's checkpoint, downloaded like any resume.
    const rerun = await rerunSuspectJob(db, clock, { accountId: customer, jobId: job.id });
    expect(rerun).toMatchObject({ checkpointUnits: trustedUnits, progressUnits: trustedUnits });
    const third = await createNode(db, clock, { owner: trustedOwner, model: 'h100-80gb' });
    const next = new ScriptedAgent(db, clock, third.id, 1, 20, {
      ...CATCHING,
      verification: { ...DEFAULT_VERIFICATION, canaryRate: 0 },
    });
    await runWorld(db, clock, [next], {
      steps: 60,
      config: { ...CATCHING, verification: { ...DEFAULT_VERIFICATION, canaryRate: 0 } },
      until: async () => (await jobRow(db, rerun.id)).state === 'succeeded',
    });
    const [resumed] = await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, rerun.id));
    expect(resumed).toMatchObject({ nodeId: third.id, resumedFromUnits: trustedUnits });
    expect((await jobRow(db, rerun.id)).state).toBe('succeeded');
  });
});
