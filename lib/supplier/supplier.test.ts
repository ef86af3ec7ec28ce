import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MS_PER_DAY } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { jobAttempts, jobEvents, jobs, nodes, offers, payouts } from '@/lib/db/schema';
import { closeIncentiveEpochs } from '@/lib/incentives/close-epochs';
import { DEFAULT_INCENTIVES, TOKEN_MICROS } from '@/lib/incentives/config';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { balanceOf, captureHold, getBalances, placeHold } from '@/lib/ledger/operations';
import { modelPriceBands } from '@/lib/market/offer-summary';
import { microsToDecimal, parseUsdcToMicros } from '@/lib/money';
import { csvField } from '@/lib/csv';
import { earningsCsv, payoutsCsv } from '@/lib/supplier/csv';
import { getSupplierEarnings } from '@/lib/supplier/earnings';
import {
  estimateMonthlyEarnings,
  getSupplierNode,
  listSupplierNodes,
  updateNodePrice,
  utilizationBp,
} from '@/lib/supplier/nodes';
import { resolveRange } from '@/lib/supplier/range';
import type { SupplierNodeView } from '@/lib/supplier/schemas';
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
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { DEFAULT_VERIFICATION } from '@/lib/verification/config';

/** Every finished assignment is followed by a canary: unpaid platform work that must never count as earnings. */
const CONFIG: OrchestrationConfig = {
  ...TEST_ORCHESTRATION,
  verification: { ...DEFAULT_VERIFICATION, ...TEST_ORCHESTRATION.verification, canaryRate: 1 },
};
const VIEW = { takeRateBp: CONFIG.takeRateBp };
const MIDNIGHT = new Date('2026-11-26T00:00:00Z');

async function csvText(lines: AsyncGenerator<string>): Promise<string> {
  let text = '';
  for await (const chunk of lines) text += chunk;
  return text;
}

/** Splits CSV text into rows of fields (quoted fields may hold commas, newlines and doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += ch;
  }
  return rows;
}

describe('supplier console', () => {
  let handle: DatabaseHandle;
  let db: Db;
  const clock = new ManualClock('2026-11-25T23:58:00Z');
  let alice: string;
  let bob: string;
  let customer: string;
  let a: { id: string };
  let b: { id: string };
  let c: { id: string };
  let unverified: { id: string };
  let straddling: string;
  let agents: ScriptedAgent[];

  async function attemptsOn(nodeId: string, kind: 'customer' | 'canary') {
    return db
      .select({ attempt: jobAttempts, job: jobs })
      .from(jobAttempts)
      .innerJoin(jobs, eq(jobs.id, jobAttempts.jobId))
      .where(and(eq(jobAttempts.nodeId, nodeId), eq(jobs.kind, kind)));
  }
  async function jobState(id: string) {
    const [row] = await db.select({ state: jobs.state }).from(jobs).where(eq(jobs.id, id));
    return row?.state;
  }

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    db = handle.db;
    alice = await createAccount(db, clock, 'alice');
    bob = await createAccount(db, clock, 'bob');
    customer = await createCustomer(db, clock, 200n);
    a = await createNode(db, clock, { owner: alice, priceMicros: 360_000n });
    b = await createNode(db, clock, { owner: alice, gpuCount: 2, priceMicros: 720_000n });
    c = await createNode(db, clock, { owner: bob, priceMicros: 500_000n });
    unverified = await createNode(db, clock, { owner: alice, verified: false, priceMicros: 410_000n });
    // A name a spreadsheet would choke on, to check the CSV escaping.
    await db.update(nodes).set({ name: 'rack 1, "east"' }).where(eq(nodes.id, a.id));
    agents = [a, b, c].map((n) => new ScriptedAgent(db, clock, n.id, 1, 30, CONFIG));

    // Job 1 runs on A across midnight (UTC), checkpointing every 30 s; job 2 runs on B's two GPUs.
    const job1 = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 240, requirements: { nodeId: a.id } }),
    );
    const job2 = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 60, requirements: { nodeId: b.id, gpuCount: 2 } }),
    );
    straddling = job1.id;
    await runWorld(db, clock, agents, {
      steps: 200,
      config: CONFIG,
      until: async () =>
        (await jobState(job1.id)) === 'succeeded' &&
        (await jobState(job2.id)) === 'succeeded' &&
        (await attemptsOn(a.id, 'canary')).some((r) => r.job.state === 'succeeded'),
    });
    expect(await jobState(job1.id)).toBe('succeeded');

    // Even a charge keyed to a canary attempt (canaries are unpaid, so this never happens) is not earnings.
    const [canary] = await attemptsOn(a.id, 'canary');
    if (!canary) throw new Error('no canary ran on node A');
    await placeHold(db, clock, { customer, amountMicros: 1_000n, memo: 'test' });
    await captureHold(db, clock, {
      customer,
      supplier: alice,
      supplierMicros: 900n,
      feeMicros: 100n,
      memo: 'test',
      idempotencyKey: `capture:${canary.attempt.id}:1000`,
    });

    // An hour later both epochs have elapsed; the incentives are emitted.
    clock.set('2026-11-26T01:00:30Z');
    const closed = await closeIncentiveEpochs(db, clock, DEFAULT_INCENTIVES);
    expect(closed.closed.map((e) => e.epochStart.toISOString())).toEqual([
      '2026-11-25T23:00:00.000Z',
      '2026-11-26T00:00:00.000Z',
    ]);
  }, 120_000);

  afterAll(async () => {
    await expectLedgerConsistent(db);
    await handle.close();
  });

  it('splits paid work (from ledger captures, per UTC day) from incentives, and leaves canaries out', async () => {
    const report = await getSupplierEarnings(
      db,
      alice,
      resolveRange({ from: '2026-11-25', to: '2026-11-26' }, clock.now()),
    );
    const [customerAttemptA] = await attemptsOn(a.id, 'customer');
    const [customerAttemptB] = await attemptsOn(b.id, 'customer');
    if (!customerAttemptA || !customerAttemptB) throw new Error('missing attempts');

    // Day 1 on A: the supplier share of what job 1 had been charged before midnight.
    const [beforeMidnight] = await db
      .select({ data: jobEvents.data })
      .from(jobEvents)
      .where(
        and(
          eq(jobEvents.jobId, straddling),
          eq(jobEvents.type, 'charged'),
          lt(jobEvents.createdAt, MIDNIGHT),
        ),
      )
      .orderBy(desc(jobEvents.id))
      .limit(1);
    const chargedBefore = BigInt(String(beforeMidnight?.data.totalChargedMicros));
    const paidDay1 = chargedBefore - (chargedBefore * BigInt(CONFIG.takeRateBp)) / 10_000n;
    expect(paidDay1).toBeGreaterThan(0n);

    const [day1, day2] = report.days;
    expect(report.days.map((d) => d.day)).toEqual(['2026-11-25', '2026-11-26']);
    const onA = (day: typeof day1) => day?.nodes.find((n) => n.nodeId === a.id);
    expect(onA(day1)?.paidMicros).toBe(paidDay1.toString());
    expect(BigInt(onA(day1)?.paidMicros ?? 0) + BigInt(onA(day2)?.paidMicros ?? 0)).toBe(
      customerAttemptA.attempt.supplierMicros,
    );
    expect(report.nodes.find((n) => n.nodeId === b.id)?.paidMicros).toBe(
      customerAttemptB.attempt.supplierMicros.toString(),
    );
    // Paid = the customer attempts' supplier shares exactly; the canary-keyed charge is not in it.
    const paidTotal = customerAttemptA.attempt.supplierMicros + customerAttemptB.attempt.supplierMicros;
    expect(report.totals.paidMicros).toBe(paidTotal.toString());

    // Incentives: per epoch A has 1 GPU, B 2 and bob's C 1, all online the same time → ¼, ½ (and ¼ for bob).
    const token = TOKEN_MICROS;
    for (const day of [day1, day2]) {
      expect(onA(day)?.incentiveMicros).toBe((250n * token).toString());
      expect(onA(day)?.incentiveUsdMicros).toBe('12500000');
      expect(day?.nodes.find((n) => n.nodeId === b.id)?.incentiveMicros).toBe((500n * token).toString());
      expect(day?.nodes.find((n) => n.nodeId === unverified.id)).toBeUndefined();
    }
    expect(report.totals.incentiveMicros).toBe((1_500n * token).toString());
    expect(report.totals.incentiveUsdMicros).toBe('75000000');
    expect(report.totals.totalUsdMicros).toBe((paidTotal + 75_000_000n).toString());

    // Balances come from the ledger: payable includes the odd charge; incentives are their own currency.
    const balances = await getBalances(db, alice);
    expect(report.balances).toEqual({
      payableMicros: balanceOf(balances, 'supplier_payable').toString(),
      payoutPendingMicros: '0',
      heldMicros: '0',
      incentivesMicros: (1_500n * token).toString(),
    });
    expect(balanceOf(balances, 'supplier_payable')).toBe(paidTotal + 900n);
  });

  it('shows each node with uptime, utilization of customer work only, the market band and an estimate', async () => {
    const page = await listSupplierNodes(db, clock, VIEW, alice, { limit: 10 });
    expect(page.items.map((n) => n.id).sort()).toEqual([a.id, b.id, unverified.id].sort());
    const nodeA = page.items.find((n) => n.id === a.id) as SupplierNodeView;

    // Leased GPU-time of customer attempts ÷ online GPU-time (A has been up since its creation).
    const canaries = await attemptsOn(a.id, 'canary');
    expect(canaries.length).toBeGreaterThan(0);
    const leasedMs = (await attemptsOn(a.id, 'customer')).reduce(
      (sum, r) => sum + ((r.attempt.endedAt ?? clock.now()).getTime() - r.attempt.assignedAt.getTime()),
      0,
    );
    const onlineMs = clock.now().getTime() - new Date('2026-11-25T23:58:00Z').getTime();
    expect(nodeA.utilization30dBp).toBe(Math.round((leasedMs * 10_000) / onlineMs));
    expect(nodeA.uptime30dBp).toBe(10_000);
    expect(nodeA.uptimeDaily).toHaveLength(30);
    expect(nodeA.uptimeDaily.slice(-2)).toEqual([
      { day: '2026-11-25', uptimeBp: 10_000 },
      { day: '2026-11-26', uptimeBp: 10_000 },
    ]);
    expect(nodeA.uptimeDaily[0]?.uptimeBp).toBeNull();
    expect(nodeA.estimatedMonthlyEarningsMicros).toBe(
      estimateMonthlyEarnings(360_000n, 1, nodeA.utilization30dBp, CONFIG.takeRateBp).toString(),
    );

    const [band] = await modelPriceBands(db, 'rtx-4090-24gb');
    expect(nodeA.market).toEqual({
      p10PriceMicros: band?.p10PriceMicros,
      medianPriceMicros: band?.medianPriceMicros,
      p90PriceMicros: band?.p90PriceMicros,
      offers: band?.nodesListed,
    });

    // The canary that followed job 1 passed: it is the latest check and the latest pass.
    expect(nodeA.verification).toMatchObject({ state: 'verified', method: 'canary', quarantinedAt: null });
    expect(nodeA.verification.lastCheck).toMatchObject({ method: 'canary', result: 'pass' });
    expect(nodeA.verification.lastVerifiedAt).not.toBeNull();
    const nodeU = page.items.find((n) => n.id === unverified.id);
    expect(nodeU?.verification).toMatchObject({ state: 'unverified', lastVerifiedAt: null, lastCheck: null });
    expect(nodeU?.earnings.last30d.incentiveMicros).toBe('0');

    // Today's earnings are the second UTC day's; 30 days cover both.
    expect(nodeA.earnings.today.incentiveMicros).toBe((250n * TOKEN_MICROS).toString());
    expect(nodeA.earnings.last30d.incentiveMicros).toBe((500n * TOKEN_MICROS).toString());
    expect(BigInt(nodeA.earnings.last30d.paidMicros)).toBe(
      (await attemptsOn(a.id, 'customer'))[0]?.attempt.supplierMicros,
    );
  });

  it('shows the benchmark a node is running, and none once it is answered', async () => {
    const { issueDueChallenges } = await import('@/lib/verification/challenges');
    const fresh = await createNode(db, clock, { owner: alice, verified: false });
    await issueDueChallenges(db, clock, CONFIG);
    const page = await listSupplierNodes(db, clock, VIEW, alice, { limit: 10 });
    const view = page.items.find((n) => n.id === fresh.id) as SupplierNodeView;
    expect(view.verification.benchmark).toEqual({
      state: 'pending',
      since: clock.now().toISOString(),
      referenceMs: CONFIG.verification?.benchmarkReferenceMs,
    });
    expect(page.items.find((n) => n.id === a.id)?.verification.benchmark).toBeNull();
    await db.delete(nodes).where(eq(nodes.id, fresh.id));
  });

  it('pages nodes newest first without repeating or skipping one', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listSupplierNodes(db, clock, VIEW, alice, {
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((n) => n.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.sort()).toEqual([a.id, b.id, unverified.id].sort());
  });

  it('exports earnings as CSV with the USD value at the time, escaped for spreadsheets', async () => {
    const range = resolveRange({ from: '2026-11-25', to: '2026-11-26' }, clock.now());
    const rows = parseCsv(await csvText(earningsCsv(db, alice, range)));
    expect(rows[0]).toEqual([
      'date',
      'at',
      'kind',
      'node_id',
      'node_name',
      'job_id',
      'amount',
      'currency',
      'usd_value',
      'usd_price',
      'ledger_transaction_id',
    ]);
    const body = rows.slice(1);
    const paid = body.filter((r) => r[2] === 'paid');
    const incentives = body.filter((r) => r[2] === 'incentive');
    // Oldest first.
    const times = body.map((r) => r[1] ?? '');
    expect([...times].sort()).toEqual(times);
    expect(incentives).toHaveLength(4);
    const firstA = incentives.find((r) => r[3] === a.id);
    expect(firstA?.slice(0, 10)).toEqual([
      '2026-11-25',
      '2026-11-25T23:00:00.000Z',
      'incentive',
      a.id,
      'rack 1, "east"',
      '',
      '250.00',
      'INCENTIVE',
      '12.50',
      '0.05',
    ]);
    // Paid rows add up to the report's paid total, each with its job; no canary job appears.
    const report = await getSupplierEarnings(db, alice, range);
    const sum = paid.reduce((acc, r) => acc + (parseUsdcToMicros(r[6] ?? '') ?? -1n), 0n);
    expect(sum.toString()).toBe(report.totals.paidMicros);
    for (const r of paid) {
      expect(r[7]).toBe('USDC');
      expect(r[8]).toBe(r[6]);
      expect(r[9]).toBe('1.00');
    }
    const jobIds = new Set(paid.map((r) => r[5]));
    const canaryJobs = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.kind, 'canary'));
    for (const j of canaryJobs) expect(jobIds.has(j.id)).toBe(false);
    expect(jobIds.has(straddling)).toBe(true);
    expect(paid.some((r) => r[0] === '2026-11-25') && paid.some((r) => r[0] === '2026-11-26')).toBe(true);
  });

  it('exports payouts as CSV with chain, transaction and explorer link', async () => {
    const txHash = `0x${'ab'.repeat(32)}`;
    await db.insert(payouts).values({
      accountId: alice,
      idempotencyKey: 'csv-test-payout',
      chainId: 8453,
      toAddress: '0x1111111111111111111111111111111111111111',
      amountMicros: 12_345_678n,
      state: 'confirmed',
      txHash,
      createdAt: new Date('2026-11-26T00:30:00Z'),
      updatedAt: new Date('2026-11-26T00:31:00Z'),
      confirmedAt: new Date('2026-11-26T00:31:00Z'),
    });
    const range = resolveRange({}, clock.now());
    const rows = parseCsv(await csvText(payoutsCsv(db, alice, range)));
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(1)).toEqual([
      '2026-11-26T00:30:00.000Z',
      '2026-11-26T00:31:00.000Z',
      'confirmed',
      '12.345678',
      'USDC',
      '12.345678',
      '8453',
      '0x1111111111111111111111111111111111111111',
      txHash,
      `https://basescan.org/tx/${txHash}`,
      '',
    ]);
    expect(await csvText(payoutsCsv(db, bob, range))).toBe(`${rows[0]?.join(',')}\n`);
  });

  it('shows another supplier nothing of it', async () => {
    const range = resolveRange({ from: '2026-11-25', to: '2026-11-26' }, clock.now());
    const report = await getSupplierEarnings(db, bob, range);
    expect(report.nodes.map((n) => n.nodeId)).toEqual([c.id]);
    expect(report.totals.paidMicros).toBe('0');
    expect(report.totals.incentiveMicros).toBe((500n * TOKEN_MICROS).toString());
    const listed = await listSupplierNodes(db, clock, VIEW, bob, { limit: 100 });
    expect(listed.items.map((n) => n.id)).toEqual([c.id]);
    const csv = await csvText(earningsCsv(db, bob, range));
    for (const id of [a.id, b.id, unverified.id, straddling]) expect(csv).not.toContain(id);
    await expect(getSupplierNode(db, clock, VIEW, bob, a.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateNodePrice(db, clock, bob, a.id, 1n)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('changes the price of the next placements and the offer, never of a running attempt', async () => {
    // A canary may still be running on A: the job (first in the queue) follows it.
    const job = await launch(
      db,
      clock,
      customer,
      testSpec({ workUnits: 60, requirements: { nodeId: a.id } }),
    );
    await runWorld(db, clock, agents, {
      steps: 60,
      until: async () => (await jobState(job.id)) === 'running',
    });
    expect(await jobState(job.id)).toBe('running');
    await updateNodePrice(db, clock, alice, a.id, 999_000n);
    await updateNodePrice(db, clock, alice, b.id, 650_000n);
    const [offerB] = await db.select().from(offers).where(eq(offers.nodeId, b.id));
    expect(offerB?.priceMicros).toBe(650_000n);
    await runWorld(db, clock, agents, {
      steps: 40,
      until: async () => (await jobState(job.id)) === 'succeeded',
    });
    expect(await jobState(job.id)).toBe('succeeded');
    const [attempt] = await db.select().from(jobAttempts).where(eq(jobAttempts.jobId, job.id));
    expect(attempt?.pricePerGpuHourMicros).toBe(360_000n);
    expect((await getSupplierNode(db, clock, VIEW, alice, a.id)).priceMicros).toBe('999000');
  });

  it('computes the estimate and utilization in integers', () => {
    expect(estimateMonthlyEarnings(360_000n, 1, 5_000, 1_000)).toBe(118_260_000n);
    expect(estimateMonthlyEarnings(2_000_000n, 8, 10_000, 0)).toBe(11_680_000_000n);
    expect(utilizationBp(0n, 0n)).toBe(0);
    expect(utilizationBp(1n, 3n)).toBe(3_333);
    expect(utilizationBp(5n, 3n)).toBe(10_000);
  });

  it('resolves report ranges in whole UTC days, at most 366', () => {
    const now = new Date('2026-11-26T13:00:00Z');
    expect(resolveRange({}, now)).toMatchObject({ from: '2026-10-28', to: '2026-11-26' });
    expect(resolveRange({}, now).end.toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(resolveRange({ to: '2026-01-10' }, now).from).toBe('2025-12-12');
    expect(resolveRange({ from: '2025-11-26', to: '2026-11-26' }, now).start.getTime()).toBe(
      new Date('2026-11-26T00:00:00Z').getTime() - 365 * MS_PER_DAY,
    );
    expect(() => resolveRange({ from: '2025-11-25', to: '2026-11-26' }, now)).toThrow(/from/);
    expect(() => resolveRange({ from: '2026-11-27', to: '2026-11-26' }, now)).toThrow(/from/);
  });

  it('escapes CSV fields and defuses formulas, leaving numbers alone', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-12.50')).toBe('-12.50');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(null)).toBe('');
    expect(microsToDecimal(50_000n)).toBe('0.05');
  });

  it('keeps the ledger consistent', async () => {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ledger_postings where currency = 'incentive' and amount_micros > 0`,
    );
    expect(row?.n).toBeGreaterThan(0);
    await expectLedgerConsistent(db);
  });
});
