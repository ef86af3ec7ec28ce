import { sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { verifyMessage } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { forgetDemoHistorySimulation } from '@/simulator/history/generator';
import { HISTORY_NOW, historyOptions, prepareHistory, runHistory } from '@/simulator/history/testing';
import { refreshOffers } from '@/lib/market/refresh-offers';
import { ManualClock } from '@/lib/clock';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/**
 * The set-based history writer against the reference: the same simulated history (a flaky network, so hosts
 * are lost, jobs resume elsewhere, fail after too many hosts, run out of budget, are cancelled) written once
 * through the live domain functions and once set-based, into two databases. Every row they write must be
 * equal — jobs, attempts, events, ledger transactions and postings (the suppliers' simulated payouts too),
 * account balances, receipts — up to the
 * random ids, which are replaced by names derived from what the rows are.
 */

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Every row the history writes, with the ids the writer generated replaced by stable names. */
async function dump(db: Db): Promise<{ text: string; receipts: { payload: string; signature: string }[] }> {
  const jobRows = await queryRows<{ id: string }>(
    db,
    sql`select id from jobs order by queued_at, name, owner_account_id, budget_micros`,
  );
  const names = new Map<string, string>(jobRows.map((j, i) => [j.id, `job-${i}`]));
  const attemptRows = await queryRows<{ id: string; job_id: string; number: number }>(
    db,
    sql`select id, job_id, number from job_attempts`,
  );
  for (const a of attemptRows) names.set(a.id, `${names.get(a.job_id)}/attempt-${a.number}`);
  const txRows = await queryRows<{ id: string; idempotency_key: string }>(
    db,
    sql`select id, idempotency_key from ledger_transactions`,
  );
  const rename = (text: string) => text.replace(UUID, (id) => names.get(id) ?? id);
  for (const t of txRows) names.set(t.id, `tx:${rename(t.idempotency_key)}`);
  const ledgerAccountRows = await queryRows<{ id: string; owner_account_id: string | null; kind: string }>(
    db,
    sql`select id, owner_account_id, kind from ledger_accounts`,
  );
  for (const a of ledgerAccountRows) names.set(a.id, `ledger:${a.owner_account_id ?? 'platform'}:${a.kind}`);

  const tables = {
    jobs: await queryRows(db, sql`select * from jobs order by queued_at, name, owner_account_id`),
    attempts: await queryRows(
      db,
      sql`select a.* from job_attempts a join jobs j on j.id = a.job_id
           order by j.queued_at, j.name, j.owner_account_id, a.number`,
    ),
    // Each job's events in id order: the order the timeline and the live stream show them in.
    events: await queryRows(
      db,
      sql`select e.job_id, e.type, e.data, e.created_at from job_events e join jobs j on j.id = e.job_id
           order by j.queued_at, j.name, j.owner_account_id, e.id`,
    ),
    transactions: await queryRows(
      db,
      sql`select id, kind, idempotency_key, memo, created_at from ledger_transactions order by idempotency_key`,
    ),
    postings: await queryRows(
      db,
      sql`select transaction_id, ledger_account_id, currency, amount_micros::text, created_at from ledger_postings`,
    ),
    balances: await queryRows(
      db,
      sql`select owner_account_id, kind, currency, balance_micros::text from ledger_accounts
           order by owner_account_id nulls first, kind`,
    ),
    receipts: await queryRows(db, sql`select job_id, payload, signer, created_at from job_receipts`),
  };
  const text = rename(JSON.stringify(tables));
  // Postings and receipts have no natural order of their own: sorted once named.
  const named = JSON.parse(text) as Record<string, Record<string, unknown>[]>;
  for (const key of ['postings', 'receipts'])
    named[key]?.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  named.transactions?.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const receipts = await queryRows<{ payload: string; signature: string }>(
    db,
    sql`select payload, signature from job_receipts`,
  );
  return { text: JSON.stringify(named, null, 1), receipts };
}

describe('the set-based history writer', () => {
  const handles: DatabaseHandle[] = [];
  const dumps: Record<'domain' | 'bulk', Awaited<ReturnType<typeof dump>>> = {} as never;
  const counts: Record<string, number> = {};

  beforeAll(async () => {
    for (const writer of ['domain', 'bulk'] as const) {
      forgetDemoHistorySimulation();
      const handle = await createPgliteTestDb();
      handles.push(handle);
      // Demand sized to the whole supply of nodes up 12 hours out of 13: every kind of job end in two weeks.
      const options = historyOptions(5, { days: 14, customers: 80, targetUtilization: 1, writer });
      const clock = await prepareHistory(handle.db, options, { nodes: 16, flakyUpHours: 12 });
      await runHistory(handle.db, clock, options);
      dumps[writer] = await dump(handle.db);
      await expectLedgerConsistent(handle.db);
    }
    const [row] = await queryRows<Record<string, number>>(
      handles[1]!.db,
      sql`select count(*)::int as jobs, count(*) filter (where state = 'succeeded')::int as succeeded,
            count(*) filter (where state = 'queued')::int as handed,
            count(*) filter (where attempt_count > 1)::int as failed_over,
            count(*) filter (where state = 'cancelled')::int as cancelled,
            count(*) filter (where state = 'out_of_budget')::int as out_of_budget,
            count(*) filter (where state = 'failed')::int as failed
          from jobs`,
    );
    const [payouts] = await queryRows<Record<string, number>>(
      handles[1]!.db,
      sql`select count(*)::int as simulated_payouts from ledger_transactions where kind = 'simulated_payout'`,
    );
    Object.assign(counts, row, payouts);
  }, 600_000);

  afterAll(async () => {
    forgetDemoHistorySimulation();
    for (const handle of handles) await handle.close();
  });

  it('covers every way a history job ends', () => {
    expect(counts.jobs).toBeGreaterThanOrEqual(15);
    expect(counts.succeeded).toBeGreaterThan(0);
    expect(counts.failed_over).toBeGreaterThan(0);
    expect(counts.cancelled).toBeGreaterThan(0);
    expect(counts.failed).toBeGreaterThan(0);
    // Suppliers withdraw what they earned (ledger-only simulated payouts), compared below with the rest.
    expect(counts.simulated_payouts).toBeGreaterThan(0);
  });

  it('writes exactly the rows the domain functions write', () => {
    expect(dumps.bulk.text).toEqual(dumps.domain.text);
  });

  it('puts the job success of each node on the market from the same attempts', async () => {
    const db = handles[1]!.db;
    await refreshOffers(db, new ManualClock(HISTORY_NOW));
    const offers = await queryRows<{ node_id: string; job_success_bp: number | null; jobs_finished: number }>(
      db,
      sql`select node_id, job_success_bp, jobs_finished from offers`,
    );
    const naive = await queryRows<{ node_id: string; completed: number; lost: number }>(
      db,
      sql`select node_id, count(*) filter (where state = 'completed')::int as completed,
            count(*) filter (where state = 'host_lost')::int as lost
          from job_attempts
          where ended_at >= ${new Date(HISTORY_NOW.getTime() - 30 * 86_400_000).toISOString()}::timestamptz
          group by node_id`,
    );
    const byNode = new Map(naive.map((n) => [n.node_id, n]));
    expect(offers.some((o) => o.job_success_bp !== null)).toBe(true);
    for (const offer of offers) {
      const n = byNode.get(offer.node_id);
      const ended = (n?.completed ?? 0) + (n?.lost ?? 0);
      expect(offer.jobs_finished).toBe(ended);
      expect(offer.job_success_bp).toBe(ended ? Math.round(((n?.completed ?? 0) * 10_000) / ended) : null);
    }
  });

  it('signs every receipt it writes with the marketplace key', async () => {
    // Every job but those handed to the live queue at the end has ended with its receipt.
    expect(dumps.bulk.receipts.length).toBe(counts.jobs! - counts.handed!);
    for (const r of dumps.bulk.receipts.slice(0, 25))
      expect(
        await verifyMessage({
          address: signer.address,
          message: r.payload,
          signature: r.signature as `0x${string}`,
        }),
      ).toBe(true);
  });
});
