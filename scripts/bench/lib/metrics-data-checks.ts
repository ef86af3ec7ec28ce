import type { SqlSession } from '@/scripts/bench/lib/metrics-sql';

/**
 * What the bulk load must satisfy, checked set-based after it. The year is inserted with the ledger's per-row
 * triggers and the foreign-key triggers off (`session_replication_role = replica`, as a restore does): with
 * them, every posting would rewrite its account's row inside one transaction, 1.2 M times for the platform's
 * fees account alone. Their effect is applied and verified here instead: balances are set to the sum of their
 * postings (the no-overdraft check runs on that update), then what `auditLedger` checks (every transaction
 * balances per currency, every currency sums to zero), every foreign key PostgreSQL did not validate itself
 * (metrics-data-indexes.ts), running balances in time order, and attempts against their captures. Check constraints and NOT NULL are enforced during the load as always, unique keys
 * when they are rebuilt.
 */

export interface LoadChecks {
  foreignKeys: number;
  ledgerTotalsZero: boolean;
  unbalancedTransactions: number;
  /** Owned accounts whose balance went below zero at some point, in posting time order. */
  negativeRunningBalances: number;
  /** Attempts whose charged total differs from their capture postings (by the key's attempt id). */
  attemptsOffLedger: number;
  /** Jobs whose charge differs from the sum of their attempts'. */
  jobsOffAttempts: number;
  ms: number;
}

/** Sets every ledger balance to the sum of its postings (what the posting trigger maintains row by row). */
export async function applyLedgerBalances(session: SqlSession): Promise<void> {
  await session.query(
    `update ledger_accounts a set balance_micros = s.total
     from (select ledger_account_id, sum(amount_micros) as total from ledger_postings group by ledger_account_id) s
     where s.ledger_account_id = a.id`,
  );
}

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  columns: string[];
  refColumns: string[];
}

/** Rows whose foreign key points at nothing, over the foreign keys of the public schema not in `validated`. */
async function danglingForeignKeys(
  session: SqlSession,
  validated: ReadonlySet<string>,
): Promise<{ name: string; rows: number }[]> {
  const keys = await session.query<ForeignKey>(
    `select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
       array(select quote_ident(attname) from unnest(c.conkey) with ordinality k(n, i)
             join pg_attribute on attrelid = c.conrelid and attnum = k.n order by k.i) as columns,
       array(select quote_ident(attname) from unnest(c.confkey) with ordinality k(n, i)
             join pg_attribute on attrelid = c.confrelid and attnum = k.n order by k.i) as "refColumns"
     from pg_constraint c join pg_namespace ns on ns.oid = c.connamespace
     where c.contype = 'f' and ns.nspname = 'public'`,
  );
  const results: { name: string; rows: number }[] = [];
  for (const key of keys.filter((k) => !validated.has(k.name))) {
    const notNull = key.columns.map((col) => `c.${col} is not null`).join(' and ');
    const match = key.columns.map((col, i) => `p.${key.refColumns[i]} = c.${col}`).join(' and ');
    const [row] = await session.query<{ rows: number }>(
      `select count(*)::int as rows from ${key.child} c
       where ${notNull} and not exists (select 1 from ${key.parent} p where ${match})`,
    );
    results.push({ name: `${key.child}(${key.columns.join(', ')}) → ${key.parent}`, rows: row?.rows ?? -1 });
  }
  return results;
}

/**
 * Every invariant of the loaded data. `validated` names the foreign keys PostgreSQL validated itself when they
 * were re-added after the load; the rest are checked here.
 */
export async function checkLoadedHistory(
  session: SqlSession,
  validated: readonly string[],
): Promise<LoadChecks> {
  const started = performance.now();
  const dangling = await danglingForeignKeys(session, new Set(validated));
  const bad = dangling.filter((d) => d.rows !== 0);
  if (bad.length)
    throw new Error(`dangling foreign keys: ${bad.map((d) => `${d.name}: ${d.rows}`).join('; ')}`);
  // auditLedger's queries, on this session (its memory settings keep the 4 M-group aggregate off disk).
  const totals = await session.query<{ currency: string; total: string }>(
    `select currency::text, sum(amount_micros)::text as total from ledger_postings group by currency`,
  );
  const [unbalanced] = await session.query<{ count: number }>(
    `select count(*)::int as count from (
       select transaction_id from ledger_postings group by transaction_id, currency having sum(amount_micros) <> 0) u`,
  );
  const [running] = await session.query<{ negative: number }>(
    `select count(distinct ledger_account_id)::int as negative from (
       select p.ledger_account_id, sum(p.amount_micros) over (partition by p.ledger_account_id order by p.created_at, p.id) as running
       from ledger_postings p join ledger_accounts a on a.id = p.ledger_account_id where a.kind <> 'external'
     ) r where r.running < 0`,
  );
  const [attempts] = await session.query<{ off: number }>(
    `with c as (
       select split_part(t.idempotency_key, ':', 2)::uuid as attempt_id, -sum(p.amount_micros) as charged
       from ledger_transactions t join ledger_postings p on p.transaction_id = t.id
         join ledger_accounts a on a.id = p.ledger_account_id
       where t.kind = 'capture' and a.kind = 'customer_reserved' group by 1
     )
     select count(*)::int as off from job_attempts x full join c on c.attempt_id = x.id
     where coalesce(x.charged_micros, 0) <> coalesce(c.charged, 0)`,
  );
  const [jobs] = await session.query<{ off: number }>(
    `select count(*)::int as off from jobs j
       left join (select job_id, sum(charged_micros) as charged from job_attempts group by job_id) a on a.job_id = j.id
     where j.charged_micros <> coalesce(a.charged, 0)`,
  );
  const checks: LoadChecks = {
    foreignKeys: dangling.length + validated.length,
    ledgerTotalsZero: totals.every((t) => t.total === '0'),
    unbalancedTransactions: unbalanced?.count ?? -1,
    negativeRunningBalances: running?.negative ?? -1,
    attemptsOffLedger: attempts?.off ?? -1,
    jobsOffAttempts: jobs?.off ?? -1,
    ms: performance.now() - started,
  };
  if (
    !checks.ledgerTotalsZero ||
    checks.unbalancedTransactions ||
    checks.negativeRunningBalances ||
    checks.attemptsOffLedger ||
    checks.jobsOffAttempts
  )
    throw new Error(`the generated history breaks an invariant: ${JSON.stringify(checks)}`);
  return checks;
}
