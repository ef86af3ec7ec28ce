import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { SUPPORTED_CHAINS } from '@/lib/chain/config';
import { queryRows, type Db } from '@/lib/db/client';
import { payouts } from '@/lib/db/schema';
import { microsToDecimal } from '@/lib/money';
import { paidPostingsFrom } from '@/lib/supplier/earnings';
import { utcDay, type DayRange } from '@/lib/supplier/range';
import { csvLine } from '@/lib/csv';

/**
 * CSV exports for accounting: every earning and every payout of a range with its USD value at the time.
 * Amounts are exact decimals (micro-units rendered without rounding). They are streamed page by page (keyset
 * pagination), so a year of hourly incentive rows never sits in memory at once.
 */

const PAGE = 1_000;

export const EARNINGS_CSV_HEADER = [
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
];

interface EarningRow {
  atMs: number;
  kind: 'paid' | 'incentive';
  nodeId: string | null;
  nodeName: string | null;
  jobId: string | null;
  amountMicros: bigint;
  usdValueMicros: bigint;
  /** micro-USD per whole unit of the currency: 1,000,000 for USDC (at par), the emission price for tokens. */
  usdPriceMicros: bigint;
  ledgerTransactionId: string | null;
}

/** The supplier's paid-work postings in the range, oldest first (keyset on posting id). */
async function* paidRows(db: Db, accountId: string, range: DayRange): AsyncGenerator<EarningRow> {
  let after = 0n;
  for (;;) {
    const rows = await queryRows<{
      id: string;
      at_ms: string;
      amount: string;
      transaction_id: string;
      job_id: string | null;
      node_id: string | null;
      node_name: string | null;
    }>(
      db,
      sql`select p.id::text as id, floor(extract(epoch from p.created_at) * 1000)::bigint::text as at_ms,
                 p.amount_micros::text as amount, p.transaction_id, ja.job_id, ja.node_id,
                 (select n.name from nodes n where n.id = ja.node_id) as node_name
          ${paidPostingsFrom(accountId, range)}
            and p.id > ${after.toString()}::bigint
          order by p.id
          limit ${PAGE}`,
    );
    for (const r of rows) {
      const amount = BigInt(r.amount);
      yield {
        atMs: Number(r.at_ms),
        kind: 'paid',
        nodeId: r.node_id,
        nodeName: r.node_name,
        jobId: r.job_id,
        amountMicros: amount,
        usdValueMicros: amount,
        usdPriceMicros: 1_000_000n,
        ledgerTransactionId: r.transaction_id,
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = BigInt(last.id);
  }
}

/** The supplier's incentive rewards in the range, by epoch then node (keyset on both). */
async function* incentiveRows(db: Db, accountId: string, range: DayRange): AsyncGenerator<EarningRow> {
  let after: { start: string; nodeId: string } | null = null;
  for (;;) {
    const rows: {
      start_ms: string;
      node_id: string;
      node_name: string;
      amount: string;
      usd: string;
      price: string;
      transaction_id: string | null;
    }[] = await queryRows(
      db,
      sql`select floor(extract(epoch from r.epoch_start) * 1000)::bigint::text as start_ms, r.node_id,
                 n.name as node_name, r.amount_micros::text as amount, r.usd_value_micros::text as usd,
                 e.usd_price_micros::text as price, r.ledger_transaction_id as transaction_id
          from incentive_rewards r
          join incentive_epochs e on e.epoch_start = r.epoch_start
          join nodes n on n.id = r.node_id
          where r.supplier_account_id = ${accountId} and r.amount_micros > 0
            and r.epoch_start >= ${range.start.toISOString()}::timestamptz
            and r.epoch_start < ${range.end.toISOString()}::timestamptz
            ${
              after
                ? sql`and (r.epoch_start, r.node_id) > (${after.start}::timestamptz, ${after.nodeId}::uuid)`
                : sql``
            }
          order by r.epoch_start, r.node_id
          limit ${PAGE}`,
    );
    for (const r of rows)
      yield {
        atMs: Number(r.start_ms),
        kind: 'incentive',
        nodeId: r.node_id,
        nodeName: r.node_name,
        jobId: null,
        amountMicros: BigInt(r.amount),
        usdValueMicros: BigInt(r.usd),
        usdPriceMicros: BigInt(r.price),
        ledgerTransactionId: r.transaction_id,
      };
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { start: new Date(Number(last.start_ms)).toISOString(), nodeId: last.node_id };
  }
}

/** Merges two time-ordered streams into one (paid first on equal times). */
async function* byTime(
  a: AsyncGenerator<EarningRow>,
  b: AsyncGenerator<EarningRow>,
): AsyncGenerator<EarningRow> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (!x.done && (y.done || x.value.atMs <= y.value.atMs)) {
      yield x.value;
      x = await a.next();
    } else if (!y.done) {
      yield y.value;
      y = await b.next();
    }
  }
}

function earningLine(row: EarningRow): string {
  const at = new Date(row.atMs);
  return csvLine([
    utcDay(at),
    at.toISOString(),
    row.kind,
    row.nodeId,
    row.nodeName,
    row.jobId,
    microsToDecimal(row.amountMicros),
    row.kind === 'paid' ? 'USDC' : 'INCENTIVE',
    microsToDecimal(row.usdValueMicros),
    microsToDecimal(row.usdPriceMicros),
    row.ledgerTransactionId,
  ]);
}

/**
 * Earnings CSV: one row per capture of paid work (its job, the supplier's share in USDC, at par) and one per
 * epoch reward of each node (tokens, their USD value and the token's USD price at emission), oldest first.
 * `at` is the capture's time, or the start of the incentive epoch; `date` is its UTC day.
 */
export async function* earningsCsv(db: Db, accountId: string, range: DayRange): AsyncGenerator<string> {
  yield csvLine(EARNINGS_CSV_HEADER);
  let chunk = '';
  let count = 0;
  for await (const row of byTime(paidRows(db, accountId, range), incentiveRows(db, accountId, range))) {
    chunk += earningLine(row);
    if (++count % PAGE === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export const PAYOUTS_CSV_HEADER = [
  'payout_id',
  'requested_at',
  'confirmed_at',
  'state',
  'amount',
  'currency',
  'usd_value',
  'chain_id',
  'to_address',
  'tx_hash',
  'explorer_url',
  'failure_reason',
];

/** The block explorer link of a transaction on one of the supported chains, when that chain has one. */
function explorerLink(chainId: number, txHash: string | null): string | null {
  const explorer = (SUPPORTED_CHAINS as Record<number, { explorer: string | null } | undefined>)[chainId]
    ?.explorer;
  return explorer && txHash ? `${explorer}/tx/${txHash}` : null;
}

/**
 * Payouts CSV: every payout requested in the range, oldest first, in USDC with its USD value (at par), its
 * state, and — once broadcast — the chain, transaction hash and explorer link.
 */
export async function* payoutsCsv(db: Db, accountId: string, range: DayRange): AsyncGenerator<string> {
  yield csvLine(PAYOUTS_CSV_HEADER);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const rows = await db
      .select()
      .from(payouts)
      .where(
        and(
          eq(payouts.accountId, accountId),
          eq(payouts.source, 'supplier_earnings'),
          gte(payouts.createdAt, range.start),
          lt(payouts.createdAt, range.end),
          after
            ? sql`(${payouts.createdAt}, ${payouts.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(asc(payouts.createdAt), asc(payouts.id))
      .limit(PAGE);
    if (rows.length > 0)
      yield rows
        .map((p) =>
          csvLine([
            p.id,
            p.createdAt.toISOString(),
            p.confirmedAt?.toISOString() ?? null,
            p.state,
            microsToDecimal(p.amountMicros),
            'USDC',
            microsToDecimal(p.amountMicros),
            String(p.chainId),
            p.toAddress,
            p.txHash,
            explorerLink(p.chainId, p.txHash),
            p.failureReason,
          ]),
        )
        .join('');
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/**
 * A streamed CSV download. The header line and the first chunk of rows are produced before the answer starts:
 * every input was validated before the handler got here, and a failure of the first query is still an error
 * answer rather than a 200 whose body breaks off. Later chunks stream as they are read.
 */
export async function csvResponse(lines: AsyncGenerator<string>, filename: string): Promise<Response> {
  const encoder = new TextEncoder();
  const ready: string[] = [];
  let finished = false;
  for (let i = 0; i < 2 && !finished; i++) {
    const next = await lines.next();
    if (next.done) finished = true;
    else ready.push(next.value);
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const value = ready.shift();
      if (value !== undefined) return controller.enqueue(encoder.encode(value));
      if (finished) return controller.close();
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  });
}
