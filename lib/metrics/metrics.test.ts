import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getMetricRoute } from '@/app/api/v1/metrics/[metric]/route';
import { GET as getSummaryRoute } from '@/app/api/v1/metrics/route';
import { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { accounts, deposits, jobAttempts, jobs, payouts } from '@/lib/db/schema';
import { closeIncentiveEpochs } from '@/lib/incentives/close-epochs';
import { DEFAULT_INCENTIVES, type IncentiveConfig } from '@/lib/incentives/config';
import { cancelJob } from '@/lib/jobs/cancel';
import {
  creditDeposit,
  creditSimulatedFunding,
  debitSimulatedPayout,
  reservePayout,
  reserveWithdrawal,
  settleWithdrawal,
  settlePayout,
} from '@/lib/ledger/operations';
import { METRICS, type Granularity, type MetricId } from '@/lib/metrics/definitions';
import { getMetricSeries, getMetricsSummary, metricCsv } from '@/lib/metrics/queries';
import { rebuildMetricRollups, refreshRecentMetricRollups } from '@/lib/metrics/rollups';
import type { MetricRow, MetricSeries } from '@/lib/metrics/schemas';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { call, useTestServices } from '@/lib/testing/api-harness';
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
} from '@/lib/testing/orchestration-fixture';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

/**
 * Independent recomputation: a few months of a small network are played through the live domain code (jobs
 * launched, placed, run by scripted agents over the heartbeat protocol, hosts lost, workloads failing,
 * cancellations, budgets running out, incentive epochs, deposits and payouts). Every published metric is
 * then recomputed here from the raw tables with naive queries and plain TypeScript — no rollup, no shared SQL —
 * and must agree exactly, for every granularity, on PGlite and on the PostgreSQL server. The rollups are
 * maintained incrementally (as the worker does) and must also equal a full rebuild.
 */

const DAY = 86_400_000;
const FROM = '2026-01-01';
const TO = '2026-04-30';
const INCENTIVES: IncentiveConfig = {
  ...DEFAULT_INCENTIVES,
  epochMs: DAY,
  maxEpochsPerRun: 400,
  backfillMs: 60 * DAY,
};

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

// ————— the scenario —————

interface World {
  agents: ScriptedAgent[];
  customers: Record<'c1' | 'c2' | 'c3' | 'c4', string>;
  suppliers: string[];
}

async function finalJobs(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ open: number }>(
    db,
    sql`select count(*)::int as open from jobs where state not in ('succeeded', 'failed', 'cancelled', 'out_of_budget')`,
  );
  return row?.open === 0;
}

async function attemptIdsOf(db: Db, jobId: string): Promise<string[]> {
  const rows = await db.select({ id: jobAttempts.id }).from(jobAttempts).where(eq(jobAttempts.jobId, jobId));
  return rows.map((r) => r.id);
}

const renderJob = (units: number, budgetUsdc: bigint, extra: Parameters<typeof testSpec>[0] = {}) =>
  testSpec({ workUnits: units, budgetMicros: (budgetUsdc * USDC).toString(), ...extra });

/** One month of activity: launches, special cases, settling everything, epochs, refresh. */
async function playMonth(
  db: Db,
  clock: ManualClock,
  world: World,
  month: string,
  plan: { customer: keyof World['customers']; jobs: number; units: number }[],
  special: (launched: string[]) => Promise<void>,
) {
  clock.set(`${month}-05T09:00:00Z`);
  const launched: string[] = [];
  for (const { customer, jobs: count, units } of plan)
    for (let i = 0; i < count; i++) {
      const job = await launch(db, clock, world.customers[customer], renderJob(units + i * 40, 30n));
      launched.push(job.id);
      clock.advance(7_000);
    }
  await special(launched);
  await runWorld(db, clock, world.agents, { steps: 400, stepSeconds: 5, until: () => finalJobs(db) });
  expect(await finalJobs(db)).toBe(true);
  clock.advance(3 * 3_600_000);
  await closeIncentiveEpochs(db, clock, INCENTIVES);
  await refreshRecentMetricRollups(db, clock);
}

/** A confirmed on-chain deposit as the indexer records it: the transfer's row, then the ledger credit. */
async function onchainDeposit(db: Db, clock: ManualClock, customer: string, usdc: bigint) {
  const { transaction } = await creditDeposit(db, clock, {
    customer,
    amountMicros: usdc * USDC,
    memo: 'USDC deposit',
    idempotencyKey: `test-deposit:${randomBytes(6).toString('hex')}`,
  });
  const now = clock.now();
  await db.insert(deposits).values({
    chainId: 31337,
    txHash: `0x${randomBytes(32).toString('hex')}`,
    logIndex: 0,
    accountId: customer,
    source: 'indexer',
    fromAddress: `0x${randomBytes(20).toString('hex')}`,
    amountMicros: usdc * USDC,
    blockNumber: 100n,
    blockHash: `0x${randomBytes(32).toString('hex')}`,
    confirmationsRequired: 3,
    state: 'credited',
    ledgerTransactionId: transaction.id,
    createdAt: now,
    updatedAt: now,
    creditedAt: now,
  });
}

/**
 * A payout row confirmed on-chain, with its ledger movements as the payout processor posts them: a supplier's
 * payout, or a customer's withdrawal of unused balance (same table and treasury, never a payout).
 */
async function confirmedTransferOut(
  db: Db,
  clock: ManualClock,
  source: 'supplier_earnings' | 'customer_balance',
  owner: string,
  amountMicros: bigint,
) {
  const now = clock.now();
  const [row] = await db
    .insert(payouts)
    .values({
      accountId: owner,
      source,
      idempotencyKey: randomBytes(8).toString('hex'),
      chainId: 31337,
      toAddress: `0x${randomBytes(20).toString('hex')}`,
      amountMicros,
      state: 'confirmed',
      nonce: Math.floor(Math.random() * 1e9),
      txHash: `0x${randomBytes(32).toString('hex')}`,
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    })
    .returning();
  if (!row) throw new Error('payout insert failed');
  if (source === 'customer_balance') {
    const movement = { customer: owner, amountMicros, memo: `Withdrawal ${row.id}` };
    await reserveWithdrawal(db, clock, { ...movement, idempotencyKey: `withdrawal-reserve:${row.id}` });
    await settleWithdrawal(db, clock, { ...movement, idempotencyKey: `withdrawal-settle:${row.id}` });
    return;
  }
  const movement = { supplier: owner, amountMicros, memo: `Payout ${row.id}` };
  await reservePayout(db, clock, { ...movement, idempotencyKey: `payout-reserve:${row.id}` });
  await settlePayout(db, clock, { ...movement, idempotencyKey: `payout-settle:${row.id}` });
}

async function playScenario(db: Db, clock: ManualClock): Promise<World> {
  clock.set('2026-01-04T10:00:00Z');
  const suppliers = [
    await createAccount(db, clock, 'supplier a'),
    await createAccount(db, clock, 'supplier b'),
  ];
  const nodeRows = [
    await createNode(db, clock, { owner: suppliers[0] as string, gpuCount: 1, priceMicros: 400_000n }),
    await createNode(db, clock, { owner: suppliers[1] as string, gpuCount: 2, priceMicros: 450_000n }),
    await createNode(db, clock, { owner: suppliers[1] as string, gpuCount: 1, priceMicros: 500_000n }),
  ];
  const agents = nodeRows.map((n) => new ScriptedAgent(db, clock, n.id, 2, 40));
  const world: World = {
    agents,
    suppliers,
    customers: {
      c1: await createCustomer(db, clock, 200n),
      c2: await createCustomer(db, clock, 200n),
      c3: '',
      c4: '',
    },
  };
  // January: two customers; one job runs out of budget.
  await playMonth(
    db,
    clock,
    world,
    '2026-01',
    [
      { customer: 'c1', jobs: 2, units: 200 },
      { customer: 'c2', jobs: 1, units: 240 },
    ],
    async () => {
      await launch(db, clock, world.customers.c1, testSpec({ workUnits: 400, budgetMicros: '5000' }));
    },
  );
  // February: a new customer; a cancelled job and a workload that fails (user error); an on-chain deposit.
  clock.set('2026-02-02T08:00:00Z');
  world.customers.c3 = await createCustomer(db, clock, 100n);
  await onchainDeposit(db, clock, world.customers.c3, 50n);
  await playMonth(
    db,
    clock,
    world,
    '2026-02',
    [
      { customer: 'c1', jobs: 1, units: 160 },
      { customer: 'c2', jobs: 2, units: 240 },
      { customer: 'c3', jobs: 2, units: 200 },
    ],
    async () => {
      const doomed = await launch(db, clock, world.customers.c3, renderJob(300, 20n));
      const cancelled = await launch(db, clock, world.customers.c2, renderJob(2_000, 20n));
      await runWorld(db, clock, world.agents, {
        steps: 300,
        stepSeconds: 5,
        until: async () => (await attemptIdsOf(db, doomed.id)).length > 0,
      });
      const failing = new Set(await attemptIdsOf(db, doomed.id));
      for (const agent of world.agents) agent.behaviour.fails = (id) => failing.has(id);
      await runWorld(db, clock, world.agents, { steps: 6, stepSeconds: 5 });
      await cancelJob(db, clock, world.customers.c2, cancelled.id);
    },
  );
  await confirmedTransferOut(db, clock, 'supplier_earnings', world.suppliers[1] as string, 5_000n);
  // March: c1 churns, c4 joins, c2 expands; a host vanishes mid-run and its jobs resume elsewhere.
  clock.set('2026-03-01T12:00:00Z');
  world.customers.c4 = await createCustomer(db, clock, 300n);
  for (const agent of world.agents) agent.behaviour = {};
  await playMonth(
    db,
    clock,
    world,
    '2026-03',
    [
      { customer: 'c2', jobs: 3, units: 280 },
      { customer: 'c3', jobs: 1, units: 200 },
      { customer: 'c4', jobs: 2, units: 240 },
    ],
    async () => {
      await runWorld(db, clock, world.agents, { steps: 12, stepSeconds: 5 });
      const victim = world.agents[1] as ScriptedAgent;
      victim.alive = false;
      await runWorld(db, clock, world.agents, {
        steps: 200,
        stepSeconds: 5,
        until: async () => {
          const [lost] = await queryRows<{ n: number }>(
            db,
            sql`select count(*)::int as n from job_attempts where state = 'host_lost'`,
          );
          return (lost?.n ?? 0) > 0;
        },
      });
      victim.alive = true;
    },
  );
  // April: c1 comes back, c2 keeps growing; a job loses its only allowed host (host failure, lost).
  await playMonth(
    db,
    clock,
    world,
    '2026-04',
    [
      { customer: 'c1', jobs: 1, units: 200 },
      { customer: 'c2', jobs: 4, units: 300 },
      { customer: 'c4', jobs: 1, units: 240 },
    ],
    async () => {
      const fragile = await launch(db, clock, world.customers.c4, renderJob(3_000, 20n));
      const strict = { ...CONFIG, maxAttempts: 1 };
      const firstAttempt = async () => {
        const [row] = await db
          .select()
          .from(jobAttempts)
          .where(and(eq(jobAttempts.jobId, fragile.id), eq(jobAttempts.number, 1)));
        return row;
      };
      await runWorld(db, clock, world.agents, {
        steps: 300,
        stepSeconds: 5,
        config: strict,
        until: async () => (await firstAttempt()) !== undefined,
      });
      const attempt = await firstAttempt();
      const host = world.agents.find((a) => a.nodeId === attempt?.nodeId);
      if (!host) throw new Error('the fragile job was not placed');
      host.alive = false;
      await runWorld(db, clock, world.agents, {
        steps: 200,
        stepSeconds: 5,
        config: strict,
        until: async () => {
          const [row] = await db.select().from(jobs).where(eq(jobs.id, fragile.id));
          return row?.state === 'failed';
        },
      });
      host.alive = true;
    },
  );
  await onchainDeposit(db, clock, world.customers.c4, 25n);
  // A demo customer of the simulated network, funded in the ledger only: simulated funding, never a deposit.
  const demo = await createAccount(db, clock, 'demo customer');
  await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, demo));
  await creditSimulatedFunding(db, clock, {
    customer: demo,
    amountMicros: 40n * USDC,
    memo: 'Simulated funding',
  });
  await confirmedTransferOut(db, clock, 'supplier_earnings', world.suppliers[0] as string, 3_000n);
  // Customer c4 takes unused balance back to their wallet: on-chain from the same treasury, yet no payout and
  // no change to paid demand; the payout figures must leave it out.
  await confirmedTransferOut(db, clock, 'customer_balance', world.customers.c4, 5n * USDC);
  // Supplier b, marked a demo supplier of the simulated network here, withdraws in the ledger only: a simulated
  // payout, never a payout and never expected on-chain.
  const demoSupplier = world.suppliers[1] as string;
  await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, demoSupplier));
  await debitSimulatedPayout(db, clock, {
    supplier: demoSupplier,
    amountMicros: 2_000n,
    memo: 'Simulated payout',
  });
  clock.set('2026-04-28T12:00:00Z');
  await closeIncentiveEpochs(db, clock, INCENTIVES);
  await refreshRecentMetricRollups(db, clock);
  return world;
}

// ————— the naive recomputation —————

interface Raw {
  postings: {
    tx: string;
    kind: string;
    key: string | null;
    at: Date;
    accountKind: string;
    owner: string | null;
    amount: bigint;
  }[];
  attempts: { id: string; jobId: string; number: number; state: string; assignedAt: Date }[];
  jobs: {
    id: string;
    kind: string;
    state: string;
    gpuCount: number;
    queuedAt: Date;
    finishedAt: Date | null;
  }[];
  epochs: { start: Date; end: Date; gpuSeconds: number }[];
  rewards: { start: Date; amount: bigint; usd: bigint }[];
  deposits: { ledgerTx: string | null; state: string; amount: bigint | null }[];
  payouts: {
    source: string;
    state: string;
    txHash: string | null;
    amount: bigint;
    confirmedAt: Date | null;
  }[];
}

async function loadRaw(db: Db): Promise<Raw> {
  const postings = await queryRows<{
    tx: string;
    kind: string;
    key: string | null;
    at: Date | string;
    account_kind: string;
    owner: string | null;
    amount: string;
  }>(
    db,
    sql`select t.id as tx, t.kind::text as kind, t.idempotency_key as key, t.created_at as at,
               a.kind::text as account_kind, a.owner_account_id as owner, p.amount_micros::text as amount
          from ledger_postings p
          join ledger_transactions t on t.id = p.transaction_id
          join ledger_accounts a on a.id = p.ledger_account_id
         where a.currency = 'usdc'`,
  );
  const attempts = await db.select().from(jobAttempts);
  const jobRows = await db.select().from(jobs);
  const epochs = await queryRows<{ s: Date | string; e: Date | string; g: string }>(
    db,
    sql`select epoch_start as s, epoch_end as e, gpu_seconds::text as g from incentive_epochs`,
  );
  const rewards = await queryRows<{ s: Date | string; a: string; u: string }>(
    db,
    sql`select epoch_start as s, amount_micros::text as a, usd_value_micros::text as u from incentive_rewards`,
  );
  const depositRows = await db.select().from(deposits);
  const payoutRows = await db.select().from(payouts);
  return {
    postings: postings.map((p) => ({
      tx: p.tx,
      kind: p.kind,
      key: p.key,
      at: new Date(p.at),
      accountKind: p.account_kind,
      owner: p.owner,
      amount: BigInt(p.amount),
    })),
    attempts: attempts.map((a) => ({
      id: a.id,
      jobId: a.jobId,
      number: a.number,
      state: a.state,
      assignedAt: a.assignedAt,
    })),
    jobs: jobRows.map((j) => ({
      id: j.id,
      kind: j.kind,
      state: j.state,
      gpuCount: j.gpuCount,
      queuedAt: j.queuedAt,
      finishedAt: j.finishedAt,
    })),
    epochs: epochs.map((e) => ({ start: new Date(e.s), end: new Date(e.e), gpuSeconds: Number(e.g) })),
    rewards: rewards.map((r) => ({ start: new Date(r.s), amount: BigInt(r.a), usd: BigInt(r.u) })),
    deposits: depositRows.map((d) => ({
      ledgerTx: d.ledgerTransactionId,
      state: d.state,
      amount: d.amountMicros,
    })),
    payouts: payoutRows.map((p) => ({
      source: p.source,
      state: p.state,
      txHash: p.txHash,
      amount: p.amountMicros,
      confirmedAt: p.confirmedAt,
    })),
  };
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayOf = (at: Date) => iso(Math.floor(at.getTime() / DAY) * DAY);
const inRange = (at: Date | null): at is Date => at !== null && dayOf(at) >= FROM && dayOf(at) <= TO;

function periodOf(at: Date, granularity: Granularity): string {
  const day = new Date(`${dayOf(at)}T00:00:00Z`);
  if (granularity === 'day') return iso(day.getTime());
  if (granularity === 'week') return iso(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
  return iso(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
}

function add<K>(map: Map<K, bigint>, key: K, amount: bigint) {
  map.set(key, (map.get(key) ?? 0n) + amount);
}

const ratioOf = (n: bigint, d: bigint) => (d === 0n ? null : Math.round((Number(n) / Number(d)) * 1e6) / 1e6);

/** Captures: per transaction, its time, attempt, cumulative metered ms and the customer/fee/supplier amounts. */
function captures(raw: Raw) {
  const byTx = new Map<
    string,
    {
      at: Date;
      attempt: string;
      metered: number;
      customer: string;
      charged: bigint;
      fee: bigint;
      supplier: bigint;
    }
  >();
  for (const p of raw.postings) {
    if (p.kind !== 'capture' || !p.key) continue;
    const [, attempt, metered] = p.key.split(':');
    const entry = byTx.get(p.tx) ?? {
      at: p.at,
      attempt: attempt as string,
      metered: Number(metered),
      customer: '',
      charged: 0n,
      fee: 0n,
      supplier: 0n,
    };
    if (p.accountKind === 'customer_reserved') {
      entry.charged -= p.amount;
      entry.customer = p.owner as string;
    }
    if (p.accountKind === 'platform_fees') entry.fee += p.amount;
    if (p.accountKind === 'supplier_payable') entry.supplier += p.amount;
    byTx.set(p.tx, entry);
  }
  // Paid time of each capture: its cumulative metered ms minus the attempt's previous capture's.
  const list = [...byTx.values()].sort((a, b) => a.metered - b.metered);
  const lastMetered = new Map<string, number>();
  const jobOfAttempt = new Map(raw.attempts.map((a) => [a.id, a.jobId]));
  const gpusOfJob = new Map(raw.jobs.map((j) => [j.id, j.gpuCount]));
  return list.map((c) => {
    const previous = lastMetered.get(c.attempt) ?? 0;
    lastMetered.set(c.attempt, c.metered);
    const gpus = gpusOfJob.get(jobOfAttempt.get(c.attempt) as string) as number;
    return { ...c, gpuMs: BigInt((c.metered - previous) * gpus) };
  });
}

/** What each metric's rows must be, keyed by period (or cohort|month). */
function expectedRows(raw: Raw, id: MetricId, granularity: Granularity): Map<string, MetricRow> {
  const caps = captures(raw).filter((c) => inRange(c.at));
  const sum = (pick: (c: (typeof caps)[number]) => bigint) => {
    const m = new Map<string, bigint>();
    for (const c of caps) add(m, periodOf(c.at, granularity), pick(c));
    return m;
  };
  const charged = sum((c) => c.charged);
  const rows = new Map<string, MetricRow>();
  const periods = new Set<string>();
  for (let t = Date.parse(FROM); t <= Date.parse(TO); t += DAY)
    periods.add(periodOf(new Date(t), granularity));
  const g = (m: Map<string, bigint>, p: string) => m.get(p) ?? 0n;
  const epochsIn = raw.epochs.filter((e) => inRange(e.start));
  const verified = new Map<string, bigint>();
  const covered = new Map<string, bigint>();
  for (const e of epochsIn) {
    add(verified, periodOf(e.start, granularity), BigInt(e.gpuSeconds));
    add(covered, periodOf(e.start, granularity), BigInt((e.end.getTime() - e.start.getTime()) / 1000));
  }
  const tokens = new Map<string, bigint>();
  const usd = new Map<string, bigint>();
  for (const r of raw.rewards.filter((x) => inRange(x.start))) {
    add(tokens, periodOf(r.start, granularity), r.amount);
    add(usd, periodOf(r.start, granularity), r.usd);
  }
  for (const p of periods) {
    switch (id) {
      case 'paid-gpu-hours': {
        const ms = g(
          sum((c) => c.gpuMs),
          p,
        );
        rows.set(p, {
          period: p,
          paidGpuMs: ms.toString(),
          paidGpuHours: Math.round((Number(ms) / 3_600_000) * 1e6) / 1e6,
        });
        break;
      }
      case 'demand-vs-incentives':
        rows.set(p, {
          period: p,
          paidDemandMicros: g(charged, p).toString(),
          incentiveUsdMicros: g(usd, p).toString(),
          incentiveTokenMicros: g(tokens, p).toString(),
          subsidyRatio: ratioOf(g(usd, p), g(charged, p)),
          feeMicros: g(
            sum((c) => c.fee),
            p,
          ).toString(),
          incentivesToFees: ratioOf(
            g(usd, p),
            g(
              sum((c) => c.fee),
              p,
            ),
          ),
          marginMicros: (
            g(
              sum((c) => c.fee),
              p,
            ) - g(usd, p)
          ).toString(),
        });
        break;
      case 'take-rate': {
        const fee = g(
          sum((c) => c.fee),
          p,
        );
        rows.set(p, {
          period: p,
          paidDemandMicros: g(charged, p).toString(),
          feeMicros: fee.toString(),
          supplierMicros: g(
            sum((c) => c.supplier),
            p,
          ).toString(),
          takeRate: ratioOf(fee, g(charged, p)),
        });
        break;
      }
      case 'verified-utilization': {
        const ms = g(
          sum((c) => c.gpuMs),
          p,
        );
        rows.set(p, {
          period: p,
          paidGpuSeconds: (ms / 1000n).toString(),
          verifiedGpuSeconds: g(verified, p).toString(),
          utilization: ratioOf(ms, g(verified, p) * 1000n),
        });
        break;
      }
      case 'verified-gpus-online': {
        const v = g(verified, p);
        const c = g(covered, p);
        rows.set(p, {
          period: p,
          verifiedGpuSeconds: v.toString(),
          coveredSeconds: c.toString(),
          averageVerifiedGpus: c === 0n ? 0 : Math.round((Number(v) / Number(c)) * 1e6) / 1e6,
        });
        break;
      }
      case 'job-outcomes': {
        const counts = {
          succeeded: 0,
          hostFailureRecovered: 0,
          userError: 0,
          hostFailureLost: 0,
          cancelled: 0,
          outOfBudget: 0,
        };
        for (const job of raw.jobs) {
          if (
            job.kind !== 'customer' ||
            !inRange(job.finishedAt) ||
            periodOf(job.finishedAt, granularity) !== p
          )
            continue;
          const states = raw.attempts.filter((a) => a.jobId === job.id).map((a) => a.state);
          if (job.state === 'succeeded')
            counts[states.includes('host_lost') ? 'hostFailureRecovered' : 'succeeded'] += 1;
          else if (job.state === 'failed')
            counts[states.includes('failed') ? 'userError' : 'hostFailureLost'] += 1;
          else if (job.state === 'cancelled') counts.cancelled += 1;
          else if (job.state === 'out_of_budget') counts.outOfBudget += 1;
        }
        rows.set(p, { period: p, ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) });
        break;
      }
      case 'reconciliation': {
        const ledgerDeposits = new Map<string, bigint>();
        const txOf = new Map<string, { at: Date; amount: bigint }>();
        let simulated = 0n;
        for (const x of raw.postings) {
          if (x.accountKind !== 'customer_available' || !inRange(x.at)) continue;
          if (x.kind === 'deposit') {
            add(ledgerDeposits, periodOf(x.at, granularity), x.amount);
            txOf.set(x.tx, { at: x.at, amount: x.amount });
          }
          if (x.kind === 'simulated_funding' && periodOf(x.at, granularity) === p) simulated += x.amount;
        }
        let onchain = 0n;
        for (const d of raw.deposits) {
          const tx = d.ledgerTx ? txOf.get(d.ledgerTx) : undefined;
          if (d.state !== 'credited' || !tx || !d.ledgerTx) continue;
          if (periodOf(tx.at, granularity) === p) onchain += d.amount ?? 0n;
        }
        let payoutsLedger = 0n;
        for (const x of raw.postings)
          if (
            x.kind === 'payout' &&
            x.accountKind === 'supplier_payout_pending' &&
            inRange(x.at) &&
            periodOf(x.at, granularity) === p
          )
            payoutsLedger -= x.amount;
        let payoutsSimulated = 0n;
        for (const x of raw.postings)
          if (
            x.kind === 'simulated_payout' &&
            x.accountKind === 'supplier_payable' &&
            inRange(x.at) &&
            periodOf(x.at, granularity) === p
          )
            payoutsSimulated -= x.amount;
        let payoutsChain = 0n;
        for (const x of raw.payouts)
          if (
            x.source === 'supplier_earnings' &&
            x.state === 'confirmed' &&
            x.txHash &&
            inRange(x.confirmedAt) &&
            periodOf(x.confirmedAt, granularity) === p
          )
            payoutsChain += x.amount;
        const ledger = g(ledgerDeposits, p);
        rows.set(p, {
          period: p,
          depositsLedgerMicros: ledger.toString(),
          depositsOnchainMicros: onchain.toString(),
          depositsSimulatedMicros: simulated.toString(),
          depositsUnreconciledMicros: (ledger - onchain).toString(),
          payoutsLedgerMicros: payoutsLedger.toString(),
          payoutsOnchainMicros: payoutsChain.toString(),
          payoutsSimulatedMicros: payoutsSimulated.toString(),
          payoutsUnreconciledMicros: (payoutsLedger - payoutsChain).toString(),
        });
        break;
      }
    }
  }
  return rows;
}

/** Per customer, what they were charged each month (all history, as customer metrics need). */
function customerMonths(raw: Raw): Map<string, Map<string, bigint>> {
  const byMonth = new Map<string, Map<string, bigint>>();
  for (const c of captures(raw)) {
    const month = periodOf(c.at, 'month');
    const m = byMonth.get(month) ?? new Map<string, bigint>();
    add(m, c.customer, c.charged);
    byMonth.set(month, m);
  }
  for (const m of byMonth.values()) for (const [k, v] of m) if (v <= 0n) m.delete(k);
  return byMonth;
}

function expectedCustomerRows(raw: Raw, id: MetricId): Map<string, MetricRow> {
  const months = customerMonths(raw);
  const first = new Map<string, string>();
  for (const month of [...months.keys()].sort())
    for (const customer of (months.get(month) as Map<string, bigint>).keys())
      if (!first.has(customer)) first.set(customer, month);
  const rows = new Map<string, MetricRow>();
  const monthList: string[] = [];
  for (
    let m = new Date(`${FROM}T00:00:00Z`);
    iso(m.getTime()) <= TO;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  )
    monthList.push(iso(m.getTime()));
  const prevMonth = (month: string) => {
    const d = new Date(`${month}T00:00:00Z`);
    return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  };
  if (id === 'cohort-retention') {
    for (const cohort of new Set(first.values())) {
      if (cohort < FROM || cohort > TO) continue;
      const members = [...first].filter(([, c]) => c === cohort).map(([k]) => k);
      for (const month of [...months.keys()].sort()) {
        if (month < cohort || month > TO) continue;
        const charged = months.get(month) as Map<string, bigint>;
        const active = members.filter((m) => charged.has(m));
        if (active.length === 0) continue;
        const d = new Date(`${month}T00:00:00Z`);
        const c = new Date(`${cohort}T00:00:00Z`);
        rows.set(`${cohort}|${month}`, {
          cohort,
          monthsSince: (d.getUTCFullYear() - c.getUTCFullYear()) * 12 + d.getUTCMonth() - c.getUTCMonth(),
          period: month,
          cohortSize: members.length,
          customers: active.length,
          retention: ratioOf(BigInt(active.length), BigInt(members.length)),
          chargedMicros: active.reduce((s, m) => s + (charged.get(m) as bigint), 0n).toString(),
        });
      }
    }
    return rows;
  }
  for (const month of monthList) {
    const charged = months.get(month) ?? new Map<string, bigint>();
    const total = [...charged.values()].reduce((a, b) => a + b, 0n);
    if (id === 'paying-customers') {
      const fresh = [...charged.keys()].filter((k) => first.get(k) === month).length;
      rows.set(month, {
        period: month,
        payingCustomers: charged.size,
        newCustomers: fresh,
        returningCustomers: charged.size - fresh,
      });
    } else if (id === 'top-customer-share') {
      const top = [...charged.values()].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, 10);
      const top10 = top.reduce((a, b) => a + b, 0n);
      rows.set(month, {
        period: month,
        paidDemandMicros: total.toString(),
        top10Micros: top10.toString(),
        top10Share: ratioOf(top10, total),
      });
    } else if (id === 'net-revenue-retention') {
      const previous = months.get(prevMonth(month)) ?? new Map<string, bigint>();
      const base = [...previous.values()].reduce((a, b) => a + b, 0n);
      const retained = [...previous.keys()].reduce((a, k) => a + (charged.get(k) ?? 0n), 0n);
      // The first month's previous month has no records (missing, not zero); the annual forms need a year
      // (same month a year later) or two (12-month NRR) of records, which four months of history lack.
      const onRecord = prevMonth(month) >= FROM;
      rows.set(month, {
        period: month,
        nrr12BaseMicros: null,
        nrr12RetainedMicros: null,
        netRevenueRetention12m: null,
        yearAgoBaseMicros: null,
        yearAgoRetainedMicros: null,
        netRevenueRetentionYearAgo: null,
        baseMicros: onRecord ? base.toString() : null,
        retainedMicros: onRecord ? retained.toString() : null,
        netRevenueRetention: onRecord ? ratioOf(retained, base) : null,
      });
    }
  }
  return rows;
}

/** Time to schedule with PostgreSQL's own percentile_disc over the raw jobs (no histogram). */
async function expectedScheduleRows(
  db: Db,
  granularity: Granularity,
  range: { from: string; to: string } = { from: FROM, to: TO },
): Promise<Map<string, MetricRow>> {
  const rows = await queryRows<{ period: string; jobs: number; p50: number; p95: number }>(
    db,
    sql`select date_trunc(${granularity}, a.assigned_at at time zone 'UTC')::date::text as period,
               count(*)::int as jobs,
               percentile_disc(0.5) within group (order by w.bucket) as p50,
               percentile_disc(0.95) within group (order by w.bucket) as p95
          from job_attempts a
          join jobs j on j.id = a.job_id
          cross join lateral (select floor(extract(epoch from a.assigned_at - j.queued_at))::int as s) raw
          cross join lateral (select case when raw.s < 60 then raw.s
                                          when raw.s < 3600 then (raw.s / 60) * 60
                                          else (raw.s / 3600) * 3600 end as bucket) w
         where a.number = 1 and j.kind = 'customer'
           and (a.assigned_at at time zone 'UTC')::date between ${range.from}::date and ${range.to}::date
         group by 1`,
  );
  return new Map(
    rows.map((r) => [r.period, { period: r.period, jobs: r.jobs, p50Seconds: r.p50, p95Seconds: r.p95 }]),
  );
}

function keyed(series: MetricSeries): Map<string, MetricRow> {
  return new Map(
    series.rows.map((r) => [
      series.metric.id === 'cohort-retention' ? `${r.cohort}|${r.period}` : String(r.period),
      r,
    ]),
  );
}

/** Rows of the published series that carry data must equal the expected ones; the others must be all zero. */
function expectAgreement(
  published: Map<string, MetricRow>,
  expected: Map<string, MetricRow>,
  empty: (row: MetricRow) => boolean,
) {
  for (const [key, row] of expected) {
    // A period outside the records (before the first, after the last refresh) is published as missing (null).
    const got = published.get(key);
    if (got && empty(got) && empty(row)) continue;
    expect(got, key).toEqual({ ...row, simulated: false });
  }
  for (const [key, row] of published)
    if (!expected.has(key)) expect(empty(row), `${key} ${JSON.stringify(row)}`).toBe(true);
}

const isEmptyRow = (row: MetricRow) =>
  Object.entries(row).every(
    ([k, v]) => k === 'period' || k === 'simulated' || v === null || v === 0 || v === '0',
  );

describe.each(TEST_ENGINES)('public metrics on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  const clock = new ManualClock('2026-01-04T10:00:00Z');
  let raw: Raw;
  const series = async (id: MetricId, granularity: Granularity) =>
    getMetricSeries(db, clock, id, { from: FROM, to: TO, granularity }, { simulated: false });

  beforeAll(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
    await playScenario(db, clock);
    raw = await loadRaw(db);
  }, 240_000);
  afterAll(async () => handle?.close());

  it('the scenario covers every outcome, months with churn and return, deposits and payouts', async () => {
    const outcomes = expectedRows(raw, 'job-outcomes', 'month');
    const total = (key: string) => [...outcomes.values()].reduce((s, r) => s + Number(r[key]), 0);
    for (const key of [
      'succeeded',
      'hostFailureRecovered',
      'userError',
      'hostFailureLost',
      'cancelled',
      'outOfBudget',
    ])
      expect(total(key), key).toBeGreaterThan(0);
    const paying = [...expectedCustomerRows(raw, 'paying-customers').values()].map((r) => r.payingCustomers);
    expect(paying).toHaveLength(4);
    expect(paying[0]).toBe(2);
    expect(Math.max(...paying.map(Number))).toBe(3);
    expect(raw.epochs.length).toBeGreaterThan(90);
    expect(raw.payouts).toHaveLength(3);
    // One of them is a customer's withdrawal, which no payout figure may count.
    expect(raw.payouts.filter((p) => p.source === 'customer_balance')).toHaveLength(1);
  });

  for (const granularity of ['day', 'week', 'month'] as const)
    it(`flow metrics by ${granularity} equal a naive recomputation from the raw tables`, async () => {
      for (const id of [
        'paid-gpu-hours',
        'demand-vs-incentives',
        'take-rate',
        'verified-utilization',
        'verified-gpus-online',
        'job-outcomes',
        'reconciliation',
      ] as const) {
        const published = await series(id, granularity);
        expect(published.rows.length, id).toBeGreaterThan(0);
        expectAgreement(keyed(published), expectedRows(raw, id, granularity), isEmptyRow);
      }
      expectAgreement(
        keyed(await series('time-to-schedule', granularity)),
        await expectedScheduleRows(db, granularity),
        (row) => (row.jobs === 0 || row.jobs === null) && row.p50Seconds === null,
      );
    });

  it('time to schedule of periods cut by the range (stored whole periods, partial ends) equals percentile_disc', async () => {
    for (const range of [
      { from: '2026-01-15', to: '2026-03-10' },
      { from: '2026-02-03', to: '2026-02-20' },
      { from: '2026-02-01', to: '2026-03-31' },
    ])
      for (const granularity of ['day', 'week', 'month'] as const) {
        const published = await getMetricSeries(
          db,
          clock,
          'time-to-schedule',
          { ...range, granularity },
          {
            simulated: false,
          },
        );
        expectAgreement(
          keyed(published),
          await expectedScheduleRows(db, granularity, range),
          (row) => (row.jobs === 0 || row.jobs === null) && row.p50Seconds === null,
        );
      }
  });

  it('customer metrics (paying customers, cohorts, NRR, top-10 share) equal a naive recomputation', async () => {
    for (const id of [
      'paying-customers',
      'cohort-retention',
      'net-revenue-retention',
      'top-customer-share',
    ] as const) {
      const published = keyed(await series(id, 'month'));
      const expected = expectedCustomerRows(raw, id);
      expect(published.size, id).toBe(expected.size);
      expectAgreement(published, expected, isEmptyRow);
    }
    const retention = await series('cohort-retention', 'month');
    // January's cohort: one of its two customers skipped March and came back in April.
    const january = retention.rows.filter((r) => r.cohort === '2026-01-01').map((r) => r.retention);
    expect(january).toEqual([1, 1, 0.5, 1]);
  });

  it('verified GPUs online now, by recency, equal the nodes and their checks', async () => {
    const published = await series('verified-gpus-online', 'month');
    const rows = await queryRows<{ gpus: number; last: Date | string | null }>(
      db,
      sql`select n.gpu_count as gpus,
                 (select max(created_at) from node_verifications v where v.node_id = n.id and v.result = 'pass') as last
            from nodes n
           where n.status in ('online', 'busy') and n.verification_state = 'verified' and n.quarantined_at is null`,
    );
    const now = clock.now().getTime();
    const bucket = (last: number) =>
      now - last <= DAY ? '24h' : now - last <= 7 * DAY ? '7d' : now - last <= 30 * DAY ? '30d' : 'older';
    const expected: Record<string, number> = { '24h': 0, '7d': 0, '30d': 0, older: 0 };
    for (const r of rows) {
      const key = r.last ? bucket(new Date(r.last).getTime()) : 'older';
      expected[key] = (expected[key] ?? 0) + r.gpus;
    }
    expect(Object.fromEntries((published.snapshot ?? []).map((b) => [b.recency, b.gpus]))).toEqual(expected);
  });

  it('incremental refreshes (as the worker runs them) equal a full rebuild', async () => {
    const before = await Promise.all(METRICS.map((m) => series(m.id, 'month')));
    const rebuilt = await rebuildMetricRollups(db, clock);
    expect(rebuilt.days).toBeGreaterThan(100);
    const after = await Promise.all(METRICS.map((m) => series(m.id, 'month')));
    expect(after.map((s) => s.rows)).toEqual(before.map((s) => s.rows));
  });

  it('the headline figures are the trailing 30 days and the latest complete month', async () => {
    const summary = await getMetricsSummary(db, clock, { simulated: false });
    const windowFrom = iso(Date.parse('2026-04-28') - 29 * DAY);
    const charged = captures(raw)
      .filter((c) => dayOf(c.at) >= windowFrom && dayOf(c.at) <= '2026-04-28')
      .reduce((s, c) => s + c.charged, 0n);
    expect(summary.headline.paidDemandMicros).toBe(charged.toString());
    expect(summary.headline.month).toBe('2026-03-01');
    expect(summary.headline.payingCustomers).toBe(3);
    expect(summary.history).toBeNull();
  });

  if (engine === 'pglite')
    it('the API answers JSON and CSV with cache headers, and refuses bad ranges', async () => {
      useTestServices({ db, clock, chain: null });
      const params = { metric: 'take-rate' };
      const json = await call(
        getMetricRoute,
        `/api/v1/metrics/take-rate?from=${FROM}&to=${TO}&granularity=month`,
        { params },
      );
      expect(json.status).toBe(200);
      expect(json.headers.get('cache-control')).toContain('public');
      const body = (await json.json()) as MetricSeries;
      expect(body.rows).toHaveLength(4);
      const csv = await call(getMetricRoute, `/api/v1/metrics/take-rate?from=${FROM}&to=${TO}&format=csv`, {
        params,
      });
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const text = await csv.text();
      expect(text).toBe(metricCsv(body));
      expect(text.trim().split('\n')).toHaveLength(5);
      const viaAccept = await call(getMetricRoute, `/api/v1/metrics/take-rate?from=${FROM}&to=${TO}`, {
        params,
        headers: { accept: 'text/csv' },
      });
      expect(await viaAccept.text()).toBe(text);
      for (const bad of [
        `/api/v1/metrics/take-rate?from=${TO}&to=${FROM}`,
        '/api/v1/metrics/take-rate?from=2026-02-30',
        '/api/v1/metrics/take-rate?from=2020-01-01&to=2026-01-01',
        '/api/v1/metrics/paying-customers?granularity=day',
        '/api/v1/metrics/take-rate?granularity=hour',
        '/api/v1/metrics/take-rate?extra=1',
      ]) {
        const answer = await call(getMetricRoute, bad, {
          params: { metric: bad.split('/')[4]?.split('?')[0] as string },
        });
        expect(answer.status, bad).toBe(400);
      }
      expect(
        (await call(getMetricRoute, '/api/v1/metrics/nope', { params: { metric: 'nope' } })).status,
      ).toBe(400);
      const summary = await call(getSummaryRoute, '/api/v1/metrics');
      expect(summary.status).toBe(200);
      expect(((await summary.json()) as { metrics: unknown[] }).metrics).toHaveLength(METRICS.length);
    });
});
