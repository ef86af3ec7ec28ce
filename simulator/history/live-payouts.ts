import { sql } from 'drizzle-orm';
import { MS_PER_DAY, type Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { balanceOf, debitSimulatedPayout, getBalances } from '@/lib/ledger/operations';
import type { Loop } from '@/lib/worker/background-loops';
import {
  HISTORY_PAYOUT_MEMO,
  HISTORY_PAYOUT_MIN_MICROS,
  historyPayoutKey,
  payoutPlan,
  payoutsOnDay,
  type HistoryPayout,
} from '@/simulator/history/payouts';
import { readDemoHistoryRow } from '@/simulator/history/generator';

/**
 * The demo suppliers keep withdrawing once the history has handed over to the live network: the same habits
 * (`payoutPlan`), the same instants (`payoutsOnDay`, days counted from the history's first day) and the same
 * idempotency key (a supplier withdraws at most once a day, so a withdrawal the history already wrote for the
 * day it ended on is never made twice). A withdrawal whose instant has just passed is made now, for what the
 * supplier can withdraw now (its payable balance, at least `HISTORY_PAYOUT_MIN_MICROS`), through the same
 * domain function as the history's (`debitSimulatedPayout`: ledger-only, demo accounts only, published as a
 * simulated payout). Instants missed by more than `LIVE_PAYOUT_LOOKBACK_MS` (the stack was down) are let go:
 * live rows are never back-dated into days that may already be exported.
 */

/** How often the loop looks for withdrawals that are due. */
export const LIVE_PAYOUT_INTERVAL_MS = 60_000;
/** A withdrawal due this long ago or less is still made. */
export const LIVE_PAYOUT_LOOKBACK_MS = 10 * 60_000;

/** The withdrawals due in `(from, to]` (never before the history's end), in time order. */
export function livePayoutsDue(
  seed: number,
  suppliers: readonly string[],
  historyFrom: number,
  historyTo: number,
  window: { from: number; to: number },
): HistoryPayout[] {
  const from = Math.max(window.from, historyTo - 1);
  if (window.to <= from) return [];
  const plans = new Map(suppliers.map((supplier) => [supplier, payoutPlan(seed, supplier)]));
  const firstDay = Math.floor((from - historyFrom) / MS_PER_DAY);
  const lastDay = Math.floor((window.to - historyFrom) / MS_PER_DAY);
  const due: HistoryPayout[] = [];
  for (let day = Math.max(0, firstDay); day <= lastDay; day += 1) {
    const start = historyFrom + day * MS_PER_DAY;
    for (const payout of payoutsOnDay(seed, plans, day, start, start + MS_PER_DAY))
      if (payout.at > from && payout.at <= window.to) due.push(payout);
  }
  return due;
}

/** Makes the withdrawals due now; answers how many were made (replays of earlier ones are not counted). */
export async function makeLivePayouts(db: Db, clock: Clock): Promise<number> {
  const history = await readDemoHistoryRow(db);
  // While the history is written it makes its own withdrawals; without one there are no habits to follow.
  if (!history || history.state !== 'complete') return 0;
  const suppliers = await queryRows<{ id: string }>(
    db,
    sql`select distinct n.owner_account_id as id from nodes n
          join accounts a on a.id = n.owner_account_id and a.is_demo
         order by 1`,
  );
  const now = clock.now().getTime();
  const due = livePayoutsDue(
    history.seed,
    suppliers.map((s) => s.id),
    history.fromAt.getTime(),
    history.toAt.getTime(),
    { from: now - LIVE_PAYOUT_LOOKBACK_MS, to: now },
  );
  let made = 0;
  for (const payout of due) {
    const amountMicros = balanceOf(await getBalances(db, payout.supplier), 'supplier_payable');
    if (amountMicros < HISTORY_PAYOUT_MIN_MICROS) continue;
    const posted = await debitSimulatedPayout(db, clock, {
      supplier: payout.supplier,
      amountMicros,
      memo: HISTORY_PAYOUT_MEMO,
      idempotencyKey: historyPayoutKey(payout),
    });
    if (posted.created) made += 1;
  }
  return made;
}

/** The live withdrawals as a background loop of the demo network (composed beside the history's loop). */
export function livePayoutsLoop(db: Db, clock: Clock): Loop {
  return { name: 'demo-payouts', intervalMs: LIVE_PAYOUT_INTERVAL_MS, run: () => makeLivePayouts(db, clock) };
}
