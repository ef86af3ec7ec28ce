import { createHmac } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { hexToBytes, type LocalAccount } from 'viem';
import { MS_PER_DAY, type Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import {
  EXPORT_FORMAT,
  GENESIS_CHAIN_HASH,
  chainHash,
  exportEntryMessage,
  rowCounts,
  serializeExport,
  sha256Hex,
  type ExportChainPayout,
  type ExportCharge,
  type ExportDeposit,
  type ExportEpoch,
  type ExportFile,
  type ExportJob,
  type ExportLedgerPayout,
  type ExportPlacement,
} from '@/lib/metrics/export-format';
import { addDays } from '@/lib/metrics/percentiles';
import { isSelfDealingSql } from '@/lib/metrics/self-dealing';
import { receiptSigner } from '@/lib/receipts/signer';

/**
 * The public daily exports of the raw rows every metric is computed from (format: lib/metrics/export-format.ts;
 * docs/metrics.md, "Recompute the metrics yourself"). A day is exported once it is closed — it ended more than
 * `EXPORT_LOOKBACK_MS` ago, the demo history (if one is generating) has been written past it, and the incentive
 * epochs that start in it are closed — and its file is stored in `metrics_exports`, never regenerated: rows
 * belong to the day their record happened, and those records are append-only, so a closed day is final.
 */

/** Transactions commit a little after the instant they record; a day is exported this long after it ended. */
export const EXPORT_LOOKBACK_MS = 15 * 60_000;
/**
 * Days exported per run (a minute apart) at most: a year's backlog after the demo history is caught up in about
 * an hour, a second or two of the single embedded database each minute, rather than several seconds a minute
 * competing with the live network's heartbeats and benchmarks for a quarter of an hour.
 */
const MAX_DAYS_PER_RUN = 7;

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function utcDay(ms: number): string {
  return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
}

// ————— pseudonyms —————

const PSEUDONYM_KEY_MESSAGE =
  'Backfill metrics export pseudonym key, version 1. This signature is a secret: never publish it.';
const pseudonymKeys = new Map<string, Buffer>();

/**
 * The HMAC key of the pseudonyms: sha256 of the marketplace key's signature of a fixed message. secp256k1
 * signatures are deterministic (RFC 6979), so the key is stable for as long as the signing key is, needs no
 * second secret to keep, and cannot be derived by anyone who does not hold the signing key.
 */
async function pseudonymKey(signer: LocalAccount): Promise<Buffer> {
  const cached = pseudonymKeys.get(signer.address);
  if (cached) return cached;
  const signature = await signer.signMessage({ message: PSEUDONYM_KEY_MESSAGE });
  const key = Buffer.from(sha256Hex(Buffer.from(hexToBytes(signature))), 'hex');
  pseudonymKeys.set(signer.address, key);
  return key;
}

/** A stable pseudonym per entity: the first 16 bytes of HMAC-SHA256(key, "<kind>:<id>"), hex. */
function pseudonymizer(key: Buffer) {
  return (kind: 'account' | 'job' | 'attempt' | 'node', id: string): string =>
    createHmac('sha256', key).update(`${kind}:${id}`).digest('hex').slice(0, 32);
}

// ————— one day's rows —————

/** The raw rows of one UTC day, pseudonymized. */
export async function buildDayExport(db: Db, day: string, signer: LocalAccount): Promise<ExportFile> {
  const p = pseudonymizer(await pseudonymKey(signer));
  const lo = sql`(${day}::date)::timestamp at time zone 'UTC'`;
  const hi = sql`(${addDays(day, 1)}::date)::timestamp at time zone 'UTC'`;
  const meteredOf = (key: SQL) => sql`split_part(${key}, ':', 3)::bigint`;

  const charges = await queryRows<{
    at: string;
    kind: 'capture' | 'refund';
    attempt: string;
    job: string;
    customer: string;
    supplier: string;
    charged: string;
    fee: string;
    supplier_share: string;
    metered_ms: string;
    gpu_count: number;
    paid_gpu_ms: string;
    simulated: boolean;
    self_dealing: boolean;
  }>(
    db,
    sql`with txs as (
          select t.id, t.kind, t.created_at, t.idempotency_key as key, split_part(t.idempotency_key, ':', 2) as attempt_key
            from ledger_transactions t
           where t.kind in ('capture', 'refund') and t.created_at >= ${lo} and t.created_at < ${hi}
        ),
        money as (
          select x.id,
                 sum(case when (x.kind = 'capture' and la.kind = 'customer_reserved')
                            or (x.kind = 'refund' and la.kind = 'customer_available')
                          then -p.amount_micros else 0 end) as charged,
                 max(case when (x.kind = 'capture' and la.kind = 'customer_reserved')
                            or (x.kind = 'refund' and la.kind = 'customer_available')
                          then la.owner_account_id::text end) as customer,
                 sum(case when la.kind = 'platform_fees' then p.amount_micros else 0 end) as fee,
                 sum(case when la.kind in ('supplier_payable', 'supplier_held') then p.amount_micros else 0 end)
                   as supplier_share
            from txs x
            join ledger_postings p on p.transaction_id = x.id
            join ledger_accounts la on la.id = p.ledger_account_id
           group by x.id
        )
        select ${iso(sql`x.created_at`)} as at, x.kind, a.id::text as attempt, j.id::text as job,
               m.customer, a.supplier_account_id::text as supplier, m.charged::text as charged,
               m.fee::text as fee, m.supplier_share::text as supplier_share,
               (case when x.kind = 'capture' then ${meteredOf(sql`x.key`)} else a.metered_ms end)::text as metered_ms,
               j.gpu_count,
               (case when x.kind = 'capture'
                     then (${meteredOf(sql`x.key`)} - coalesce((
                             select max(${meteredOf(sql`c.idempotency_key`)})
                               from ledger_transactions c
                              where c.kind = 'capture' and split_part(c.idempotency_key, ':', 2) = x.attempt_key
                                and ${meteredOf(sql`c.idempotency_key`)} < ${meteredOf(sql`x.key`)}), 0)) * j.gpu_count
                     else -a.metered_ms * j.gpu_count end)::text as paid_gpu_ms,
               (j.simulated or coalesce(ca.is_demo, false)) as simulated,
               -- The rule the rollups exclude, decided on the same pair: the job owner and the attempt supplier.
               coalesce(${isSelfDealingSql(sql`j.owner_account_id`, sql`a.supplier_account_id`)}, false) as self_dealing
          from txs x
          join money m on m.id = x.id
          join job_attempts a on a.id = x.attempt_key::uuid
          join jobs j on j.id = a.job_id
          left join accounts ca on ca.id = m.customer::uuid
         order by x.created_at, x.id`,
  );

  const jobs = await queryRows<{
    job: string;
    customer: string;
    state: ExportJob['state'];
    host_lost: boolean;
    workload_failed: boolean;
    queued_at: string;
    first_placed_at: string | null;
    ended_at: string;
    gpu_model: string | null;
    gpu_count: number;
    region: string | null;
    simulated: boolean;
    self_dealing: boolean;
  }>(
    db,
    sql`select j.id::text as job, j.owner_account_id::text as customer, j.state,
               coalesce(bool_or(x.state = 'host_lost'), false) as host_lost,
               coalesce(bool_or(x.state = 'failed'), false) as workload_failed,
               ${iso(sql`j.queued_at`)} as queued_at,
               ${iso(sql`min(x.assigned_at) filter (where x.number = 1)`)} as first_placed_at,
               ${iso(sql`j.finished_at`)} as ended_at,
               (array_agg(x.gpu_model order by x.number))[1] as gpu_model, j.gpu_count, j.region,
               (j.simulated or coalesce(ca.is_demo, false)) as simulated,
               coalesce(bool_or(${isSelfDealingSql(sql`j.owner_account_id`, sql`x.supplier_account_id`)}), false)
                 as self_dealing
          from jobs j
          left join job_attempts x on x.job_id = j.id
          left join accounts ca on ca.id = j.owner_account_id
         where j.kind = 'customer' and j.finished_at >= ${lo} and j.finished_at < ${hi}
         group by j.id, ca.is_demo
         order by j.finished_at, j.id`,
  );

  const placements = await queryRows<{
    job: string;
    queued_at: string;
    placed_at: string;
    wait_seconds: string;
    simulated: boolean;
  }>(
    db,
    sql`select j.id::text as job, ${iso(sql`j.queued_at`)} as queued_at, ${iso(sql`a.assigned_at`)} as placed_at,
               floor(extract(epoch from a.assigned_at - j.queued_at))::bigint::text as wait_seconds,
               (j.simulated or coalesce(ca.is_demo, false)) as simulated
          from job_attempts a
          join jobs j on j.id = a.job_id
          left join accounts ca on ca.id = j.owner_account_id
         where a.number = 1 and j.kind = 'customer' and a.assigned_at >= ${lo} and a.assigned_at < ${hi}
         order by a.assigned_at, j.id`,
  );

  const epochs = await queryRows<{
    start: string;
    start_key: string;
    end: string;
    gpu_seconds: string;
    emission: string;
    price: string;
  }>(
    db,
    sql`select ${iso(sql`epoch_start`)} as start, epoch_start::text as start_key, ${iso(sql`epoch_end`)} as "end",
               gpu_seconds::text as gpu_seconds, emission_micros::text as emission, usd_price_micros::text as price
          from incentive_epochs
         where epoch_start >= ${lo} and epoch_start < ${hi}
         order by epoch_start`,
  );
  const rewards = await queryRows<{
    start: string;
    node: string;
    supplier: string;
    gpu_seconds: string;
    tokens: string;
    usd: string;
  }>(
    db,
    sql`select ${iso(sql`epoch_start`)} as start, node_id::text as node, supplier_account_id::text as supplier,
               gpu_seconds::text as gpu_seconds, amount_micros::text as tokens, usd_value_micros::text as usd
          from incentive_rewards
         where epoch_start >= ${lo} and epoch_start < ${hi}
         order by epoch_start, node_id`,
  );

  const deposits = await queryRows<{
    at: string;
    kind: ExportDeposit['kind'];
    customer: string;
    amount: string;
    chain_id: number | null;
    tx_hash: string | null;
    onchain: string | null;
    simulated: boolean;
  }>(
    db,
    sql`select ${iso(sql`x.created_at`)} as at, x.kind, la.owner_account_id::text as customer,
               p.amount_micros::text as amount, d.chain_id, d.tx_hash, d.amount_micros::text as onchain,
               coalesce(ca.is_demo, false) as simulated
          from ledger_transactions x
          join ledger_postings p on p.transaction_id = x.id
          join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'customer_available'
          left join deposits d on d.ledger_transaction_id = x.id and d.state = 'credited' and d.tx_hash is not null
          left join accounts ca on ca.id = la.owner_account_id
         where x.kind in ('deposit', 'simulated_funding') and x.created_at >= ${lo} and x.created_at < ${hi}
         order by x.created_at, x.id`,
  );

  // A settled payout leaves the supplier's pending payouts; a simulated payout leaves its payable.
  const ledgerPayouts = await queryRows<{
    at: string;
    kind: ExportLedgerPayout['kind'];
    supplier: string;
    amount: string;
    simulated: boolean;
  }>(
    db,
    sql`select ${iso(sql`x.created_at`)} as at, x.kind, la.owner_account_id::text as supplier,
               (-p.amount_micros)::text as amount, coalesce(sa.is_demo, false) as simulated
          from ledger_transactions x
          join ledger_postings p on p.transaction_id = x.id
          join ledger_accounts la on la.id = p.ledger_account_id
           and la.kind = case when x.kind = 'payout' then 'supplier_payout_pending'
                              else 'supplier_payable' end::ledger_account_kind
          left join accounts sa on sa.id = la.owner_account_id
         where x.kind in ('payout', 'simulated_payout') and x.created_at >= ${lo} and x.created_at < ${hi}
         order by x.created_at, x.id`,
  );

  const chainPayouts = await queryRows<{
    at: string;
    supplier: string;
    amount: string;
    chain_id: number;
    tx_hash: string;
    simulated: boolean;
  }>(
    db,
    sql`select ${iso(sql`o.confirmed_at`)} as at, o.account_id::text as supplier, o.amount_micros::text as amount,
               o.chain_id, o.tx_hash, coalesce(sa.is_demo, false) as simulated
          from payouts o
          left join accounts sa on sa.id = o.account_id
         where o.state = 'confirmed' and o.tx_hash is not null and o.source = 'supplier_earnings'
           and o.confirmed_at >= ${lo} and o.confirmed_at < ${hi}
         order by o.confirmed_at, o.id`,
  );

  const account = (id: string | null) => (id ? p('account', id) : '');
  return {
    format: EXPORT_FORMAT,
    day,
    charges: charges.map((c): ExportCharge => ({
      at: c.at,
      kind: c.kind,
      attempt: p('attempt', c.attempt),
      job: p('job', c.job),
      customer: account(c.customer),
      supplier: account(c.supplier),
      chargedMicros: c.charged,
      feeMicros: c.fee,
      supplierMicros: c.supplier_share,
      meteredMs: Number(c.metered_ms),
      gpuCount: c.gpu_count,
      paidGpuMs: c.paid_gpu_ms,
      simulated: c.simulated,
      selfDealing: c.self_dealing,
    })),
    jobs: jobs.map((j): ExportJob => ({
      job: p('job', j.job),
      customer: account(j.customer),
      state: j.state,
      hostLost: j.host_lost,
      workloadFailed: j.workload_failed,
      queuedAt: j.queued_at,
      firstPlacedAt: j.first_placed_at,
      endedAt: j.ended_at,
      gpuModel: j.gpu_model,
      gpuCount: j.gpu_count,
      region: j.region,
      simulated: j.simulated,
      selfDealing: j.self_dealing,
    })),
    placements: placements.map((x): ExportPlacement => ({
      job: p('job', x.job),
      queuedAt: x.queued_at,
      placedAt: x.placed_at,
      waitSeconds: Number(x.wait_seconds),
      simulated: x.simulated,
    })),
    epochs: epochs.map((e): ExportEpoch => ({
      start: e.start,
      end: e.end,
      verifiedGpuSeconds: Number(e.gpu_seconds),
      emissionMicros: e.emission,
      usdPriceMicros: e.price,
      rewards: rewards
        .filter((r) => r.start === e.start)
        .map((r) => ({
          node: p('node', r.node),
          supplier: account(r.supplier),
          gpuSeconds: Number(r.gpu_seconds),
          tokenMicros: r.tokens,
          usdMicros: r.usd,
        })),
    })),
    deposits: deposits.map((d): ExportDeposit => ({
      at: d.at,
      kind: d.kind,
      customer: account(d.customer),
      amountMicros: d.amount,
      chainId: d.chain_id,
      txHash: d.tx_hash,
      onchainMicros: d.onchain,
      simulated: d.simulated,
    })),
    ledgerPayouts: ledgerPayouts.map((x): ExportLedgerPayout => ({
      at: x.at,
      kind: x.kind,
      supplier: account(x.supplier),
      amountMicros: x.amount,
      simulated: x.simulated,
    })),
    chainPayouts: chainPayouts.map((x): ExportChainPayout => ({
      at: x.at,
      supplier: account(x.supplier),
      amountMicros: x.amount,
      chainId: x.chain_id,
      txHash: x.tx_hash,
      simulated: x.simulated,
    })),
  };
}

// ————— which days are closed —————

/**
 * The exclusive end (YYYY-MM-DD) of the days that are closed at `now`: ended `EXPORT_LOOKBACK_MS` ago, written
 * by the demo history if one is generating, and covered by closed incentive epochs (when there are any).
 */
export async function closedThrough(db: Db, clock: Clock): Promise<string> {
  let end = utcDay(clock.now().getTime() - EXPORT_LOOKBACK_MS);
  const [row] = await queryRows<{ through: Date | string | null; epochs_end: Date | string | null }>(
    db,
    sql`select (select generated_through from demo_history where state = 'generating'
                 order by started_at limit 1) as through,
               (select max(epoch_end) from incentive_epochs) as epochs_end`,
  );
  for (const limit of [row?.through, row?.epochs_end]) {
    if (!limit) continue;
    const day = utcDay(new Date(limit).getTime());
    if (day < end) end = day;
  }
  return end;
}

async function firstDay(db: Db): Promise<string | null> {
  const [row] = await queryRows<{ at: Date | string | null }>(
    db,
    sql`select least(
          (select min(created_at) from ledger_transactions),
          (select min(created_at) from jobs),
          (select min(epoch_start) from incentive_epochs),
          (select min(confirmed_at) from payouts)) as at`,
  );
  return row?.at ? utcDay(new Date(row.at).getTime()) : null;
}

/**
 * Exports the closed days not yet exported, in order from the day after the latest export (or from the first
 * day with any record), each chained to the one before and signed; at most `maxDays` per call. Answers the
 * days written. Concurrent callers take turns on an advisory lock and never write a day twice.
 */
export async function generateMetricExports(
  db: Db,
  clock: Clock,
  options: { maxDays?: number; signer?: LocalAccount } = {},
): Promise<string[]> {
  const signer = options.signer ?? receiptSigner();
  const end = await closedThrough(db, clock);
  const written: string[] = [];
  const maxDays = options.maxDays ?? MAX_DAYS_PER_RUN;
  while (written.length < maxDays) {
    const day = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('metrics-exports'))`);
      const [last] = await queryRows<{ day: string; chain_hash: string }>(
        tx,
        sql`select day::text as day, chain_hash from metrics_exports order by day desc limit 1`,
      );
      const next = last ? addDays(last.day, 1) : await firstDay(tx);
      if (!next || next >= end) return null;
      const file = await buildDayExport(tx, next, signer);
      const content = serializeExport(file);
      const sha256 = sha256Hex(content);
      const previousChainHash = last?.chain_hash ?? GENESIS_CHAIN_HASH;
      const chain = chainHash(previousChainHash, sha256);
      const signature = await signer.signMessage({
        message: exportEntryMessage({ day: next, sha256, previousChainHash, chainHash: chain }),
      });
      await tx.execute(sql`
        insert into metrics_exports (day, content, sha256, previous_chain_hash, chain_hash, signer, signature,
                                     row_counts, created_at)
        values (${next}::date, ${content}, ${sha256}, ${previousChainHash}, ${chain}, ${signer.address},
                ${signature}, ${JSON.stringify(rowCounts(file))}::jsonb, ${clock.now().toISOString()}::timestamptz)`);
      return next;
    });
    if (!day) break;
    written.push(day);
  }
  return written;
}

// ————— reading —————

export interface ExportManifestEntry {
  day: string;
  sha256: string;
  previousChainHash: string;
  chainHash: string;
  signer: string;
  signature: string;
  rowCounts: Record<string, number>;
  url: string;
}

export async function getExportManifest(db: Db): Promise<ExportManifestEntry[]> {
  const rows = await queryRows<{
    day: string;
    sha256: string;
    previous_chain_hash: string;
    chain_hash: string;
    signer: string;
    signature: string;
    row_counts: Record<string, number> | string;
  }>(
    db,
    sql`select day::text as day, sha256, previous_chain_hash, chain_hash, signer, signature, row_counts
          from metrics_exports order by day`,
  );
  return rows.map((r) => ({
    day: r.day,
    sha256: r.sha256,
    previousChainHash: r.previous_chain_hash,
    chainHash: r.chain_hash,
    signer: r.signer,
    signature: r.signature,
    rowCounts: typeof r.row_counts === 'string' ? JSON.parse(r.row_counts) : r.row_counts,
    url: `/api/v1/metrics/exports/${r.day}`,
  }));
}

export async function getExportFile(
  db: Db,
  day: string,
): Promise<{ content: string; sha256: string } | null> {
  const [row] = await queryRows<{ content: string; sha256: string }>(
    db,
    sql`select content, sha256 from metrics_exports where day = ${day}::date`,
  );
  return row ?? null;
}
