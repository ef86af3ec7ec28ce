import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { accounts, deposits } from '@/lib/db/schema';
import { creditDeposit } from '@/lib/ledger/operations';
import { getMetricSeries, getMetricsSummary } from '@/lib/metrics/queries';
import { refreshRecentMetricRollups } from '@/lib/metrics/rollups';
import { isSelfDealingSql } from '@/lib/metrics/self-dealing';
import type { MetricRow } from '@/lib/metrics/schemas';
import { useReceiptSigner } from '@/lib/receipts/signer';
import {
  createAccount,
  createCustomer,
  createNode,
  launch,
  runWorld,
  ScriptedAgent,
  testSpec,
  USDC,
} from '@/lib/testing/orchestration-fixture';
import { createTestDb, TEST_ENGINES } from '@/lib/testing/test-db';

/**
 * Self-dealing through the live code: a customer's job pinned to a node of its own account, and a customer whose
 * on-chain deposit came from a supplier's wallet running on that supplier's node. Both run and are charged; the
 * metrics leave them out of every paid figure and the job outcomes and count them under self-dealing, while an
 * arm's-length customer on the same supplier's node is counted as paid.
 */

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

const MONTH = { from: '2026-03-01', to: '2026-03-31', granularity: 'month' as const };

async function walletOf(db: Db, id: string): Promise<string> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return (row as { walletAddress: string }).walletAddress;
}

/** What each customer was charged by captures, and the GPU-ms of each customer's captures. */
async function chargesByCustomer(db: Db): Promise<Map<string, { charged: bigint; gpuMs: bigint }>> {
  const rows = await queryRows<{ customer: string; charged: string; gpu_ms: string }>(
    db,
    // Captures carry the attempt's cumulative metered time: an attempt's paid time is its last capture's.
    sql`select j.owner_account_id as customer, sum(-p.amount_micros)::text as charged,
               (select sum(m.ms * j2.gpu_count) from (
                  select split_part(t2.idempotency_key, ':', 2)::uuid as attempt,
                         max(split_part(t2.idempotency_key, ':', 3)::bigint) as ms
                    from ledger_transactions t2 where t2.kind = 'capture' group by 1) m
                  join job_attempts a2 on a2.id = m.attempt
                  join jobs j2 on j2.id = a2.job_id
                 where j2.owner_account_id = j.owner_account_id)::text as gpu_ms
          from ledger_transactions t
          join ledger_postings p on p.transaction_id = t.id
          join ledger_accounts la on la.id = p.ledger_account_id and la.kind = 'customer_reserved'
          join job_attempts a on a.id = split_part(t.idempotency_key, ':', 2)::uuid
          join jobs j on j.id = a.job_id
         where t.kind = 'capture'
         group by 1`,
  );
  return new Map(rows.map((r) => [r.customer, { charged: BigInt(r.charged), gpuMs: BigInt(r.gpu_ms) }]));
}

describe.each(TEST_ENGINES)('self-dealing on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const ids = { own: '', linked: '', armsLength: '', supplier: '' };
  const row = async (id: Parameters<typeof getMetricSeries>[2]): Promise<MetricRow> => {
    const series = await getMetricSeries(db, clock, id, MONTH, { simulated: false });
    return series.rows.find((r) => r.period === '2026-03-01') as MetricRow;
  };

  beforeAll(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
    // A customer that also supplies: its job is pinned to its own node.
    ids.own = await createCustomer(db, clock, 100n);
    const ownNode = await createNode(db, clock, { owner: ids.own, gpuCount: 1, priceMicros: 400_000n });
    // A supplier, a customer funded from the supplier's wallet, and a customer at arm's length.
    ids.supplier = await createAccount(db, clock, 'supplier');
    const supplierNode = await createNode(db, clock, {
      owner: ids.supplier,
      gpuCount: 1,
      priceMicros: 400_000n,
    });
    ids.linked = await createAccount(db, clock, 'linked customer');
    const { transaction } = await creditDeposit(db, clock, {
      customer: ids.linked,
      amountMicros: 100n * USDC,
      memo: 'USDC deposit',
      idempotencyKey: `test-deposit:${randomBytes(6).toString('hex')}`,
    });
    await db.insert(deposits).values({
      chainId: 31337,
      txHash: `0x${randomBytes(32).toString('hex')}`,
      logIndex: 0,
      accountId: ids.linked,
      source: 'indexer',
      // Sent from the supplier's wallet (in other letter case: addresses compare case-insensitively).
      fromAddress: (await walletOf(db, ids.supplier)).toUpperCase().replace('0X', '0x'),
      amountMicros: 100n * USDC,
      blockNumber: 100n,
      blockHash: `0x${randomBytes(32).toString('hex')}`,
      confirmationsRequired: 3,
      state: 'credited',
      ledgerTransactionId: transaction.id,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      creditedAt: clock.now(),
    });
    ids.armsLength = await createCustomer(db, clock, 100n);

    const spec = (nodeId: string) =>
      testSpec({ workUnits: 200, budgetMicros: (20n * USDC).toString(), requirements: { nodeId } });
    await launch(db, clock, ids.own, spec(ownNode.id));
    await launch(db, clock, ids.linked, spec(supplierNode.id));
    const agents = [ownNode, supplierNode].map((n) => new ScriptedAgent(db, clock, n.id, 2, 40));
    await runWorld(db, clock, agents, { steps: 200, stepSeconds: 5 });
    await launch(db, clock, ids.armsLength, spec(supplierNode.id));
    const open = async () => {
      const [r] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from jobs where state not in ('succeeded', 'failed', 'cancelled', 'out_of_budget')`,
      );
      return r?.n === 0;
    };
    await runWorld(db, clock, agents, { steps: 400, stepSeconds: 5, until: open });
    expect(await open()).toBe(true);
    clock.set('2026-03-20T12:00:00Z');
    await refreshRecentMetricRollups(db, clock);
  }, 120_000);
  afterAll(async () => handle?.close());

  it('decides the pairs: the same account, a deposit from the supplier’s wallet; not an arm’s-length customer', async () => {
    const decide = async (customer: string, supplier: string) => {
      const [r] = await queryRows<{ d: boolean }>(
        db,
        sql`select ${isSelfDealingSql(sql`${customer}::uuid`, sql`${supplier}::uuid`)} as d`,
      );
      return r?.d;
    };
    expect(await decide(ids.own, ids.own)).toBe(true);
    expect(await decide(ids.linked, ids.supplier)).toBe(true);
    expect(await decide(ids.armsLength, ids.supplier)).toBe(false);
    expect(await decide(ids.supplier, ids.linked)).toBe(false);
  });

  it('leaves self-dealt usage out of paid figures and job outcomes, and counts it apart', async () => {
    const charges = await chargesByCustomer(db);
    const own = charges.get(ids.own);
    const linked = charges.get(ids.linked);
    const fair = charges.get(ids.armsLength);
    if (!own || !linked || !fair) throw new Error('every customer should have been charged');
    expect(own.charged > 0n && linked.charged > 0n && fair.charged > 0n).toBe(true);

    expect(await row('paid-gpu-hours')).toMatchObject({ paidGpuMs: fair.gpuMs.toString() });
    expect(await row('demand-vs-incentives')).toMatchObject({ paidDemandMicros: fair.charged.toString() });
    const take = await row('take-rate');
    expect(take.paidDemandMicros).toBe(fair.charged.toString());
    expect(await row('paying-customers')).toMatchObject({ payingCustomers: 1, newCustomers: 1 });
    expect(await row('top-customer-share')).toMatchObject({ paidDemandMicros: fair.charged.toString() });
    expect(await row('job-outcomes')).toMatchObject({ succeeded: 1, total: 1 });
    expect(await row('verified-utilization')).toMatchObject({
      paidGpuSeconds: (fair.gpuMs / 1000n).toString(),
    });
    const cohorts = await getMetricSeries(db, clock, 'cohort-retention', MONTH, { simulated: false });
    expect(cohorts.rows.map((r) => r.cohortSize)).toEqual([1]);

    expect(await row('self-dealing')).toEqual({
      period: '2026-03-01',
      selfDealtGpuMs: (own.gpuMs + linked.gpuMs).toString(),
      selfDealtGpuHours: Math.round((Number(own.gpuMs + linked.gpuMs) / 3_600_000) * 1e6) / 1e6,
      selfDealtChargedMicros: (own.charged + linked.charged).toString(),
      selfDealtJobs: 2,
      simulated: false,
    });
    const { headline } = await getMetricsSummary(db, clock, { simulated: false });
    expect(headline.selfDealtJobs).toBe(2);
    expect(headline.selfDealtChargedMicros).toBe((own.charged + linked.charged).toString());
    expect(headline.paidDemandMicros).toBe(fair.charged.toString());
    expect(headline.jobsEnded).toBe(1);
  });

  it('publishes periods before the first record as missing, not zero', async () => {
    const series = await getMetricSeries(
      db,
      clock,
      'paid-gpu-hours',
      { from: '2026-02-01', to: '2026-03-31', granularity: 'month' },
      { simulated: true },
    );
    expect(series.rows[0]).toEqual({
      period: '2026-02-01',
      paidGpuMs: null,
      paidGpuHours: null,
      simulated: true,
    });
    expect(series.rows[1]?.paidGpuMs).not.toBeNull();
    expect(series.rows.every((r) => r.simulated === true)).toBe(true);
  });
});
