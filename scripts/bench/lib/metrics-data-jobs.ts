import { JOB_TEMPLATES } from '@/lib/jobs/templates';
import { CANARY_IMAGE } from '@/lib/verification/canary';
import { STAGING, ts, type GeneratorContext } from '@/scripts/bench/lib/metrics-sql';

/**
 * The demand side of the metrics benchmark's history, as set-based SQL: customers with cohort behaviour, and
 * their jobs with attempts (placement waits, host losses and resumes, checkpoints, failures, cancellations,
 * budgets running out), plus the platform's canary jobs. Money is in `metrics-data-ledger.ts`.
 *
 * Customers join through the year (more of them later), 35 % leave after 20–70 days, 30 % after 70–220 days,
 * the rest stay; how much each one launches follows a Pareto weight (α = 1.1, capped), so a few accounts carry
 * a real share of the demand. Every draw is a hash of the seed and the row, so the data is the same on every
 * run with the same seed and end date, whatever the plan.
 */

const S = STAGING;
/** Pareto shape and cap of a customer's activity weight. */
const WEIGHT_ALPHA = 1.1;
const WEIGHT_CAP = 2000;
/** Canary jobs per customer job. */
export const CANARY_SHARE = 0.01;

/** One batch of generated jobs: the loaded year, or the day added afterwards. */
export interface Segment {
  name: 'base' | 'day';
  from: Date;
  to: Date;
  /** Longest run of one attempt, so every job of the segment starts and ends inside it. */
  maxRunMs: number;
}

/** How a job ends. Shares: 3 / 78 / 10.5 / 0.5 / 4 / 2 / 2 %. */
const CLASSES = `case when class_u < 0.03 then 'queued_cancel' when class_u < 0.81 then 'ok'
  when class_u < 0.915 then 'recovered' when class_u < 0.92 then 'lost' when class_u < 0.96 then 'user_error'
  when class_u < 0.98 then 'cancel' else 'oob' end`;
/** Attempts per class: a host loss resumes on a second host; `lost` jobs lose all six (the retry limit). */
const attemptsOf = (cls: string) =>
  `case ${cls} when 'queued_cancel' then 0 when 'recovered' then 2 when 'lost' then 6 else 1 end`;

function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function templateValues(): string {
  return JOB_TEMPLATES.map(
    (t, i) =>
      `(${i + 1}, ${sqlText(t.id)}, ${sqlText(t.name)}, ${sqlText(t.defaultImage)}, ${sqlText(JSON.stringify(t.defaultCommand))}::jsonb, ${t.defaultMinVramGb}, ${t.unitsPerReferenceGpuHour})`,
  ).join(',\n');
}

/** Staging: templates and the customers with their join and leave dates, weight and number of jobs. */
export function customerStatements(ctx: GeneratorContext): string[] {
  const { u, uuid, address, window, customers, jobs } = ctx;
  const start = ts(window.start);
  const end = ts(window.end);
  return [
    `create unlogged table ${S}.templates (idx int primary key, id text, name text, image text, command jsonb,
       min_vram int, units_per_hour float8)`,
    `insert into ${S}.templates values ${templateValues()}`,
    `create unlogged table ${S}.customers as
       with c as (
         select c, ${uuid('customer', 'c::text')} as id, ${address('customer', 'c::text')} as wallet,
           ${start} + (${end} - ${start}) * power(${u('c', 51)}, 0.8) as join_at, ${u('c', 52)} as churn_u,
           least(${WEIGHT_CAP}, power(greatest(${u('c', 53)}, 1e-12), -1.0 / ${WEIGHT_ALPHA})) as weight,
           ${u('c', 54)} < 0.3 as onchain,
           ${uuid('ledger-account', `'available:' || c`)} as la_avail,
           ${uuid('ledger-account', `'reserved:' || c`)} as la_reserved
         from generate_series(1, ${customers}) c
       ), l as (
         select c.*, least(${end}, c.join_at + case
             when churn_u < 0.35 then interval '1 day' * (20 + 50 * ${u('c', 55)})
             when churn_u < 0.65 then interval '1 day' * (70 + 150 * ${u('c', 55)})
             else ${end} - ${start} end) as leave_at
         from c
       ), m as (
         select l.*, l.weight * greatest(extract(epoch from l.leave_at - l.join_at) / 86400, 1) as mass from l
       ), f as (
         select m.*, floor(${jobs} * m.mass / sum(m.mass) over ())::int as base,
           ${jobs} * m.mass / sum(m.mass) over () - floor(${jobs} * m.mass / sum(m.mass) over ()) as frac
         from m
       ), r as (
         select f.*, f.base + case when row_number() over (order by f.frac desc, f.c)
                                        <= ${jobs} - sum(f.base) over () then 1 else 0 end as n_jobs
         from f
       )
       select r.*, (sum(r.n_jobs) over (order by r.c) - r.n_jobs)::bigint as job_offset from r`,
    `alter table ${S}.customers add primary key (c)`,
    `create unlogged table ${S}.seed_base as
       select c.job_offset + g as j, c.c, c.join_at as win_start, c.leave_at as win_end
       from ${S}.customers c, generate_series(1, c.n_jobs) g`,
  ];
}

/** Jobs of the added day: drawn by weight from the customers still active at the end of the history. */
export function daySeedStatements(ctx: GeneratorContext, count: number): string[] {
  const { u, window, jobs } = ctx;
  return [
    `create unlogged table ${S}.active as
       select c, sum(weight) over (order by c) as cum from ${S}.customers where leave_at >= ${ts(window.end)} or c = 1`,
    `create index on ${S}.active (cum)`,
    `create unlogged table ${S}.seed_day as
       select ${jobs} + i as j,
         (select a.c from ${S}.active a where a.cum >= ${u(`${jobs} + i`, 61)} * (select max(cum) from ${S}.active)
          order by a.cum limit 1) as c,
         ${ts(window.end)} as win_start, ${ts(window.dayEnd)} as win_end
       from generate_series(1, ${count}) i`,
  ];
}

/** Per job: size, outcome class, first wait, duration; per attempt: run, checkpoints, time offsets. */
function shapeStatements(ctx: GeneratorContext, seg: Segment): string[] {
  const { u, uuid } = ctx;
  const n = seg.name;
  return [
    `create unlogged table ${S}.jobs_${n} as
       with x as (
         select s.j, s.c, s.win_start, s.win_end, cu.id as owner, not cu.onchain as simulated, ${u('s.j', 21)} as q_u,
           power(${u('s.j', 22)}, 1.0 / (1 + 0.25 * ln(cu.weight))) as g_u, ${u('s.j', 25)} as class_u,
           ${u('s.j', 23)} as w_u, ${u('s.j', 24)} as w_v, ${u('s.j', 26)} as d_u, ${u('s.j', 27)} as d_v,
           ${u('s.j', 29)} as t_u, ${u('s.j', 30)} as b_u, ${u('s.j', 31)} as c_u
         from ${S}.seed_${n} s join ${S}.customers cu on cu.c = s.c
       )
       select j, c, owner, simulated, win_start, win_end, q_u, t_u, ${uuid('job', 'j::text')} as id,
         case when g_u < 0.55 then 1 when g_u < 0.78 then 2 when g_u < 0.93 then 4 else 8 end as gpus,
         ${CLASSES} as class,
         (case when w_u < 0.7 then 1000 + 29000 * w_v when w_u < 0.9 then 30000 + 570000 * w_v
               when w_u < 0.98 then 600000 + 3000000 * w_v else 3600000 + 18000000 * w_v end)::bigint as wait_ms,
         least(${seg.maxRunMs}, greatest(120000,
           exp(ln(5400000) + 1.1 * sqrt(-2 * ln(greatest(d_u, 1e-12))) * cos(2 * pi() * d_v))))::bigint as dur_ms,
         1.15 + 1.5 * b_u as budget_f, (30000 + 1770000 * c_u)::bigint as cancel_ms
       from x`,
    `create unlogged table ${S}.att_${n} as
       with a as (
         select j.j, j.c, j.id as job_id, j.class, j.gpus, j.dur_ms, j.wait_ms as first_wait_ms, a.a, j.j * 8 + a.a as ak,
           case when j.class in ('ok', 'recovered') and a.a = ${attemptsOf('j.class')} then 'completed'
                when j.class in ('recovered', 'lost') then 'host_lost' when j.class = 'user_error' then 'failed'
                when j.class = 'cancel' then 'cancelled' else 'out_of_budget' end as state
         from ${S}.jobs_${n} j, generate_series(1, ${attemptsOf('j.class')}) a(a)
       ), r as (
         select a.*,
           greatest(60000, floor(a.dur_ms * case when a.class = 'ok' then 1.0
             when a.state = 'completed' then 0.5 + 0.5 * ${u('ak', 35)}
             when a.state = 'host_lost' then 0.05 + 0.6 * ${u('ak', 35)}
             when a.state = 'failed' then 0.02 + 0.5 * ${u('ak', 35)}
             when a.state = 'cancelled' then 0.05 + 0.8 * ${u('ak', 35)}
             else 0.3 + 0.7 * ${u('ak', 35)} end))::bigint as run_ms,
           case when a.a = 1 then a.first_wait_ms else (5000 + 295000 * power(${u('ak', 32)}, 2))::bigint end as wait_ms,
           (3000 + 37000 * ${u('ak', 33)})::bigint as start_ms,
           case when a.state = 'host_lost' then (30000 + 5000 * ${u('ak', 36)})::bigint else 0 end as lost_ms,
           case when a.state = 'host_lost'
                then (case when ${u('ak', 37)} < 0.45 then 0 when ${u('ak', 37)} < 0.8 then 1 else 2 end)
                else (case when ${u('ak', 37)} < 0.8 then 0 when ${u('ak', 37)} < 0.93 then 1 else 2 end) end as cp,
           ${u('ak', 34)} as node_u
         from a
       )
       select r.*, r.cp + case when r.state = 'host_lost' then 0 else 1 end as q,
         case when r.state = 'host_lost' then floor(r.run_ms * (r.cp)::float8 / (r.cp + 1))::bigint else r.run_ms end
           as metered_ms,
         sum(r.wait_ms + r.start_ms + r.run_ms + r.lost_ms) over (partition by r.j order by r.a) as end_off
       from r`,
  ];
}

/**
 * Places jobs in time (inside the customer's active window, ending before the segment does), attempts on
 * nodes (a verified node with enough GPUs that had joined by that day) and prices them.
 */
function placementStatements(ctx: GeneratorContext, seg: Segment): string[] {
  const n = seg.name;
  return [
    `create unlogged table ${S}.jobt_${n} as
       select j.*, coalesce(t.total_ms, j.cancel_ms) as total_ms,
         greatest(${ts(seg.from)} + interval '1 minute',
                  least(j.win_start + (j.win_end - j.win_start) * j.q_u,
                        ${ts(seg.to)} - (coalesce(t.total_ms, j.cancel_ms) + 60000) * interval '1 millisecond')) as queued_at
       from ${S}.jobs_${n} j left join (select j, max(end_off) as total_ms from ${S}.att_${n} group by j) t using (j)`,
    `alter table ${S}.jobt_${n} add primary key (j)`,
    `create unlogged table ${S}.atta_${n} as
       with t as (
         select a.*, jt.owner, jt.queued_at + (a.end_off - a.run_ms - a.lost_ms - a.start_ms) * interval '1 millisecond'
           as assigned_at
         from ${S}.att_${n} a join ${S}.jobt_${n} jt on jt.j = a.j
       )
       select t.*, ${ctx.uuid('attempt', `t.j || ':' || t.a`)} as id,
         t.assigned_at + t.start_ms * interval '1 millisecond' as running_at,
         t.assigned_at + (t.start_ms + t.run_ms + t.lost_ms) * interval '1 millisecond' as ended_at,
         p.id as node_id, p.supplier_id, p.price, p.gpu_model, p.serials,
         (t.metered_ms * t.gpus * p.price) / 3600000 as charged,
         (t.metered_ms * t.gpus * p.price) / 3600000 * 1000 / 10000 as fee
       from t join ${S}.avail v on v.g = t.gpus and v.day = date_trunc('day', t.assigned_at)
         join ${S}.pick p on p.g = t.gpus and p.r = 1 + least(v.n - 1, floor(t.node_u * v.n)::int)`,
    `create unlogged table ${S}.jobm_${n} as
       with m as (
         select jt.*, coalesce(a.charged, 0) as charged, a.price1, a.started_at, coalesce(a.metered, 0) as metered,
           coalesce(a.attempts, 0) as attempts,
           coalesce(a.finished_at, jt.queued_at + jt.cancel_ms * interval '1 millisecond') as finished_at,
           case when jt.gpus >= 2 and jt.t_u < 0.6 then 3 else 1 + least(4, floor(jt.t_u * 5)::int) end as tpl
         from ${S}.jobt_${n} jt left join (
           select j, sum(charged) as charged, min(running_at) as started_at, max(ended_at) as finished_at,
             sum(metered_ms) as metered, count(*)::int as attempts, (array_agg(price order by a))[1] as price1
           from ${S}.atta_${n} group by j) a using (j)
       )
       select m.*, t.idx as template_idx, t.name || ' #' || m.j as name,
         greatest(1, floor(t.units_per_hour * m.gpus * m.dur_ms / 3600000.0))::bigint as work_units,
         case when m.class = 'oob' then m.charged + (10000 * m.gpus * m.price1) / 3600000 + 1
              else (ceil(greatest(m.charged, (m.dur_ms * m.gpus * coalesce(m.price1, 2000000)) / 3600000) * m.budget_f
                         / 1000000) * 1000000 + 1000000)::bigint end as budget
       from m join ${S}.templates t on t.idx = case when m.tpl = 3 and m.gpus = 1 then 1 else m.tpl end`,
    `alter table ${S}.jobm_${n} add primary key (j)`,
  ];
}

/** The jobs and attempts in the real tables. */
function insertStatements(ctx: GeneratorContext, seg: Segment): string[] {
  const { hash } = ctx;
  const n = seg.name;
  const progress = `case when m.class in ('ok', 'recovered') then m.work_units
    else least(m.work_units, floor(m.work_units * m.metered::float8 / m.dur_ms))::bigint end`;
  return [
    `insert into jobs (id, owner_account_id, name, template, image, command, env, gpu_models, gpu_count, min_vram_gb,
         region, pinned_node_id, max_price_per_gpu_hour_micros, budget_micros, work_units, spec_hash, state,
         state_reason, progress_units, checkpoint_units, checkpoint_ref, fencing_token, attempt_count, charged_micros,
         released_micros, simulated, queued_at, started_at, finished_at, created_at, updated_at, kind)
       select m.id, m.owner, m.name, t.id::job_template, t.image, t.command, '{}'::jsonb, '[]'::jsonb, m.gpus,
         t.min_vram, null, null, null, m.budget, m.work_units, ${hash('spec', 'm.j::text')},
         (case m.class when 'ok' then 'succeeded' when 'recovered' then 'succeeded' when 'lost' then 'failed'
               when 'user_error' then 'failed' when 'oob' then 'out_of_budget' else 'cancelled' end)::job_state,
         case m.class when 'ok' then 'The workload finished.' when 'recovered' then 'The workload finished.'
              when 'lost' then 'Gave up after 6 hosts were lost.' when 'user_error' then 'The workload exited with code 1.'
              when 'oob' then format('Budget exhausted at %s %% progress.',
                                     floor(100 * least(1, m.metered::float8 / m.dur_ms)))
              else 'Cancelled by the customer.' end,
         ${progress}, ${progress}, null, m.attempts, m.attempts, m.charged, m.budget - m.charged, m.simulated,
         m.queued_at, m.started_at, m.finished_at, m.queued_at, m.finished_at, 'customer'
       from ${S}.jobm_${n} m join ${S}.templates t on t.idx = m.template_idx
       order by m.queued_at`,
    `insert into job_attempts (id, job_id, number, node_id, supplier_account_id, gpu_indexes, gpu_serials, gpu_model,
         fencing_token, price_per_gpu_hour_micros, take_rate_bp, state, end_reason, resumed_from_units, pending_ms,
         metered_ms, forfeited_ms, charged_micros, supplier_micros, fee_micros, last_report_at, assigned_at,
         running_at, ended_at, result_digest)
       select a.id, a.job_id, a.a, a.node_id, a.supplier_id,
         (case a.gpus when 1 then '[0]' when 2 then '[0,1]' when 4 then '[0,1,2,3]' else '[0,1,2,3,4,5,6,7]' end)::jsonb,
         a.serials, a.gpu_model, a.a, a.price, 1000, a.state::attempt_state,
         case a.state when 'completed' then 'The workload finished.'
              when 'host_lost' then format('No heartbeat for %s s: host lost.', round(a.lost_ms / 1000.0))
              when 'failed' then 'The workload exited with code 1.' when 'cancelled' then 'Cancelled by the customer.'
              else 'Budget exhausted.' end,
         0, 0, a.metered_ms, case when a.state = 'host_lost' then a.run_ms - a.metered_ms else 0 end,
         a.charged, a.charged - a.fee, a.fee, a.ended_at - a.lost_ms * interval '1 millisecond', a.assigned_at,
         a.running_at, a.ended_at, case when a.state = 'completed' then ${hash('result', `a.j || ':' || a.a`)} end
       from ${S}.atta_${n} a
       order by a.assigned_at`,
  ];
}

/** Jobs, attempts and their staging for one segment (the ledger side follows in metrics-data-ledger.ts). */
export function jobStatements(ctx: GeneratorContext, seg: Segment): string[] {
  return [...shapeStatements(ctx, seg), ...placementStatements(ctx, seg), ...insertStatements(ctx, seg)];
}

/**
 * Canary jobs (1 % of customer jobs, spread over the year): unpaid (price 0, no budget, no capture), one
 * minute on one GPU of a verified node, each with its passed check and verification record.
 */
export function canaryStatements(ctx: GeneratorContext): string[] {
  const { u, uuid, hash, window } = ctx;
  const count = Math.max(1, Math.round(ctx.jobs * CANARY_SHARE));
  const start = ts(window.start);
  return [
    `create unlogged table ${S}.canary as
       with c as (
         select i, ${uuid('canary-job', 'i::text')} as id,
           ${start} + (${ts(window.end)} - ${start} - interval '2 hours') * ${u('i', 71)} as queued_at, ${u('i', 72)} as node_u
         from generate_series(1, ${count}) i
       )
       select c.*, p.id as node_id, p.supplier_id, p.gpu_model, p.serials,
         c.queued_at + interval '5 seconds' as running_at, c.queued_at + interval '65 seconds' as ended_at,
         ${hash('canary-answer', 'c.i::text')} as answer
       from c join ${S}.avail v on v.g = 1 and v.day = date_trunc('day', c.queued_at)
         join ${S}.pick p on p.g = 1 and p.r = 1 + least(v.n - 1, floor(c.node_u * v.n)::int)`,
    `insert into jobs (id, owner_account_id, name, template, image, command, env, gpu_models, gpu_count, min_vram_gb,
         region, pinned_node_id, max_price_per_gpu_hour_micros, budget_micros, work_units, spec_hash, state,
         state_reason, progress_units, checkpoint_units, fencing_token, attempt_count, charged_micros, released_micros,
         simulated, queued_at, started_at, finished_at, created_at, updated_at, kind)
       select c.id, ${uuid('canary-account', `'0'`)}, 'canary', 'custom', '${CANARY_IMAGE}',
         '["node", "-e", "known-answer program"]'::jsonb,
         jsonb_build_object('BACKFILL_KA_SEED', md5('${ctx.seed}:canary-seed:' || c.i), 'BACKFILL_KA_STEPS', '20000'),
         '[]'::jsonb, 1, 0, null, c.node_id, null, 0, 20000, ${hash('canary-spec', 'c.i::text')}, 'succeeded',
         'The workload finished.', 20000, 20000, 1, 1, 0, 0, true, c.queued_at, c.running_at, c.ended_at,
         c.queued_at, c.ended_at, 'canary'
       from ${S}.canary c`,
    `insert into job_attempts (id, job_id, number, node_id, supplier_account_id, gpu_indexes, gpu_serials, gpu_model,
         fencing_token, price_per_gpu_hour_micros, take_rate_bp, state, end_reason, resumed_from_units, metered_ms,
         last_report_at, assigned_at, running_at, ended_at, result_digest)
       select ${uuid('canary-attempt', 'c.i::text')}, c.id, 1, c.node_id, c.supplier_id, '[0]', c.serials, c.gpu_model,
         1, 0, 1000, 'completed', 'The workload finished.', 0, 60000, c.ended_at, c.queued_at + interval '2 seconds',
         c.running_at, c.ended_at, c.answer
       from ${S}.canary c`,
    `insert into canary_checks (job_id, node_id, expected_digest, outcome, created_at, decided_at)
       select c.id, c.node_id, c.answer, 'pass', c.queued_at, c.ended_at from ${S}.canary c`,
    `insert into node_verifications (node_id, method, result, measured_score, expected_min, expected_max, detail,
         job_id, created_at)
       select c.node_id, 'canary', 'pass', 1, 1, 1, 'Canary job returned its known answer.', c.id, c.ended_at
       from ${S}.canary c`,
  ];
}
