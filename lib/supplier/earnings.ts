import { inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '@/lib/db/client';
import { nodes } from '@/lib/db/schema';
import { balanceOf, getBalances } from '@/lib/ledger/operations';
import { daysOf, type DayRange } from '@/lib/supplier/range';
import type { EarningsAmounts, NodeEarnings, SupplierEarnings } from '@/lib/supplier/schemas';

/**
 * A supplier's earnings, from the two records that are money: paid work is the supplier's share of every
 * capture posted to their payable account in the ledger (exact to the micro-USDC, dated when it was charged,
 * so a long job's earnings fall on the days it ran), and incentives are the rewards of closed epochs (dated by
 * the epoch's start, valued at the USD price recorded at emission). Canary jobs are unpaid platform checks
 * and are left out even if they were ever charged.
 */

/**
 * Captures carry the idempotency key `capture:<attempt id>:<metered ms>` (lib/jobs/lifecycle.ts
 * `settlePending`): the attempt names the job and the node a posting was earned on.
 */
const CAPTURE_ATTEMPT = sql`case when t.idempotency_key ~ '^capture:[0-9a-f-]{36}:'
  then substr(t.idempotency_key, 9, 36)::uuid end`;

/**
 * The supplier's paid-work postings in [start, end): rows of `p` (posting), `t` (transaction), `ja` (attempt,
 * null for a capture without an attempt) and `j` (job). `nodeIds` narrows to those nodes.
 */
export function paidPostingsFrom(
  accountId: string,
  range: Pick<DayRange, 'start' | 'end'>,
  nodeIds?: readonly string[],
): SQL {
  return sql`from ledger_postings p
    join ledger_accounts a on a.id = p.ledger_account_id
    join ledger_transactions t on t.id = p.transaction_id
    left join job_attempts ja on ja.id = ${CAPTURE_ATTEMPT}
    left join jobs j on j.id = ja.job_id
    where a.owner_account_id = ${accountId} and a.kind = 'supplier_payable' and a.currency = 'usdc'
      and t.kind = 'capture'
      and p.created_at >= ${range.start.toISOString()}::timestamptz
      and p.created_at < ${range.end.toISOString()}::timestamptz
      and (j.kind is null or j.kind = 'customer')
      ${nodeIds ? sql`and ja.node_id in ${[...nodeIds]}` : sql``}`;
}

/** Micro amounts of one (day, node) cell or any sum of them. */
export interface Amounts {
  paid: bigint;
  incentive: bigint;
  incentiveUsd: bigint;
}

export interface DayNodeAmounts extends Amounts {
  day: string;
  nodeId: string | null;
}

export const ZERO: Readonly<Amounts> = { paid: 0n, incentive: 0n, incentiveUsd: 0n };

export function addAmounts(a: Amounts, b: Amounts): Amounts {
  return {
    paid: a.paid + b.paid,
    incentive: a.incentive + b.incentive,
    incentiveUsd: a.incentiveUsd + b.incentiveUsd,
  };
}

/** USDC counts at par in the USD total; incentives at their value at emission. */
export function toAmountsView(a: Amounts): EarningsAmounts {
  return {
    paidMicros: a.paid.toString(),
    incentiveMicros: a.incentive.toString(),
    incentiveUsdMicros: a.incentiveUsd.toString(),
    totalUsdMicros: (a.paid + a.incentiveUsd).toString(),
  };
}

/** Paid work and incentives per UTC day and node in the range; only cells that earned something. */
export async function earningsByDayAndNode(
  db: Db,
  accountId: string,
  range: Pick<DayRange, 'start' | 'end'>,
  nodeIds?: readonly string[],
): Promise<DayNodeAmounts[]> {
  if (nodeIds?.length === 0) return [];
  const [paid, incentives] = await Promise.all([
    queryRows<{ day: string; node_id: string | null; paid: string }>(
      db,
      sql`select to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, ja.node_id,
                 sum(p.amount_micros)::text as paid
          ${paidPostingsFrom(accountId, range, nodeIds)}
          group by 1, 2`,
    ),
    queryRows<{ day: string; node_id: string; amount: string; usd: string }>(
      db,
      sql`select to_char(r.epoch_start at time zone 'UTC', 'YYYY-MM-DD') as day, r.node_id,
                 sum(r.amount_micros)::text as amount, sum(r.usd_value_micros)::text as usd
          from incentive_rewards r
          where r.supplier_account_id = ${accountId}
            and r.epoch_start >= ${range.start.toISOString()}::timestamptz
            and r.epoch_start < ${range.end.toISOString()}::timestamptz
            ${nodeIds ? sql`and r.node_id in ${[...nodeIds]}` : sql``}
          group by 1, 2`,
    ),
  ]);
  const cells = new Map<string, DayNodeAmounts>();
  const cell = (day: string, nodeId: string | null) => {
    const key = `${day}/${nodeId ?? ''}`;
    const found = cells.get(key) ?? { day, nodeId, ...ZERO };
    cells.set(key, found);
    return found;
  };
  for (const row of paid) cell(row.day, row.node_id).paid += BigInt(row.paid);
  for (const row of incentives) {
    const c = cell(row.day, row.node_id);
    c.incentive += BigInt(row.amount);
    c.incentiveUsd += BigInt(row.usd);
  }
  return [...cells.values()].filter((c) => c.paid !== 0n || c.incentive !== 0n || c.incentiveUsd !== 0n);
}

/** Names of the given nodes, for labelling rows. */
export async function nodeNames(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const known = [...new Set(ids.filter((id): id is string => id !== null))];
  if (known.length === 0) return new Map();
  const rows = await db
    .select({ id: nodes.id, name: nodes.name })
    .from(nodes)
    .where(inArray(nodes.id, known));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Sorts node rows by name (then id), with work not attributable to a node last. */
function byNodeName(a: NodeEarnings, b: NodeEarnings): number {
  if (a.nodeId === null || b.nodeId === null) return a.nodeId === null ? 1 : -1;
  return (a.nodeName ?? '').localeCompare(b.nodeName ?? '') || a.nodeId.localeCompare(b.nodeId);
}

/** The earnings report of the console: every day of the range, per node, totals and the balances now. */
export async function getSupplierEarnings(
  db: Db,
  accountId: string,
  range: DayRange,
): Promise<SupplierEarnings> {
  const [cells, balances] = await Promise.all([
    earningsByDayAndNode(db, accountId, range),
    getBalances(db, accountId),
  ]);
  const names = await nodeNames(
    db,
    cells.map((c) => c.nodeId),
  );
  const nodeView = (nodeId: string | null, amounts: Amounts): NodeEarnings => ({
    nodeId,
    nodeName: nodeId === null ? null : (names.get(nodeId) ?? null),
    ...toAmountsView(amounts),
  });

  const perDay = new Map<string, DayNodeAmounts[]>();
  const perNode = new Map<string | null, Amounts>();
  let total: Amounts = ZERO;
  for (const c of cells) {
    perDay.set(c.day, [...(perDay.get(c.day) ?? []), c]);
    perNode.set(c.nodeId, addAmounts(perNode.get(c.nodeId) ?? ZERO, c));
    total = addAmounts(total, c);
  }
  return {
    from: range.from,
    to: range.to,
    totals: toAmountsView(total),
    days: daysOf(range).map((day) => {
      const dayCells = perDay.get(day) ?? [];
      return {
        day,
        ...toAmountsView(dayCells.reduce<Amounts>(addAmounts, ZERO)),
        nodes: dayCells.map((c) => nodeView(c.nodeId, c)).sort(byNodeName),
      };
    }),
    nodes: [...perNode].map(([nodeId, amounts]) => nodeView(nodeId, amounts)).sort(byNodeName),
    balances: {
      payableMicros: balanceOf(balances, 'supplier_payable').toString(),
      payoutPendingMicros: balanceOf(balances, 'supplier_payout_pending').toString(),
      heldMicros: balanceOf(balances, 'supplier_held').toString(),
      incentivesMicros: balanceOf(balances, 'supplier_incentives', 'incentive').toString(),
    },
  };
}
