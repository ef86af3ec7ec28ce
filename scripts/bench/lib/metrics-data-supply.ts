import { MS_PER_DAY } from '@/lib/clock';
import { DEFAULT_INCENTIVES } from '@/lib/incentives/config';
import { GPU_MODELS } from '@/lib/market/gpu-models';
import { REGION_IDS } from '@/lib/market/regions';
import { CANARY_ACCOUNT_ADDRESS } from '@/lib/verification/canary';
import { STAGING, ts, type GeneratorContext } from '@/scripts/bench/lib/metrics-sql';

/**
 * The supply side of the metrics benchmark's history, as set-based SQL: suppliers and their nodes (40 % of
 * them before the history starts, the rest joining evenly through the year), GPUs, weekly benchmark checks,
 * quarantines, and one closed incentive epoch per hour. Per-node rewards and their ledger credits are
 * written for the last 7 days only (the metrics read the epochs, not the rewards; a year of them would be
 * 17 M rows). Also the staging tables `pick` and `avail` the demand side places attempts with.
 */

/** Days of the history whose epochs also get per-node rewards and ledger credits. */
export const REWARD_DAYS = 7;
/** The USD reference price recorded with every epoch (the app's default, 0.05 USD per token). */
const USD_PRICE_MICROS = DEFAULT_INCENTIVES.usdPriceMicros;
const EMISSION_MICROS = DEFAULT_INCENTIVES.emissionPerEpochMicros;
const HALVING_SECONDS = DEFAULT_INCENTIVES.halvingMs / 1000;
const S = STAGING;

function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function modelValues(): string {
  return GPU_MODELS.map(
    (m, i) =>
      `(${i + 1}, ${sqlText(m.id)}, ${sqlText(m.name)}, ${m.vramGb}, ${m.referencePriceMicros}, ${m.relativeThroughput})`,
  ).join(',\n');
}

/** Staging: GPU models, suppliers and nodes with everything later steps draw from. */
function stagingStatements(ctx: GeneratorContext): string[] {
  const { u, uuid, address, window, nodes, suppliers } = ctx;
  const pre = Math.ceil(nodes * 0.4);
  const regions = `array[${REGION_IDS.map(sqlText).join(', ')}]`;
  return [
    `create unlogged table ${S}.models (idx int primary key, id text, name text, vram int, price bigint, throughput float8)`,
    `insert into ${S}.models values ${modelValues()}`,
    `create unlogged table ${S}.suppliers as
       select s, ${uuid('supplier', 's::text')} as id, ${address('supplier', 's::text')} as wallet,
         ${ts(window.start)} - interval '1 day' * (90 + 60 * ${u('s', 1)}) as created_at,
         ${uuid('ledger-account', `'payable:' || s`)} as la_payable,
         ${uuid('ledger-account', `'pending:' || s`)} as la_pending,
         ${uuid('ledger-account', `'incentives:' || s`)} as la_incentives
       from generate_series(1, ${suppliers}) s`,
    `alter table ${S}.suppliers add primary key (s)`,
    // Suppliers are skewed (the first ones own many nodes); the first four nodes are verified 8-GPU machines
    // from before the history, so every job size has somewhere to run from day one.
    `create unlogged table ${S}.nodes as
       with base as (
         select k, ${uuid('node', 'k::text')} as id,
           1 + least(${suppliers - 1}, floor(${suppliers} * power(${u('k', 2)}, 1.6))::int) as supplier,
           case when k <= 4 then 8 when ${u('k', 3)} < 0.35 then 1 when ${u('k', 3)} < 0.65 then 2
                when ${u('k', 3)} < 0.85 then 4 else 8 end as gpu_count,
           1 + least(${GPU_MODELS.length - 1}, floor(${GPU_MODELS.length} * ${u('k', 4)})::int) as model,
           case when k <= ${pre} then ${ts(window.start)} - interval '1 day' * (1 + 80 * ${u('k', 5)})
                else ${ts(window.start)} + (${ts(window.end)} - ${ts(window.start)}) * ((k - ${pre})::float8 / ${nodes - pre + 1})
           end as created_at,
           case when k <= 4 then 0 else ${u('k', 6)} end as v_u,
           ${u('k', 7)} as status_u, ${u('k', 8)} as price_u, ${u('k', 9)} as region_u, ${u('k', 10)} as q_u,
           case when ${u('k', 11)} < 0.85 then 7 else 14 + floor(30 * ${u('k', 12)})::int end as check_days
         from generate_series(1, ${nodes}) k
       ), states as (
         select b.*, s.id as supplier_id, m.id as gpu_model, m.name as model_name, m.vram, m.throughput,
           (round(m.price * (0.8 + 0.45 * b.price_u) / 1000) * 1000)::bigint as price,
           case when b.v_u < 0.92 then 'verified' when b.v_u < 0.94 then 'quarantined'
                when b.v_u < 0.97 then 'failed' else 'unverified' end as vstate,
           (${regions})[1 + floor(b.region_u * ${REGION_IDS.length})::int] as region,
           case when b.v_u >= 0.92 and b.v_u < 0.94
                then b.created_at + (${ts(window.dayEnd)} - b.created_at) * (0.2 + 0.75 * b.q_u) end as quarantined_at
         from base b join ${S}.suppliers s on s.s = b.supplier join ${S}.models m on m.idx = b.model
       )
       select st.*,
         -- Incentive eligibility: from the first whole epoch after the first benchmark, until the epoch of
         -- the quarantine (an epoch is paid to the nodes verified and not quarantined when it closes).
         date_bin('1 hour', created_at + interval '1 hour', ${ts(window.start)}) + interval '1 hour' as eligible_from,
         date_bin('1 hour', quarantined_at, ${ts(window.start)}) as eligible_until,
         case vstate when 'verified' then (case when status_u < 0.5 then 'online' when status_u < 0.85 then 'busy'
                                                when status_u < 0.95 then 'offline' else 'lost' end)
                     when 'quarantined' then 'quarantined' when 'failed' then 'offline' else 'online' end as status
       from states st`,
    `alter table ${S}.nodes add primary key (k)`,
  ];
}

/** Accounts, ledger accounts, nodes, GPUs and status history in the real tables. */
function nodeStatements(ctx: GeneratorContext): string[] {
  const { u, uuid, window } = ctx;
  const platformSince = `${ts(window.start)} - interval '180 days'`;
  return [
    `insert into accounts (id, wallet_address, display_name, is_demo, created_at)
       select id, wallet, 'Bench supplier ' || s, true, created_at from ${S}.suppliers
       union all
       select ${uuid('canary-account', `'0'`)}, '${CANARY_ACCOUNT_ADDRESS}', 'Backfill verification (canaries)', false, ${platformSince}`,
    `insert into ledger_accounts (id, owner_account_id, kind, currency, balance_micros, created_at)
       select x.id, x.owner, x.kind::ledger_account_kind, x.currency::ledger_currency, 0, x.created_at
       from (
         select ${ctx.feesAccount} as id, null::uuid as owner, 'platform_fees' as kind, 'usdc' as currency,
           ${platformSince} as created_at
         union all select ${ctx.externalUsdc}, null, 'external', 'usdc', ${platformSince}
         union all select ${ctx.externalIncentive}, null, 'external', 'incentive', ${platformSince}
         union all select la_payable, id, 'supplier_payable', 'usdc', created_at from ${S}.suppliers
         union all select la_pending, id, 'supplier_payout_pending', 'usdc', created_at from ${S}.suppliers
         union all select la_incentives, id, 'supplier_incentives', 'incentive', created_at from ${S}.suppliers
       ) x`,
    `insert into nodes (id, owner_account_id, name, region, gpu_model, gpu_count, vram_gb, interconnect,
         bandwidth_mbps, cpu_cores, ram_gb, disk_gb, cuda_version, price_per_gpu_hour_micros, status, status_since,
         last_heartbeat_at, verification_state, created_at, quarantined_at, quarantine_reason)
       select id, supplier_id, 'bench-' || gpu_model || '-' || k, region, gpu_model, gpu_count, vram,
         (case when gpu_count >= 4 and ${u('k', 13)} < 0.6 then 'nvlink' else 'pcie' end)::interconnect,
         1000 * (1 + floor(${u('k', 14)} * 10))::int, 16 * gpu_count, 64 * gpu_count, 1000 * gpu_count, '12.4',
         price, status::node_status, coalesce(quarantined_at, created_at),
         case when status in ('online', 'busy') then ${ts(window.dayEnd)} - interval '3 seconds' else coalesce(quarantined_at, created_at) end,
         (case when vstate in ('quarantined', 'failed') then 'failed' else vstate end)::verification_state,
         created_at, quarantined_at,
         case when quarantined_at is not null then 'Canary job returned a wrong result: the work was not done.' end
       from ${S}.nodes`,
    `insert into node_gpus (node_id, index, model, vram_gb, serial)
       select n.id, i, n.gpu_model, n.vram, upper(substr(md5('${ctx.seed}:serial:' || n.k || ':' || i), 1, 14))
       from ${S}.nodes n, generate_series(0, n.gpu_count - 1) i`,
    `insert into node_status_intervals (node_id, status, started_at, ended_at)
       select id, (case when quarantined_at is null then status else 'online' end)::node_status, created_at, quarantined_at
       from ${S}.nodes
       union all
       select id, 'quarantined', quarantined_at, null from ${S}.nodes where quarantined_at is not null`,
  ];
}

/** Benchmark checks every `check_days` (weekly for most), a failed benchmark or a failed canary. */
function verificationStatements(ctx: GeneratorContext): string[] {
  const { u, window } = ctx;
  const band = (score: string, verdict: string) =>
    `format('Measured %s× A100, ${verdict} the %s band %s–%s.', to_char(${score}, 'FM990.000'), n.model_name,
       to_char(n.throughput * 0.9, 'FM990.00'), to_char(n.throughput * 1.1, 'FM990.00'))`;
  return [
    `insert into node_verifications (node_id, method, result, measured_score, expected_min, expected_max, detail, created_at)
       select n.id, 'benchmark', 'pass', s.score, n.throughput * 0.9, n.throughput * 1.1, ${band('s.score', 'within')}, s.at
       from ${S}.nodes n,
         generate_series(n.created_at + interval '10 minutes',
                         coalesce(n.quarantined_at, ${ts(window.dayEnd)}) - interval '1 minute',
                         interval '1 day' * n.check_days) c(at),
         lateral (select c.at, n.throughput * (0.96 + 0.08 * ${u(`n.k * 100000000000 + extract(epoch from c.at)::bigint`, 15)}) as score) s
       where n.vstate in ('verified', 'quarantined')`,
    `insert into node_verifications (node_id, method, result, measured_score, expected_min, expected_max, detail, created_at)
       select n.id, 'benchmark'::verification_method, 'fail'::verification_result, n.throughput * 0.6, n.throughput * 0.9, n.throughput * 1.1,
         ${band('n.throughput * 0.6', 'outside')}, n.created_at + interval '10 minutes'
       from ${S}.nodes n where n.vstate = 'failed'
       union all
       select n.id, 'canary', 'fail', 0, 1, 1, 'Canary job returned a wrong result: the work was not done.', n.quarantined_at
       from ${S}.nodes n where n.quarantined_at is not null`,
  ];
}

/**
 * Where attempts run: `pick` numbers the verified nodes with at least g GPUs in order of joining, and
 * `avail` says how many of them had joined (and passed their first check) by the start of each day, so a
 * job placed that day draws one of the first `n`.
 */
function placementStatements(ctx: GeneratorContext): string[] {
  const { window } = ctx;
  return [
    `create unlogged table ${S}.pick as
       select g.g, row_number() over (partition by g.g order by n.created_at, n.k)::int as r, n.k, n.id,
         n.supplier_id, n.price, n.gpu_model, n.created_at,
         (select jsonb_agg(x.serial order by x.index) from node_gpus x where x.node_id = n.id and x.index < g.g) as serials
       from ${S}.nodes n join (values (1), (2), (4), (8)) g(g) on n.gpu_count >= g.g
       where n.vstate = 'verified'`,
    `alter table ${S}.pick add primary key (g, r)`,
    `create unlogged table ${S}.avail as
       select g.g, d as day,
         (select count(*) from ${S}.pick p where p.g = g.g and p.created_at + interval '1 hour' <= d)::int as n
       from generate_series(${ts(window.start)} - interval '1 day', ${ts(window.dayEnd)}, interval '1 day') d,
         (values (1), (2), (4), (8)) g(g)`,
    `alter table ${S}.avail add primary key (g, day)`,
  ];
}

/** Eligible for an epoch: verified before it started, not quarantined before it closed. */
function eligibleAt(node: string, epochStart: string): string {
  return `${node}.vstate in ('verified', 'quarantined') and ${node}.eligible_from <= ${epochStart}
    and (${node}.eligible_until is null or ${node}.eligible_until > ${epochStart})`;
}

/**
 * Closed incentive epochs for every hour of [from, to): the eligible GPUs times 3,600 s at 86–94 % availability.
 * Epochs from `detailedFrom` on get what `closeIncentiveEpochs` writes — a reward per eligible node (75–100 %
 * up-time each) split pro rata with the remainder to the largest remainders as `splitProRata` does, and one
 * ledger credit per supplier — which at 2,000 nodes is 48,000 rewards a day. Earlier epochs are rewarded one
 * row per supplier and day instead (on the day's first epoch and the supplier's first eligible node, sharing
 * the day's emission by eligible GPUs): 0.2 M rows for the year instead of 17.5 M, with the same daily, weekly
 * and monthly sums.
 */
export function epochStatements(ctx: GeneratorContext, from: Date, to: Date, detailedFrom: Date): string[] {
  const { u, uuid, window } = ctx;
  const origin = ts(window.start);
  const hours = Math.round((to.getTime() - from.getTime()) / 3_600_000);
  const hourIndex = (at: string) => `(extract(epoch from ${at} - ${origin}) / 3600)::bigint`;
  const emission = (at: string) =>
    `(${EMISSION_MICROS}::bigint >> floor(extract(epoch from ${at} - ${origin}) / ${HALVING_SECONDS})::int)`;
  const iso = (at: string) => `to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const creditId = uuid('incentive', `r.epoch_start::text || r.supplier_id::text`);
  /** Largest-remainder split of `total` over rows of `weighted` (columns key, weight, total) per key. */
  const split = (weighted: string, order: string) => `
    select w.*, w.total * w.weight / w.weights + case when row_number() over (partition by w.key
             order by w.total * w.weight % w.weights desc, w.weight desc, ${order})
           <= w.total - sum(w.total * w.weight / w.weights) over (partition by w.key) then 1 else 0 end as amount
    from (select x.*, sum(x.weight) over (partition by x.key) as weights from (${weighted}) x) w`;
  return [
    `drop table if exists ${S}.epochs, ${S}.epoch_gpus, ${S}.rewards`,
    `create unlogged table ${S}.epochs as
       select ${ts(from)} + interval '1 hour' * h as epoch_start,
         ${ts(from)} + interval '1 hour' * h >= ${ts(detailedFrom)} as detailed
       from generate_series(0, ${hours - 1}) h`,
    // Eligible GPUs at each epoch: a running sum over the nodes' eligibility starts and ends.
    `create unlogged table ${S}.epoch_gpus as
       select at as epoch_start, gpus from (
         select at, is_epoch, sum(d) over (order by at, is_epoch rows unbounded preceding) as gpus from (
           select eligible_from as at, gpu_count as d, false as is_epoch from ${S}.nodes
           where vstate in ('verified', 'quarantined')
           union all
           select eligible_until, -gpu_count, false from ${S}.nodes
           where vstate in ('verified', 'quarantined') and eligible_until is not null
           union all
           select epoch_start, 0, true from ${S}.epochs
         ) events
       ) running where is_epoch`,
    `create unlogged table ${S}.rewards as
       select epoch_start, node_id, supplier_id, weight as gs, amount from (${split(
         `select e.epoch_start as key, e.epoch_start, n.id as node_id, n.supplier_id, ${emission('e.epoch_start')} as total,
            floor(n.gpu_count * 3600 * (0.75 + 0.25 * ${u(`n.k::bigint * 10000000 + ${hourIndex('e.epoch_start')}`, 41)}))::bigint
              as weight
          from ${S}.epochs e join ${S}.nodes n on ${eligibleAt('n', 'e.epoch_start')} where e.detailed`,
         'w.node_id',
       )}) detailed`,
    `insert into incentive_epochs (epoch_start, epoch_end, emission_micros, usd_price_micros, gpu_seconds, created_at)
       select e.epoch_start, e.epoch_start + interval '1 hour',
         case when g.gs > 0 then ${emission('e.epoch_start')} else 0 end, ${USD_PRICE_MICROS}, g.gs,
         e.epoch_start + interval '1 hour 5 seconds'
       from ${S}.epochs e join ${S}.epoch_gpus eg using (epoch_start)
         left join (select epoch_start, sum(gs) as gs from ${S}.rewards group by epoch_start) r using (epoch_start),
         lateral (select case when e.detailed then coalesce(r.gs, 0)
                              else floor(eg.gpus * 3600 * (0.86 + 0.08 * ${u(hourIndex('e.epoch_start'), 42)}))
                         end::bigint as gs) g`,
    `insert into ${S}.rewards
       select epoch_start, node_id, supplier_id, gs, amount from (${split(
         `with days as (
            select date_trunc('day', e.epoch_start) as day, min(e.epoch_start) as first_epoch,
              sum(i.emission_micros) as emission, sum(i.gpu_seconds) as gpu_seconds
            from ${S}.epochs e join incentive_epochs i using (epoch_start)
            where not e.detailed group by 1
          ), owners as (
            select d.day, d.first_epoch, d.emission, d.gpu_seconds, n.supplier_id, sum(n.gpu_count) as gpus,
              (array_agg(n.id order by n.k))[1] as node_id
            from days d join ${S}.nodes n on ${eligibleAt('n', 'd.day')}
            group by d.day, d.first_epoch, d.emission, d.gpu_seconds, n.supplier_id
          )
          select o.day as key, o.first_epoch as epoch_start, o.node_id, o.supplier_id, o.emission as total, o.gpus as weight,
            (o.gpu_seconds * o.gpus / sum(o.gpus) over (partition by o.day))::bigint as gs
          from owners o`,
         'w.supplier_id',
       )}) aggregated`,
    `insert into ledger_transactions (id, kind, idempotency_key, memo, created_at)
       select ${creditId}, 'incentive', 'incentive:' || ${iso('r.epoch_start')} || ':' || r.supplier_id,
         'Availability rewards, epoch ' || ${iso('r.epoch_start')}, r.epoch_start + interval '1 hour 5 seconds'
       from ${S}.rewards r group by r.epoch_start, r.supplier_id having sum(r.amount) > 0
       order by r.epoch_start, r.supplier_id`,
    `insert into ledger_postings (transaction_id, ledger_account_id, currency, amount_micros, created_at)
       select t.id, x.account, 'incentive', x.amount, t.at
       from (select ${creditId} as id, r.supplier_id, sum(r.amount) as amount,
               r.epoch_start + interval '1 hour 5 seconds' as at
             from ${S}.rewards r group by r.epoch_start, r.supplier_id having sum(r.amount) > 0) t
         join ${S}.suppliers s on s.id = t.supplier_id,
         lateral (values (1, ${ctx.externalIncentive}, -t.amount), (2, s.la_incentives, t.amount)) x(seq, account, amount)
       order by t.at, t.id, x.seq`,
    `insert into incentive_rewards (epoch_start, node_id, supplier_account_id, gpu_seconds, amount_micros,
         usd_value_micros, ledger_transaction_id)
       select r.epoch_start, r.node_id, r.supplier_id, r.gs, r.amount, r.amount * ${USD_PRICE_MICROS} / 1000000,
         case when sum(r.amount) over (partition by r.epoch_start, r.supplier_id) > 0 then ${creditId} end
       from ${S}.rewards r`,
  ];
}

/** The whole supply side of the loaded history. */
export function supplyStatements(ctx: GeneratorContext): string[] {
  const detailedFrom = new Date(ctx.window.end.getTime() - REWARD_DAYS * MS_PER_DAY);
  return [
    ...stagingStatements(ctx),
    ...nodeStatements(ctx),
    ...verificationStatements(ctx),
    ...placementStatements(ctx),
    ...epochStatements(ctx, ctx.window.start, ctx.window.end, detailedFrom),
  ];
}
