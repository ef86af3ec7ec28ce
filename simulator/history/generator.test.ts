import { eq, sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { accounts, demoHistory, gpuLeases, jobReceipts, jobs } from '@/lib/db/schema';
import { BULK_JOBS_PER_PART } from '@/simulator/history/batches';
import { planCustomers } from '@/simulator/history/customers';
import {
  DEMO_HISTORY_ID,
  forgetDemoHistorySimulation,
  runDemoHistoryBatch,
  startDemoHistory,
} from '@/simulator/history/generator';
import { HISTORY_NOW, historyOptions, prepareHistory, runHistory } from '@/simulator/history/testing';
import { closeIncentiveEpochs } from '@/lib/incentives/close-epochs';
import { DEFAULT_INCENTIVES } from '@/lib/incentives/config';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { scheduleQueuedJobs } from '@/lib/scheduler/schedule';
import { ManualClock } from '@/lib/clock';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

const TO = new Date('2026-03-05T00:00:00Z');
const FROM = new Date(TO.getTime() - 10 * MS_PER_DAY);

async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(db, query);
  return row as T;
}

describe('a short demo history on a flaky network', () => {
  let handle: DatabaseHandle;
  let db: Db;
  // Demand sized to the whole supply, on nodes up 16 hours out of 17: failovers of every kind in ten days.
  const options = historyOptions(5, {
    days: 10,
    customers: 20,
    targetUtilization: 1,
    onBatchCommitted: async (from, to) => {
      committed.push([from, to]);
    },
  });
  const committed: [Date, Date][] = [];
  const progress: { through: string; state: string; jobs: number }[] = [];

  beforeAll(async () => {
    forgetDemoHistorySimulation();
    handle = await createPgliteTestDb();
    db = handle.db;
    const clock = await prepareHistory(db, options, { nodes: 8, flakyUpHours: 16 });
    for (;;) {
      const result = await runDemoHistoryBatch(db, clock, options);
      const [row] = await db.select().from(demoHistory);
      if (row)
        progress.push({ through: row.generatedThrough.toISOString(), state: row.state, jobs: row.jobs });
      if (result.done) break;
    }
    // A slow, shared machine can take minutes for what takes seconds alone.
  }, 300_000);
  afterAll(() => handle.close());

  it('moves its progress part by part, each day ending a part, and ends complete counting what it wrote', async () => {
    const through = progress.map((p) => new Date(p.through).getTime());
    for (let i = 1; i < through.length; i++) expect(through[i]).toBeGreaterThan(through[i - 1] ?? Infinity);
    for (let d = 1; d <= 10; d++) expect(through).toContain(FROM.getTime() + d * MS_PER_DAY);
    expect(through.at(-1)).toBe(TO.getTime());
    expect(progress.slice(0, -1).every((p) => p.state === 'generating')).toBe(true);
    // No part writes many jobs: the single connection is never held long.
    for (let i = 1; i < progress.length; i++)
      expect((progress[i]?.jobs ?? 0) - (progress[i - 1]?.jobs ?? 0)).toBeLessThanOrEqual(
        BULK_JOBS_PER_PART + 2,
      );
    const [row] = await db.select().from(demoHistory).where(eq(demoHistory.id, DEMO_HISTORY_ID));
    expect(row).toMatchObject({
      state: 'complete',
      fromAt: FROM,
      toAt: TO,
      generatedThrough: TO,
      error: null,
    });
    expect(row?.finishedAt).toBeInstanceOf(Date);
    const count = await one<{ jobs: number; customers: number }>(
      db,
      sql`select (select count(*) from jobs)::int as jobs,
            (select count(*) from accounts a where a.is_demo and exists (
              select 1 from ledger_accounts l where l.owner_account_id = a.id and l.kind = 'customer_available'))::int as customers`,
    );
    expect(row?.jobs).toBe(count.jobs);
    expect(row?.customers).toBe(count.customers);
    expect(count.jobs).toBeGreaterThan(5);
    // Each committed batch is handed to the rollups: from where it started to the end of the last job it wrote.
    expect(committed).toHaveLength(progress.length);
    committed.forEach(([from, to], i) => {
      expect(from.getTime()).toBe(i === 0 ? FROM.getTime() : through[i - 1]);
      expect(to.getTime()).toBeGreaterThanOrEqual(through[i] ?? Infinity);
      expect(to.getTime()).toBeLessThanOrEqual(TO.getTime());
    });
  });

  it('ends every job before the span ends or hands it to the live queue, simulated, each ended one with its receipt, and leaves no lease', async () => {
    const states = await queryRows<{ state: string; simulated: boolean; n: number }>(
      db,
      sql`select state, simulated, count(*)::int as n from jobs group by 1, 2`,
    );
    for (const s of states) {
      expect(['succeeded', 'failed', 'cancelled', 'out_of_budget', 'queued']).toContain(s.state);
      expect(s.simulated).toBe(true);
    }
    // What was still going at the end waits in the queue for the live scheduler, from its last checkpoint;
    // its running attempt was preempted at the handover, with the time since that checkpoint not charged.
    const handed = await queryRows<{
      state: string;
      reason: string | null;
      progress: number;
      checkpoint: number;
    }>(
      db,
      sql`select j.state, j.state_reason as reason, j.progress_units::int as progress,
                 j.checkpoint_units::int as checkpoint
            from jobs j where j.state = 'queued'`,
    );
    for (const h of handed) {
      // Preempted at the handover, back from a lost host, or never placed yet.
      if (h.reason !== null) expect(h.reason).toMatch(/^(Handed over from the simulated history|Host lost)/);
      expect(h.progress).toBe(h.checkpoint);
    }
    const preempted = await queryRows<{ ended_at: Date | string; pending_ms: number }>(
      db,
      sql`select ended_at, pending_ms::int from job_attempts where state = 'preempted'`,
    );
    for (const p of preempted) {
      expect(new Date(p.ended_at).getTime()).toBe(TO.getTime() - 1000);
      expect(p.pending_ms).toBe(0);
    }
    const late = await one<{ n: number }>(
      db,
      sql`select count(*)::int as n from jobs where finished_at >= ${TO.toISOString()}::timestamptz
            or queued_at < ${FROM.toISOString()}::timestamptz`,
    );
    expect(late.n).toBe(0);
    const attempts = await one<{ n: number }>(
      db,
      sql`select count(*)::int as n from job_attempts where state in ('assigned', 'running')
            or ended_at >= ${TO.toISOString()}::timestamptz`,
    );
    expect(attempts.n).toBe(0);
    const [withoutReceipt] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from jobs j
           where j.state <> 'queued' and not exists (select 1 from job_receipts r where r.job_id = j.id)`,
    );
    expect(withoutReceipt?.n).toBe(0);
    expect(await db.select().from(jobReceipts).limit(1)).toHaveLength(1);
    expect(await db.select().from(gpuLeases)).toEqual([]);
  });

  it('balances the ledger; the captures of each job are its attempts’ charges, split supplier + fee', async () => {
    await expectLedgerConsistent(db);
    const mismatches = await queryRows<{ id: string }>(
      db,
      sql`select j.id from jobs j
          where j.charged_micros <> coalesce((select sum(a.charged_micros) from job_attempts a where a.job_id = j.id), 0)
             or j.charged_micros <> coalesce((
                  select -sum(p.amount_micros) from job_attempts a
                  join ledger_transactions t on t.idempotency_key like 'capture:' || a.id || ':%'
                  join ledger_postings p on p.transaction_id = t.id
                  join ledger_accounts l on l.id = p.ledger_account_id and l.kind = 'customer_reserved'
                  where a.job_id = j.id), 0)
             or (j.state <> 'queued' and j.charged_micros + j.released_micros <> j.budget_micros)`,
    );
    expect(mismatches).toEqual([]);
    const split = await one<{ n: number }>(
      db,
      sql`select count(*)::int as n from job_attempts where charged_micros <> supplier_micros + fee_micros`,
    );
    expect(split.n).toBe(0);
    // The customers were funded in the ledger only: no deposit records, every funding memo says simulated.
    const funding = await queryRows<{ memo: string }>(
      db,
      sql`select distinct memo from ledger_transactions where kind = 'simulated_funding'`,
    );
    expect(funding).toEqual([{ memo: 'Simulated demo funding (not on-chain)' }]);
    // None of it is a deposit: a deposit is always an on-chain transfer.
    expect(
      (
        await one<{ n: number }>(
          db,
          sql`select count(*)::int as n from ledger_transactions where kind = 'deposit'`,
        )
      ).n,
    ).toBe(0);
    expect((await one<{ n: number }>(db, sql`select count(*)::int as n from deposits`)).n).toBe(0);
  });

  it('has the demo suppliers withdraw now and then what they had earned by then, in the ledger only', async () => {
    const withdrawals = await queryRows<{
      supplier: string;
      at: Date | string;
      amount: string;
      earned: string;
    }>(
      db,
      sql`select la.owner_account_id as supplier, t.created_at as at, (-p.amount_micros)::text as amount,
                 (select coalesce(sum(e.amount_micros), 0) from ledger_postings e
                   where e.ledger_account_id = la.id and e.created_at <= t.created_at
                     and e.transaction_id <> t.id)::text as earned
            from ledger_transactions t
            join ledger_postings p on p.transaction_id = t.id
            join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'supplier_payable'
           where t.kind = 'simulated_payout'`,
    );
    expect(withdrawals.length).toBeGreaterThan(0);
    for (const w of withdrawals) {
      // All of what was payable at that instant (earnings dated later are not touched), at least 1 USDC.
      expect(w.amount).toBe(w.earned);
      expect(BigInt(w.amount)).toBeGreaterThanOrEqual(1_000_000n);
      expect(new Date(w.at).getTime()).toBeLessThan(TO.getTime());
    }
    // Only demo suppliers, only simulated payouts: nothing was paid out or expected on a chain.
    const suppliers = await queryRows<{ is_demo: boolean }>(
      db,
      sql`select distinct a.is_demo from accounts a
           where a.id in (${sql.join(
             withdrawals.map((w) => sql`${w.supplier}::uuid`),
             sql`, `,
           )})`,
    );
    expect(suppliers).toEqual([{ is_demo: true }]);
    const real = await one<{ n: number }>(
      db,
      sql`select (select count(*) from ledger_transactions where kind in ('payout', 'payout_reserve'))::int +
                 (select count(*) from payouts)::int as n`,
    );
    expect(real.n).toBe(0);
  });

  it('loses hosts: jobs recover from checkpoints or fail after two placements, lost time never charged', async () => {
    const outcomes = await queryRows<{ outcome: string; n: number }>(
      db,
      sql`select case
            when j.state = 'succeeded' and exists (select 1 from job_attempts a where a.job_id = j.id and a.state = 'host_lost') then 'recovered'
            when j.state = 'failed' and (select a.state from job_attempts a where a.job_id = j.id order by a.number desc limit 1) = 'host_lost' then 'lost'
            else j.state::text end as outcome, count(*)::int as n
          from jobs j group by 1`,
    );
    const by = Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]));
    expect(by.succeeded).toBeGreaterThan(0);
    expect(by.recovered).toBeGreaterThan(0);
    expect(by.lost).toBeGreaterThan(0);
    const lost = await queryRows<{ forfeited: string; metered: string; resumed: number; reason: string }>(
      db,
      sql`select a.forfeited_ms::text as forfeited, a.metered_ms::text as metered, a.end_reason as reason,
            (select b.resumed_from_units from job_attempts b where b.job_id = a.job_id and b.number = a.number + 1) as resumed
          from job_attempts a where a.state = 'host_lost'`,
    );
    expect(lost.some((a) => BigInt(a.forfeited) > 0n)).toBe(true);
    for (const a of lost) expect(a.reason).toMatch(/host lost/);
    // What a lost attempt charged is exactly its settled (checkpointed) time at its price.
    const overcharged = await one<{ n: number }>(
      db,
      sql`select count(*)::int as n from job_attempts a join jobs j on j.id = a.job_id
          where a.charged_micros <> (a.metered_ms * j.gpu_count * a.price_per_gpu_hour_micros) / 3600000
            and a.charged_micros < j.budget_micros`,
    );
    expect(overcharged.n).toBe(0);
    // A job resumes from its last checkpoint: never behind the previous placement, some of them ahead.
    const resumes = await queryRows<{ resumed: number; before: number }>(
      db,
      sql`select b.resumed_from_units as resumed, a.resumed_from_units as before
          from job_attempts b join job_attempts a on a.job_id = b.job_id and a.number = b.number - 1`,
    );
    expect(resumes.length).toBeGreaterThan(0);
    for (const r of resumes) expect(Number(r.resumed)).toBeGreaterThanOrEqual(Number(r.before));
    expect(resumes.some((r) => Number(r.resumed) > Number(r.before))).toBe(true);
  });

  it('closes one daily incentive epoch per day; the live hourly close continues at the span’s end', async () => {
    const epochs = await queryRows<{ start: Date; end: Date; emission: string }>(
      db,
      sql`select epoch_start as start, epoch_end as "end", emission_micros::text as emission from incentive_epochs order by 1`,
    );
    expect(epochs).toHaveLength(10);
    expect(new Date(epochs[0]?.start ?? 0)).toEqual(FROM);
    expect(new Date(epochs.at(-1)?.end ?? 0)).toEqual(TO);
    expect(epochs.every((e) => BigInt(e.emission) === 24n * DEFAULT_INCENTIVES.emissionPerEpochMicros)).toBe(
      true,
    );
    const clock = new ManualClock(new Date(TO.getTime() + 2 * 3_600_000 + 60_000));
    const live = await closeIncentiveEpochs(db, clock, DEFAULT_INCENTIVES);
    expect(live.closed.map((c) => c.epochStart)).toEqual([TO, new Date(TO.getTime() + 3_600_000)]);
    await expectLedgerConsistent(db);
  });

  it('is idempotent to start again; another seed is refused with a message, a finished one of another length kept', async () => {
    const clock = new ManualClock(new Date(HISTORY_NOW.getTime() + 3 * MS_PER_DAY));
    const again = await startDemoHistory(db, clock, options);
    expect(again).toMatchObject({ state: 'complete', fromAt: FROM, toAt: TO });
    expect(await runDemoHistoryBatch(db, clock, options)).toMatchObject({ done: true, generatedThrough: TO });
    await expect(startDemoHistory(db, clock, { ...options, seed: 9 })).rejects.toThrow(/seed 5 over 10 days/);
    // An older default or a changed DEMO_HISTORY_DAYS: the finished history stays the network's past.
    expect(await startDemoHistory(db, clock, { ...options, days: 30 })).toMatchObject({
      state: 'complete',
      fromAt: FROM,
      toAt: TO,
    });
    expect(await startDemoHistory(db, clock, { ...options, days: 0 })).toBeNull();
  });
});

describe('a demo history batch that fails', () => {
  it('leaves nothing of its day behind, marks the history failed, and a retry finishes it', async () => {
    forgetDemoHistorySimulation();
    const handle = await createPgliteTestDb();
    const db = handle.db;
    try {
      const options = historyOptions(5, { days: 6, customers: 20 });
      const clock = await prepareHistory(db, options, { nodes: 8 });
      const from = HISTORY_NOW.getTime() - (HISTORY_NOW.getTime() % MS_PER_DAY) - 6 * MS_PER_DAY;
      // Someone already has the wallet a customer signing up on day 3 would get: that day cannot be written.
      const victim = planCustomers(5, 20, from, from + 6 * MS_PER_DAY).find(
        (c) => c.joinAt >= from + 3 * MS_PER_DAY,
      );
      if (!victim) throw new Error('fixture: nobody signs up after day 3');
      const failingDay = Math.floor((victim.joinAt - from) / MS_PER_DAY);
      const [squatter] = await db
        .insert(accounts)
        .values({ walletAddress: victim.walletAddress, displayName: 'squatter', createdAt: new Date(from) })
        .returning({ id: accounts.id });

      await expect(runHistory(db, clock, options)).rejects.toThrow();
      const [row] = await db.select().from(demoHistory);
      // It stopped at the part holding the sign-up, on the day of it.
      const through = row?.generatedThrough.getTime() ?? 0;
      expect(row?.state).toBe('failed');
      expect(through).toBeLessThanOrEqual(victim.joinAt);
      expect(through).toBeGreaterThanOrEqual(from + failingDay * MS_PER_DAY);
      expect(row?.error).toMatch(/wallet_address|duplicate|unique/i);
      const after = await one<{ n: number }>(
        db,
        sql`select count(*)::int as n from jobs where queued_at >= ${new Date(through).toISOString()}::timestamptz`,
      );
      expect(after.n).toBe(0);
      const counted = await one<{ n: number }>(db, sql`select count(*)::int as n from jobs`);
      expect(row?.jobs).toBe(counted.n);
      expect(await db.select().from(gpuLeases)).toEqual([]);
      await expectLedgerConsistent(db);

      // The cause goes away; starting again retries the same day and the history completes.
      await db.delete(accounts).where(eq(accounts.id, (squatter as { id: string }).id));
      expect(await startDemoHistory(db, clock, options)).toMatchObject({ state: 'generating', error: null });
      const results = await runHistory(db, clock, options);
      expect(results.at(-1)?.done).toBe(true);
      const [done] = await db.select().from(demoHistory);
      expect(done?.state).toBe('complete');
      // Only what the history handed over at its end waits in the queue.
      for (const job of await db.select().from(jobs).where(eq(jobs.state, 'queued')))
        expect(job.progressUnits).toBe(job.checkpointUnits);
      await expectLedgerConsistent(db);
    } finally {
      await handle.close();
    }
  }, 300_000);
});

describe('a demo history that hands over to the live network', () => {
  it('runs up to the minute it started, closes that last day’s whole hours, and the live scheduler places what it left queued', async () => {
    forgetDemoHistorySimulation();
    const handle = await createPgliteTestDb();
    try {
      const { db } = handle;
      // Started at 14:35: the span's last day is partial, and demand is sized to the whole supply.
      const startedAt = new Date('2026-03-05T14:35:20Z');
      const options = historyOptions(21, { days: 3, customers: 40, targetUtilization: 1 });
      const clock = new ManualClock(startedAt);
      await seedDemoNetwork(db, { seed: 21, nodeCount: 10, now: startedAt, historyDays: 31 });
      await startDemoHistory(db, clock, options);
      const results = await runHistory(db, clock, options);
      expect(results.at(-1)?.done).toBe(true);
      const [row] = await db.select().from(demoHistory);
      expect(row?.toAt).toEqual(new Date('2026-03-05T14:35:00Z'));
      expect(row?.fromAt).toEqual(new Date('2026-03-02T00:00:00Z'));

      // Day-long epochs, then the last day's whole hours; the live close continues at 14:00.
      const epochs = await queryRows<{ start: Date | string; end: Date | string }>(
        db,
        sql`select epoch_start as start, epoch_end as "end" from incentive_epochs order by epoch_start`,
      );
      expect(epochs.slice(0, 3).map((e) => new Date(e.end).getTime() - new Date(e.start).getTime())).toEqual([
        MS_PER_DAY,
        MS_PER_DAY,
        MS_PER_DAY,
      ]);
      expect(new Date(epochs.at(-1)!.end)).toEqual(new Date('2026-03-05T14:00:00Z'));
      expect(epochs).toHaveLength(3 + 14);

      // Jobs were running when it ended: handed over, they wait for the live scheduler.
      const queued = await db.select().from(jobs).where(eq(jobs.state, 'queued'));
      expect(queued.length).toBeGreaterThan(0);
      const live = new ManualClock(new Date('2026-03-05T14:35:30Z'));
      // The live fleet: its agents hold node tokens and heartbeat (as provisioning and the fleet process do).
      await db.execute(
        sql`update nodes set token_hash = 'provisioned-' || id, last_heartbeat_at = ${live.now().toISOString()}::timestamptz
             where status in ('online', 'busy')`,
      );
      const placed = await scheduleQueuedJobs(db, live, options.orchestration);
      expect(placed.placed).toBeGreaterThan(0);
      const leases = await db.select().from(gpuLeases);
      expect(leases.length).toBeGreaterThan(0);
      await expectLedgerConsistent(db);
    } finally {
      await handle.close();
      forgetDemoHistorySimulation();
    }
  }, 300_000);

  it('has the customers cancel what is still going at the end when the handover is off', async () => {
    forgetDemoHistorySimulation();
    const handle = await createPgliteTestDb();
    try {
      const { db } = handle;
      const startedAt = new Date('2026-03-05T14:35:20Z');
      const options = historyOptions(21, { days: 3, customers: 40, targetUtilization: 1, handover: false });
      const clock = new ManualClock(startedAt);
      await seedDemoNetwork(db, { seed: 21, nodeCount: 10, now: startedAt, historyDays: 31 });
      await startDemoHistory(db, clock, options);
      expect((await runHistory(db, clock, options)).at(-1)?.done).toBe(true);
      expect(await db.select().from(jobs).where(eq(jobs.state, 'queued'))).toEqual([]);
      const cancelledAtEnd = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from jobs
             where state = 'cancelled' and finished_at = ${new Date('2026-03-05T14:34:59Z').toISOString()}::timestamptz`,
      );
      expect(cancelledAtEnd[0]?.n).toBeGreaterThan(0);
      await expectLedgerConsistent(db);
    } finally {
      await handle.close();
      forgetDemoHistorySimulation();
    }
  }, 300_000);
});
