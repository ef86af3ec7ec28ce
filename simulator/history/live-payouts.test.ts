import { sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_DAY, ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { forgetDemoHistorySimulation, startDemoHistory } from '@/simulator/history/generator';
import { LIVE_PAYOUT_LOOKBACK_MS, livePayoutsDue, makeLivePayouts } from '@/simulator/history/live-payouts';
import { historyPayoutKey } from '@/simulator/history/payouts';
import { historyOptions, runHistory } from '@/simulator/history/testing';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

/** The history ends in the middle of a day, so that day's withdrawals are shared between history and live. */
const HANDOVER = new Date('2026-03-05T13:30:00Z');
const LIVE_DAYS = 10;

interface PayoutRow {
  key: string;
  at: Date | string;
  amount: string;
  demo: boolean;
}

async function simulatedPayouts(db: Db): Promise<PayoutRow[]> {
  return queryRows<PayoutRow>(
    db,
    sql`select t.idempotency_key as key, t.created_at as at, p.amount_micros::text as amount, a.is_demo as demo
          from ledger_transactions t
          join ledger_postings p on p.transaction_id = t.id
          join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'supplier_payable'
          join accounts a on a.id = la.owner_account_id
         where t.kind = 'simulated_payout'
         order by t.created_at, t.idempotency_key`,
  );
}

describe('the demo suppliers keep withdrawing after the history hands over', () => {
  let handle: DatabaseHandle;
  let db: Db;
  const options = historyOptions(11, { days: 12, customers: 30, targetUtilization: 0.8 });
  const clock = new ManualClock(HANDOVER);
  let history: { from: number; to: number };
  let suppliers: string[];
  let afterHistory: PayoutRow[];
  const runs: { at: number; made: number }[] = [];

  beforeAll(async () => {
    forgetDemoHistorySimulation();
    handle = await createPgliteTestDb();
    db = handle.db;
    await seedDemoNetwork(db, { seed: options.seed, nodeCount: 40, now: HANDOVER, historyDays: 31 });
    const row = await startDemoHistory(db, clock, options);
    if (!row) throw new Error('no history');
    history = { from: row.fromAt.getTime(), to: row.toAt.getTime() };
    // Nothing is withdrawn live while the history is still being written.
    expect(await makeLivePayouts(db, clock)).toBe(0);
    await runHistory(db, clock, options);
    afterHistory = await simulatedPayouts(db);
    suppliers = (
      await queryRows<{ id: string }>(db, sql`select distinct owner_account_id as id from nodes order by 1`)
    ).map((r) => r.id);
    // The live loop over some days: a run every lookback stands for the quiet runs between (each instant is
    // in one run's window).
    for (let t = history.to; t <= history.to + LIVE_DAYS * MS_PER_DAY; t += LIVE_PAYOUT_LOOKBACK_MS) {
      clock.set(new Date(t));
      runs.push({ at: t, made: await makeLivePayouts(db, clock) });
    }
  }, 240_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('the history withdrew before it ended, and the live network after it, on the same habits', async () => {
    expect(afterHistory.length).toBeGreaterThan(0);
    for (const p of afterHistory) expect(new Date(p.at).getTime()).toBeLessThan(history.to);
    const all = await simulatedPayouts(db);
    const live = all.slice(afterHistory.length);
    expect(live.length).toBeGreaterThan(0);
    expect(runs.reduce((sum, r) => sum + r.made, 0)).toBe(live.length);
    // Every live withdrawal is one the habits call for after the handover, made within the lookback of its
    // instant, for at least a dollar, by a demo supplier.
    const due = livePayoutsDue(options.seed, suppliers, history.from, history.to, {
      from: history.to,
      to: history.to + LIVE_DAYS * MS_PER_DAY,
    });
    const dueByKey = new Map(due.map((p) => [historyPayoutKey(p), p]));
    for (const p of live) {
      const planned = dueByKey.get(p.key);
      expect(planned, p.key).toBeDefined();
      const at = new Date(p.at).getTime();
      expect(at).toBeGreaterThanOrEqual(planned!.at);
      expect(at - planned!.at).toBeLessThanOrEqual(LIVE_PAYOUT_LOOKBACK_MS);
      expect(BigInt(p.amount)).toBeLessThanOrEqual(-1_000_000n);
      expect(p.demo).toBe(true);
    }
    // A supplier withdraws at most once a day, across the history and the live network.
    expect(new Set(all.map((p) => p.key)).size).toBe(all.length);
    // The day the history ended on is shared: its withdrawals before the handover are the history's.
    expect(due.every((p) => p.at >= history.to)).toBe(true);
  });

  it('withdraws what each supplier can withdraw, and runs again without withdrawing twice', async () => {
    const before = await simulatedPayouts(db);
    for (const run of runs.slice(-20)) {
      clock.set(new Date(run.at));
      expect(await makeLivePayouts(db, clock)).toBe(0);
    }
    expect(await simulatedPayouts(db)).toEqual(before);
    await expectLedgerConsistent(db);
  });

  it('lets a withdrawal go when the network was down past its lookback (never back-dated)', async () => {
    const lastRun = runs.at(-1)!.at;
    const now = lastRun + 3 * MS_PER_DAY;
    const before = await simulatedPayouts(db);
    clock.set(new Date(now));
    await makeLivePayouts(db, clock);
    const made = (await simulatedPayouts(db)).slice(before.length);
    const missed = livePayoutsDue(options.seed, suppliers, history.from, history.to, {
      from: lastRun,
      to: now - LIVE_PAYOUT_LOOKBACK_MS,
    });
    const recent = livePayoutsDue(options.seed, suppliers, history.from, history.to, {
      from: now - LIVE_PAYOUT_LOOKBACK_MS,
      to: now,
    });
    expect(missed.length).toBeGreaterThan(0);
    const recentKeys = new Set(recent.map(historyPayoutKey));
    for (const p of made) {
      expect(recentKeys.has(p.key)).toBe(true);
      expect(new Date(p.at).getTime()).toBe(now);
    }
    expect(made.some((p) => missed.some((m) => historyPayoutKey(m) === p.key))).toBe(false);
  });
});
