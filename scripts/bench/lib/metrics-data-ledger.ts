import { DEMO_FUNDING_MEMO } from '@/lib/simulation/control';
import { STAGING, ts, type GeneratorContext } from '@/scripts/bench/lib/metrics-sql';
import type { Segment } from '@/scripts/bench/lib/metrics-data-jobs';

/**
 * The money of the generated jobs, shaped exactly as the app writes it (`lib/jobs/lifecycle.ts`,
 * `lib/ledger/operations.ts`, deposits and payouts):
 *
 * - a `hold` of the budget when a job is launched (`job-hold:<job>`), a `release` of what was not charged when
 *   it ends (`job-release:<job>`);
 * - a `capture` at every checkpoint and at the end of an attempt, keyed `capture:<attempt>:<cumulative metered
 *   ms>`, charging the cumulative cost minus what was charged before, split 90/10 into the supplier's payable
 *   and the platform's fees (take rate 1,000 bp; amounts from cumulative totals, as `settlePending` does);
 *   a lost host's unsettled time is never captured;
 * - deposits before a customer's first launch of each month, covering that month's budgets: 30 % of customers
 *   fund on-chain (a credited `deposits` row with its transfer, ledger key `deposit:<chain>:<tx>:<log>`), the
 *   rest are demo customers funded ledger-only (`demo-funding:<account>:<n>`); 3 % of on-chain fundings follow
 *   a rejected submission;
 * - weekly payouts of each supplier's earnings of the week (`payout-reserve:<id>`, then `payout:<id>` when
 *   confirmed on-chain).
 *
 * Transactions and postings are staged, then inserted in time order, so posting ids grow with time and no
 * owned balance ever dips below zero along the way.
 */

const S = STAGING;
/** Chain of the generated on-chain deposits and payouts (Base). */
const CHAIN_ID = 8453;

/** Captures of one segment, with the cumulative totals and the per-capture deltas. */
function captureStatement(ctx: GeneratorContext, seg: Segment): string {
  const n = seg.name;
  return `create unlogged table ${S}.cap_${n} as
    with c as (
      select a.id, a.j, a.a, a.owner, a.supplier_id, a.gpus, a.price, a.running_at, i,
        case when i <= a.cp then floor(a.run_ms * (i)::float8 / (a.cp + 1))::bigint else a.run_ms end as ms
      from ${S}.atta_${n} a, generate_series(1, a.q) i
    ), t as (select c.*, (c.ms * c.gpus * c.price) / 3600000 as total from c)
    select t.id as attempt_id, ${ctx.uuid('capture', `t.id || ':' || t.ms`)} as tx_id, t.j, t.a, t.owner, t.supplier_id, t.ms,
      t.running_at + t.ms * interval '1 millisecond' as at,
      t.total - coalesce(lag(t.total) over w, 0) as delta,
      t.total * 1000 / 10000 - coalesce(lag(t.total * 1000 / 10000) over w, 0) as fee_delta
    from t window w as (partition by t.j, t.a order by t.i)`;
}

/**
 * The money of one segment: staging statements (captures, fundings, payouts), and the SELECTs of its ledger
 * transactions (id, kind, key, memo, at, ord) and postings (tx, account, currency, amount, at, ord, seq), where
 * `ord` orders what happens at the same instant: fundings, holds, captures, releases, payout reserves, payouts.
 */
interface Money {
  statements: string[];
  transactions: string[];
  postings: string[];
}

function moneyOf(ctx: GeneratorContext, seg: Segment, withPayouts: boolean): Money {
  const { u, uuid, hash, window } = ctx;
  const n = seg.name;
  // The added day numbers a demo customer's fundings on from the year's.
  const previous =
    n === 'base'
      ? '(select null::int as c, 0 as n where false)'
      : `(select c, max(n) as n from ${S}.dep_base group by c)`;
  const statements = [
    captureStatement(ctx, seg),
    `create unlogged table ${S}.dep_${n} as
       with g as (
         select m.c, date_trunc('month', m.queued_at) as month, sum(m.budget) as need, min(m.queued_at) as first
         from ${S}.jobm_${n} m group by m.c, date_trunc('month', m.queued_at)
       ), d as (
         select g.*, cu.id as owner, cu.onchain, cu.wallet, cu.la_avail,
           (row_number() over (partition by g.c order by g.month) + coalesce(p.n, 0))::int as n,
           g.c::bigint * 100000 + (extract(epoch from g.month) / 86400)::bigint as dk
         from g join ${S}.customers cu on cu.c = g.c left join ${previous} p on p.c = g.c
       )
       select d.*,
         d.first - least(interval '10 minutes' + interval '6 hours' * ${u('d.dk', 62)}, (d.first - ${ts(seg.from)}) / 2) as at,
         (case when d.onchain then ceil(d.need / 50000000.0) * 50000000 else ceil(d.need / 500000000.0) * 500000000 end)::bigint
           as amount,
         ${hash('deposit-tx', `d.c || ':' || d.n`)} as tx_hash, floor(3 * ${u('d.dk', 64)})::int as log_index,
         d.onchain and ${u('d.dk', 63)} < 0.03 as rejected_first,
         ${uuid('deposit-ledger', `d.c || ':' || d.n`)} as tx_id
       from d`,
  ];
  const transactions = [
    `select tx_id, case when onchain then 'deposit' else 'simulated_funding' end,
         case when onchain then 'deposit:${CHAIN_ID}:' || tx_hash || ':' || log_index else 'demo-funding:' || owner || ':' || n end,
         case when onchain then 'USDC deposit ' || tx_hash else '${DEMO_FUNDING_MEMO}' end, at, 0
       from ${S}.dep_${n}`,
    `select ${uuid('hold', 'j::text')}, 'hold', 'job-hold:' || id, 'Budget hold for job "' || name || '"', queued_at, 1
       from ${S}.jobm_${n}`,
    `select c.tx_id, 'capture', 'capture:' || c.attempt_id || ':' || c.ms,
         format('Job "%s" attempt %s: %s s metered', m.name, c.a, round(c.ms / 1000.0)), c.at, 2
       from ${S}.cap_${n} c join ${S}.jobm_${n} m on m.j = c.j where c.delta > 0`,
    `select ${uuid('release', 'j::text')}, 'release', 'job-release:' || id, 'Unused budget of job "' || name || '" returned',
         finished_at, 3
       from ${S}.jobm_${n} where budget > charged`,
  ];
  const postings = [
    `select d.tx_id, x.account, 'usdc', x.amount, d.at, 0, x.seq
       from ${S}.dep_${n} d, lateral (values (1, ${ctx.externalUsdc}, -d.amount), (2, d.la_avail, d.amount)) x(seq, account, amount)`,
    `select m.hold_tx, x.account, 'usdc', x.amount, m.queued_at, 1, x.seq
       from (select *, ${uuid('hold', 'j::text')} as hold_tx from ${S}.jobm_${n} offset 0) m join ${S}.customers cu on cu.c = m.c,
         lateral (values (1, cu.la_avail, -m.budget), (2, cu.la_reserved, m.budget)) x(seq, account, amount)`,
    `select c.tx_id, x.account, 'usdc', x.amount, c.at, 2, x.seq
       from ${S}.cap_${n} c join ${S}.customers cu on cu.id = c.owner join ${S}.suppliers s on s.id = c.supplier_id,
         lateral (values (1, cu.la_reserved, -c.delta), (2, s.la_payable, c.delta - c.fee_delta),
                         (3, ${ctx.feesAccount}, c.fee_delta)) x(seq, account, amount)
       where c.delta > 0 and x.amount <> 0`,
    `select m.release_tx, x.account, 'usdc', x.amount, m.finished_at, 3, x.seq
       from (select *, ${uuid('release', 'j::text')} as release_tx from ${S}.jobm_${n} where budget > charged offset 0) m
         join ${S}.customers cu on cu.c = m.c,
         lateral (values (1, cu.la_reserved, m.charged - m.budget), (2, cu.la_avail, m.budget - m.charged)) x(seq, account, amount)`,
  ];
  const money = { statements, transactions, postings };
  return withPayouts ? addPayouts(ctx, window.start, seg, money) : money;
}

/** Weekly payouts of each supplier's earnings in the week, requested 2–6 h after it and confirmed 0.5–2 min later. */
function addPayouts(ctx: GeneratorContext, origin: Date, seg: Segment, money: Money): Money {
  const { u, uuid, hash } = ctx;
  const n = seg.name;
  const staging = [
    `create unlogged table ${S}.pay as
       with w as (
         select c.supplier_id, floor(extract(epoch from c.at - ${ts(origin)}) / 604800)::int as w,
           sum(c.delta - c.fee_delta) as amount
         from ${S}.cap_${n} c where c.delta > 0 group by 1, 2
       ), t as (
         select w.*, s.s, s.wallet, s.la_payable, s.la_pending,
           ${ts(origin)} + interval '7 days' * (w.w + 1) + interval '2 hours' + interval '4 hours' * ${u('s.s * 1000 + w.w', 81)}
             as created_at
         from w join ${S}.suppliers s on s.id = w.supplier_id
       )
       select t.*, ${uuid('payout', `t.s || ':' || t.w`)} as id,
         t.created_at + interval '30 seconds' + interval '90 seconds' * ${u('t.s * 1000 + t.w', 82)} as confirmed_at,
         row_number() over (order by t.created_at, t.s)::int as nonce, ${hash('payout-tx', `t.s || ':' || t.w`)} as tx_hash
       from t where t.amount > 0 and t.created_at + interval '5 minutes' < ${ts(seg.to)}`,
  ];
  const transactions = [
    `select ${uuid('payout-reserve', 'id::text')}, 'payout_reserve', 'payout-reserve:' || id,
       'Payout ' || id || ' to ' || wallet, created_at, 4 from ${S}.pay`,
    `select ${uuid('payout-settle', 'id::text')}, 'payout', 'payout:' || id, 'Payout ' || id || ' confirmed', confirmed_at, 5
       from ${S}.pay`,
  ];
  const postings = [
    `select ${uuid('payout-reserve', 'p.id::text')}, x.account, 'usdc', x.amount, p.created_at, 4, x.seq
       from ${S}.pay p, lateral (values (1, p.la_payable, -p.amount), (2, p.la_pending, p.amount)) x(seq, account, amount)`,
    `select ${uuid('payout-settle', 'p.id::text')}, x.account, 'usdc', x.amount, p.confirmed_at, 5, x.seq
       from ${S}.pay p, lateral (values (1, p.la_pending, -p.amount), (2, ${ctx.externalUsdc}, p.amount)) x(seq, account, amount)`,
  ];
  return {
    statements: [...money.statements, ...staging],
    transactions: [...money.transactions, ...transactions],
    postings: [...money.postings, ...postings],
  };
}

/** The money in the real tables: transactions and postings in time order, then deposit and payout rows. */
function insertStatements(ctx: GeneratorContext, seg: Segment, money: Money, withPayouts: boolean): string[] {
  const n = seg.name;
  const { hash } = ctx;
  const statements = [
    `insert into ledger_transactions (id, kind, idempotency_key, memo, created_at)
       select id, kind::ledger_transaction_kind, key, memo, at
       from (${money.transactions.join('\n union all ')}) x(id, kind, key, memo, at, ord)
       order by at, ord, id`,
    `insert into ledger_postings (transaction_id, ledger_account_id, currency, amount_micros, created_at)
       select tx, account, currency::ledger_currency, amount, at
       from (${money.postings.join('\n union all ')}) x(tx, account, currency, amount, at, ord, seq)
       order by at, ord, tx, seq`,
    `insert into deposits (id, chain_id, tx_hash, log_index, account_id, source, from_address, amount_micros,
         block_number, block_hash, confirmations_required, state, rejection, ledger_transaction_id, created_at,
         updated_at, credited_at)
       select ${ctx.uuid('deposit', `d.c || ':' || d.n`)}, ${CHAIN_ID}, d.tx_hash, d.log_index, d.owner,
         (case when d.log_index = 0 then 'dashboard' else 'indexer' end)::deposit_source, d.wallet, d.amount,
         20000000 + floor(extract(epoch from d.at - ${ts(ctx.window.start)}) / 2)::bigint,
         ${hash('block', `floor(extract(epoch from d.at - ${ts(ctx.window.start)}) / 2)::text`)}, 12,
         'credited'::deposit_state, null::deposit_rejection,
         d.tx_id, d.at - interval '40 seconds', d.at, d.at
       from ${S}.dep_${n} d where d.onchain
       union all
       select ${ctx.uuid('deposit-rejected', `d.c || ':' || d.n`)}, ${CHAIN_ID}, ${hash('rejected-tx', `d.c || ':' || d.n`)},
         null, d.owner, 'dashboard', d.wallet, null, null, null, 12, 'rejected', 'wrong_recipient', null,
         d.at - interval '3 hours', d.at - interval '3 hours' + interval '20 seconds', null
       from ${S}.dep_${n} d where d.rejected_first`,
  ];
  if (withPayouts)
    statements.push(
      `insert into payouts (id, account_id, idempotency_key, chain_id, to_address, amount_micros, state, nonce, tx_hash,
           raw_transaction, failure_reason, created_at, updated_at, confirmed_at)
         select p.id, s.id, 'weekly-' || p.w, ${CHAIN_ID}, p.wallet, p.amount, 'confirmed', p.nonce, p.tx_hash,
           '0x02f8' || md5(p.tx_hash) || md5(p.tx_hash || 'r'), null, p.created_at, p.confirmed_at, p.confirmed_at
         from ${S}.pay p join ${S}.suppliers s on s.s = p.s order by p.created_at`,
    );
  return statements;
}

/** All the money of one segment; payouts only for the loaded year (the added day has none). */
export function ledgerStatements(ctx: GeneratorContext, seg: Segment): string[] {
  const withPayouts = seg.name === 'base';
  const money = moneyOf(ctx, seg, withPayouts);
  return [...money.statements, ...insertStatements(ctx, seg, money, withPayouts)];
}

/** Customer accounts and their ledger accounts, created when they joined or first funded, whichever is earlier. */
export function customerAccountStatements(): string[] {
  return [
    `insert into accounts (id, wallet_address, display_name, is_demo, created_at)
       select cu.id, cu.wallet, 'Bench customer ' || cu.c, not cu.onchain, least(cu.join_at, coalesce(d.first, cu.join_at))
       from ${S}.customers cu left join (select c, min(at) as first from ${S}.dep_base group by c) d on d.c = cu.c`,
    `insert into ledger_accounts (id, owner_account_id, kind, currency, balance_micros, created_at)
       select x.id, a.id, x.kind::ledger_account_kind, 'usdc', 0, a.created_at
       from ${S}.customers cu join accounts a on a.id = cu.id,
         lateral (values (cu.la_avail, 'customer_available'), (cu.la_reserved, 'customer_reserved')) x(id, kind)`,
  ];
}
