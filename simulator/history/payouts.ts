import { sql } from 'drizzle-orm';
import { MS_PER_DAY } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { streamRng } from '@/simulator/history/streams';

/**
 * The demo suppliers' withdrawals. A real supplier asks for a payout now and then; the simulated ones do too,
 * but their wallets hold no keys and nothing moves on a chain, so a withdrawal is a simulated payout
 * (`debitSimulatedPayout`, kind `simulated_payout`): ledger-only, published apart from payouts.
 *
 * When a supplier withdraws is decided by the simulation, from the seed (`payoutsOnDay`); how much is decided
 * when the part of the day holding it is written: everything the supplier had earned by that instant (its
 * payable postings up to then, earlier withdrawals included), when that reaches `HISTORY_PAYOUT_MIN_MICROS`.
 * A job's later checkpoints are written with the day it was launched on, so the payable balance at write time
 * can hold earnings dated after the withdrawal: reading the postings up to its instant keeps it to what was
 * earned then, the same for both writers and however the day is cut into parts.
 */

/** A demo supplier's withdrawal on the history's schedule; its amount is read from the ledger when written. */
export interface HistoryPayout {
  supplier: string;
  at: number;
  /** The history day it falls on: part of its idempotency key (a supplier withdraws at most once a day). */
  day: number;
}

/** A supplier withdraws only when at least 1 USDC is payable: less waits for the next time. */
export const HISTORY_PAYOUT_MIN_MICROS = 1_000_000n;

/** Memo of a simulated supplier's withdrawal (no on-chain transfer: published as simulated). */
export const HISTORY_PAYOUT_MEMO = 'Simulated payout (demo network, ledger-only)';

export function historyPayoutKey(payout: HistoryPayout): string {
  return `demo-history-payout:${payout.supplier}:${payout.day}`;
}

/** How often a supplier withdraws, in days: most weekly, some fortnightly, some monthly. */
const CADENCES: readonly [days: number, share: number][] = [
  [7, 0.6],
  [14, 0.2],
  [30, 0.2],
];
/** Even on its day a supplier forgets now and then. */
const SKIP_SHARE = 0.1;

interface PayoutPlan {
  cadence: number;
  phase: number;
}

/** A supplier's withdrawal habit, from its own stream: the same whichever other suppliers there are. */
export function payoutPlan(seed: number, supplier: string): PayoutPlan {
  const rng = streamRng(seed, `payout-plan:${supplier}`);
  const draw = rng.next();
  let cadence = CADENCES[0]![0];
  let cumulative = 0;
  for (const [days, share] of CADENCES) {
    cumulative += share;
    cadence = days;
    if (draw < cumulative) break;
  }
  return { cadence, phase: Math.floor(rng.next() * cadence) };
}

/**
 * The withdrawals asked for on history day `day` ([start, end)), in time order: each supplier on the days of its
 * plan, at an instant of that day (to the minute) drawn from the supplier's stream for the day.
 */
export function payoutsOnDay(
  seed: number,
  plans: ReadonlyMap<string, PayoutPlan>,
  day: number,
  start: number,
  end: number,
): HistoryPayout[] {
  const out: HistoryPayout[] = [];
  for (const [supplier, plan] of plans) {
    if ((day + plan.phase) % plan.cadence !== 0) continue;
    const rng = streamRng(seed, `payout:${supplier}`, day);
    if (rng.next() < SKIP_SHARE) continue;
    const at = start + Math.floor((rng.next() * MS_PER_DAY) / 60_000) * 60_000;
    if (at < end) out.push({ supplier, at, day });
  }
  return out.sort((a, b) => a.at - b.at || (a.supplier < b.supplier ? -1 : 1));
}

/**
 * The withdrawals of a part that are made, with their amounts: what each supplier had earned by its instant
 * (the sum of its payable postings up to then), when at least `HISTORY_PAYOUT_MIN_MICROS`. Read after the
 * part's jobs are written (both writers), so every earning up to the instant is in the ledger.
 */
export async function payoutAmounts(
  tx: Db,
  payouts: readonly HistoryPayout[],
): Promise<{ payout: HistoryPayout; amountMicros: bigint }[]> {
  if (payouts.length === 0) return [];
  const wanted = JSON.stringify(payouts.map((p) => [p.supplier, new Date(p.at).toISOString()]));
  const rows = await queryRows<{ i: number; earned: string }>(
    tx,
    sql`select w.i::int as i, coalesce(sum(p.amount_micros), 0)::text as earned
          from jsonb_array_elements(${wanted}::jsonb) with ordinality as w(v, i)
          left join ledger_accounts la on la.owner_account_id = (w.v->>0)::uuid
               and la.kind = 'supplier_payable' and la.currency = 'usdc'
          left join ledger_postings p on p.ledger_account_id = la.id and p.created_at <= (w.v->>1)::timestamptz
         group by w.i
         order by w.i`,
  );
  return rows.flatMap((row) => {
    const payout = payouts[row.i - 1];
    const amountMicros = BigInt(row.earned);
    return payout && amountMicros >= HISTORY_PAYOUT_MIN_MICROS ? [{ payout, amountMicros }] : [];
  });
}
