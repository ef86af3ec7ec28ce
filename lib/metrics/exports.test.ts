import { eq, sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { jobs } from '@/lib/db/schema';
import { historyOptions, prepareHistory, runHistory } from '@/simulator/history/testing';
import { closeIncentiveEpochs } from '@/lib/incentives/close-epochs';
import { DEFAULT_INCENTIVES } from '@/lib/incentives/config';
import { chainHash, exportEntryMessage, sha256Hex, type ExportFile } from '@/lib/metrics/export-format';
import { closedThrough, generateMetricExports } from '@/lib/metrics/exports';
import { percentileDisc, recomputeMetric } from '@/lib/metrics/recompute';
import { rebuildMetricRollups } from '@/lib/metrics/rollups';
import { verifyMetrics, type VerifyReport } from '@/lib/metrics/verify';
import { cancelJob } from '@/lib/jobs/cancel';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { useTestServices } from '@/lib/testing/api-harness';
import {
  createCustomer,
  createNode,
  launch,
  runWorld,
  ScriptedAgent,
  testSpec,
  USDC,
} from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createTestDb, TEST_ENGINES } from '@/lib/testing/test-db';

/**
 * The public raw exports end to end: a short demo history is generated, its closed days exported, the real
 * routes served over HTTP, and the outsider's verifier (what `npm run metrics:verify` runs) must find every
 * hash, chain link and signature sound and every published metric equal to its recomputation from the files.
 * A tampered file must fail on its hash; a tampered row with honest hashes must fail on its signature, or,
 * re-signed with the marketplace key, on the metrics. After the history, a customer runs a job on its own node
 * (self-dealing, as in lib/metrics/self-dealing.test.ts), so the verifier must leave it out as the rollups do.
 */

const signer = privateKeyToAccount(generatePrivateKey());

interface StoredDay {
  day: string;
  content: string;
  sha256: string;
  previous_chain_hash: string;
  chain_hash: string;
  signature: string;
}

async function storedDays(db: Db): Promise<StoredDay[]> {
  return queryRows<StoredDay>(
    db,
    sql`select day::text as day, content, sha256, previous_chain_hash, chain_hash, signature
          from metrics_exports order by day`,
  );
}

async function restore(db: Db, days: StoredDay[]): Promise<void> {
  for (const d of days)
    await db.execute(sql`
      update metrics_exports
         set content = ${d.content}, sha256 = ${d.sha256}, previous_chain_hash = ${d.previous_chain_hash},
             chain_hash = ${d.chain_hash}, signature = ${d.signature}
       where day = ${d.day}::date`);
}

/** Rewrites `day`'s file with `edit`, recomputing its hash and the chain of every later day. */
async function rewriteDay(
  db: Db,
  days: StoredDay[],
  day: string,
  edit: (file: ExportFile) => void,
  resign: boolean,
): Promise<void> {
  let previous: string | null = null;
  for (const d of days) {
    if (d.day < day) continue;
    let content = d.content;
    if (d.day === day) {
      const file = JSON.parse(content) as ExportFile;
      edit(file);
      content = JSON.stringify(file);
    }
    const sha256 = sha256Hex(content);
    const prev = previous ?? d.previous_chain_hash;
    const chain = chainHash(prev, sha256);
    const signature = resign
      ? await signer.signMessage({
          message: exportEntryMessage({ day: d.day, sha256, previousChainHash: prev, chainHash: chain }),
        })
      : d.signature;
    await db.execute(sql`
      update metrics_exports set content = ${content}, sha256 = ${sha256}, previous_chain_hash = ${prev},
                                 chain_hash = ${chain}, signature = ${signature}
       where day = ${d.day}::date`);
    previous = chain;
  }
}

describe.each(TEST_ENGINES)('public raw exports and the metrics verifier on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  let clock: ManualClock;
  let server: RouteServer;
  let days: StoredDay[];
  let first: VerifyReport;

  beforeAll(async () => {
    useReceiptSigner(signer);
    handle = await createTestDb(engine);
    db = handle.db;
    const options = historyOptions(5, { days: 10, customers: 20, targetUtilization: 1 });
    clock = await prepareHistory(db, options, { nodes: 8, flakyUpHours: 16 });
    // Halfway through, the days the history has written are already closed and exported.
    await runHistory(db, clock, options, 2);
    expect(await closedThrough(db, clock)).not.toBe(clock.now().toISOString().slice(0, 10));
    await generateMetricExports(db, clock, { maxDays: 400 });
    await runHistory(db, clock, options);
    // The history ends at today's midnight and leaves what was still going queued for the live network; its
    // customers cancel those here, so the node below is free for the job pinned to it.
    for (const queued of await db.select().from(jobs).where(eq(jobs.state, 'queued')))
      await cancelJob(db, clock, queued.ownerAccountId, queued.id);
    // Today a customer runs a job pinned to a node of its own account.
    const selfDealer = await createCustomer(db, clock, 100n);
    const ownNode = await createNode(db, clock, { owner: selfDealer, gpuCount: 1, priceMicros: 400_000n });
    const job = await launch(
      db,
      clock,
      selfDealer,
      testSpec({
        workUnits: 200,
        budgetMicros: (20n * USDC).toString(),
        requirements: { nodeId: ownNode.id },
      }),
    );
    const ended = async () => {
      const [row] = await queryRows<{ state: string }>(db, sql`select state from jobs where id = ${job.id}`);
      return ['succeeded', 'failed', 'cancelled', 'out_of_budget'].includes(row?.state ?? '');
    };
    await runWorld(db, clock, [new ScriptedAgent(db, clock, ownNode.id, 2, 40)], {
      steps: 400,
      stepSeconds: 5,
      until: ended,
    });
    expect(await ended()).toBe(true);
    // Then the day closes: its hourly epochs close, and it is exported with the rest.
    clock.set('2026-03-06T00:30:00Z');
    while ((await closeIncentiveEpochs(db, clock, DEFAULT_INCENTIVES)).closed.length > 0);
    await rebuildMetricRollups(db, clock);
    await generateMetricExports(db, clock, { maxDays: 400 });
    days = await storedDays(db);
    // The simulated demo network: every published row, and the manifest, say so.
    useTestServices({ db, clock }).simulated = true;
    server = await startRouteServer();
    first = await verifyMetrics({ url: server.url });
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await handle?.close();
    useReceiptSigner(undefined);
  });

  it('exports every closed day once, chained, with the rows of the history', async () => {
    expect(days.length).toBeGreaterThan(3);
    const files = days.map((d) => JSON.parse(d.content) as ExportFile);
    expect(files.reduce((n, f) => n + f.charges.length, 0)).toBeGreaterThan(0);
    expect(files.reduce((n, f) => n + f.jobs.length, 0)).toBeGreaterThan(0);
    expect(files.reduce((n, f) => n + f.epochs.length, 0)).toBeGreaterThan(0);
    expect(files.every((f) => f.charges.every((c) => /^[0-9a-f]{32}$/.test(c.customer)))).toBe(true);
    expect(days[0]?.previous_chain_hash).toBe('0'.repeat(64));
    // The history funds its customers as simulated funding; the self-dealt job's charges and the job are flagged.
    const deposits = files.flatMap((f) => f.deposits);
    expect(deposits.some((d) => d.kind === 'simulated_funding')).toBe(true);
    // The demo suppliers' withdrawals: simulated payouts, published apart from payouts.
    const ledgerPayouts = files.flatMap((f) => f.ledgerPayouts);
    expect(ledgerPayouts.some((x) => x.kind === 'simulated_payout' && x.simulated)).toBe(true);
    expect(ledgerPayouts.every((x) => x.kind === 'simulated_payout')).toBe(true);
    expect(deposits.some((d) => d.kind === 'deposit')).toBe(true);
    expect(files.at(-1)?.day).toBe('2026-03-05');
    expect(files.flatMap((f) => f.charges).filter((c) => c.selfDealing).length).toBeGreaterThan(0);
    expect(files.flatMap((f) => f.jobs).filter((j) => j.selfDealing)).toHaveLength(1);
    // Nothing later changes a written day; a second run writes nothing.
    expect(await generateMetricExports(db, clock)).toEqual([]);
    expect(await storedDays(db)).toEqual(days);
  });

  it('serves the manifest and the files with their hashes and cache headers', async () => {
    const manifest = await fetch(`${server.url}/api/v1/metrics/exports`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('cache-control')).toMatch(/public/);
    const body = (await manifest.json()) as { signer: string; days: { day: string; url: string }[] };
    expect(body.signer).toBe(signer.address);
    expect(body.days.map((d) => d.day)).toEqual(days.map((d) => d.day));
    const day = days[1] as StoredDay;
    const file = await fetch(`${server.url}/api/v1/metrics/exports/${day.day}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('x-content-sha256')).toBe(day.sha256);
    expect(await file.text()).toBe(day.content);
    expect((await fetch(`${server.url}/api/v1/metrics/exports/2020-01-01`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/metrics/exports/not-a-day`)).status).toBe(400);
  });

  it('the verifier finds sound integrity and zero differences', () => {
    expect(first.integrity).toEqual([]);
    expect(first.differences).toEqual([]);
    expect(first.comparedRows).toBeGreaterThan(50);
    expect(first.ok).toBe(true);
  });

  it('the self-dealt job is published apart, and the rows say simulated', async () => {
    const query = new URLSearchParams({ from: '2026-03-05', to: '2026-03-05', granularity: 'day' });
    const series = (await (await fetch(`${server.url}/api/v1/metrics/self-dealing?${query}`)).json()) as {
      rows: Record<string, unknown>[];
    };
    expect(series.rows).toHaveLength(1);
    expect(series.rows[0]).toMatchObject({ selfDealtJobs: 1, simulated: true });
    expect(BigInt(series.rows[0]?.selfDealtChargedMicros as string)).toBeGreaterThan(0n);
  });

  it('a self-dealing flag cleared and re-signed fails on the self-dealing and paid figures', async () => {
    const day = days.find((d) =>
      (JSON.parse(d.content) as ExportFile).charges.some((c) => c.selfDealing),
    ) as StoredDay;
    const clear = (file: ExportFile) => {
      for (const c of file.charges) c.selfDealing = false;
    };
    try {
      await rewriteDay(db, days, day.day, clear, true);
      const report = await verifyMetrics({ url: server.url });
      expect(report.integrity).toEqual([]);
      expect(report.ok).toBe(false);
      const changed = new Set(report.differences.map((d) => `${d.metric}.${d.column}`));
      expect(changed).toContain('self-dealing.selfDealtChargedMicros');
      expect(changed).toContain('paid-gpu-hours.paidGpuMs');
      expect(changed).toContain('take-rate.feeMicros');
    } finally {
      await restore(db, days);
    }
  });

  it('a changed file fails on its hash', async () => {
    const day = days.find((d) => (JSON.parse(d.content) as ExportFile).charges.length > 0) as StoredDay;
    const file = JSON.parse(day.content) as ExportFile;
    (file.charges[0] as ExportFile['charges'][number]).chargedMicros = '1';
    await db.execute(
      sql`update metrics_exports set content = ${JSON.stringify(file)} where day = ${day.day}::date`,
    );
    try {
      const report = await verifyMetrics({ url: server.url });
      expect(report.ok).toBe(false);
      expect(report.integrity.join('\n')).toMatch(new RegExp(`${day.day}: file sha256`));
    } finally {
      await restore(db, days);
    }
  });

  it('a changed row with recomputed hashes fails on the signature, and re-signed, on the metrics', async () => {
    const day = days.find((d) => (JSON.parse(d.content) as ExportFile).charges.length > 0) as StoredDay;
    const bump = (file: ExportFile) => {
      const charge = file.charges[0] as ExportFile['charges'][number];
      charge.chargedMicros = (BigInt(charge.chargedMicros) + 1_000_000n).toString();
    };
    try {
      await rewriteDay(db, days, day.day, bump, false);
      const unsigned = await verifyMetrics({ url: server.url });
      expect(unsigned.ok).toBe(false);
      expect(unsigned.integrity.join('\n')).toMatch(/signature does not verify/);
      expect(unsigned.integrity.join('\n')).not.toMatch(/file sha256/);

      await restore(db, days);
      await rewriteDay(db, days, day.day, bump, true);
      const resigned = await verifyMetrics({ url: server.url });
      expect(resigned.integrity).toEqual([]);
      expect(resigned.ok).toBe(false);
      expect(
        resigned.differences.some((d) => d.metric === 'take-rate' && d.column === 'paidDemandMicros'),
      ).toBe(true);
    } finally {
      await restore(db, days);
    }
  });
});

describe('recomputation rules', () => {
  it('percentile_disc is the first value reaching ceil(p × n)', () => {
    expect(percentileDisc([], 0.5)).toBeNull();
    expect(percentileDisc([5], 0.95)).toBe(5);
    expect(percentileDisc([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentileDisc([1, 2, 3, 4], 0.95)).toBe(4);
  });

  it('paid GPU-time of a capture is the delta from the attempt’s previous capture, across days', () => {
    const charge = (meteredMs: number, kind: 'capture' | 'refund' = 'capture') => ({
      at: '',
      kind,
      attempt: 'a',
      job: 'j',
      customer: 'c',
      supplier: 's',
      chargedMicros: '10',
      feeMicros: '1',
      supplierMicros: '9',
      meteredMs,
      gpuCount: 2,
      paidGpuMs: '0',
      simulated: false,
      selfDealing: false,
    });
    const file = (day: string, charges: ExportFile['charges']): ExportFile => ({
      format: 'backfill-metrics-export/3',
      day,
      charges,
      jobs: [],
      placements: [],
      epochs: [],
      deposits: [],
      ledgerPayouts: [],
      chainPayouts: [],
    });
    const files = [
      file('2026-03-01', [charge(1000)]),
      file('2026-03-02', [charge(4000), charge(4000, 'refund')]),
    ];
    const rows = recomputeMetric(files, 'paid-gpu-hours', {
      from: '2026-03-01',
      to: '2026-03-02',
      granularity: 'day',
    });
    expect(rows.map((r) => r.paidGpuMs)).toEqual(['2000', String(6000 - 8000)]);
  });

  it('simulated payouts apart from payouts; a format 2 file’s payout rows, without a kind, are payouts', () => {
    const empty = { charges: [], jobs: [], placements: [], epochs: [], deposits: [], chainPayouts: [] };
    const payout = (kind: 'payout' | 'simulated_payout', micros: number) => ({
      at: '',
      kind,
      supplier: 's',
      amountMicros: String(micros),
      simulated: true,
    });
    const { kind: _kind, ...unkinded } = payout('payout', 4);
    const files = [
      { format: 'backfill-metrics-export/2', day: '2026-03-01', ...empty, ledgerPayouts: [unkinded] },
      {
        format: 'backfill-metrics-export/3',
        day: '2026-03-02',
        ...empty,
        ledgerPayouts: [payout('payout', 5), payout('simulated_payout', 7), payout('simulated_payout', 11)],
      },
    ] as unknown as ExportFile[];
    const rows = recomputeMetric(files, 'reconciliation', {
      from: '2026-03-01',
      to: '2026-03-02',
      granularity: 'day',
    });
    expect(
      rows.map((r) => [r.payoutsLedgerMicros, r.payoutsSimulatedMicros, r.payoutsUnreconciledMicros]),
    ).toEqual([
      ['4', '0', '4'],
      ['5', '18', '5'],
    ]);
  });

  it('the three NRR forms, self-dealing left out, null where the records cannot support them', () => {
    const charge = (customer: string, micros: number, selfDealing = false) => ({
      at: '',
      kind: 'capture' as const,
      attempt: `${customer}-${micros}`,
      job: 'j',
      customer,
      supplier: 's',
      chargedMicros: String(micros),
      feeMicros: '0',
      supplierMicros: String(micros),
      meteredMs: 1000,
      gpuCount: 1,
      paidGpuMs: '1000',
      simulated: false,
      selfDealing,
    });
    const file = (day: string, charges: ExportFile['charges']): ExportFile => ({
      format: 'backfill-metrics-export/3',
      day,
      charges,
      jobs: [],
      placements: [],
      epochs: [],
      deposits: [],
      ledgerPayouts: [],
      chainPayouts: [],
    });
    const files = [
      file('2024-02-10', [charge('b', 50)]),
      file('2024-03-10', [charge('a', 10)]),
      file('2025-01-10', [charge('a', 100)]),
      file('2025-06-10', [charge('c', 30)]),
      file('2026-01-10', [charge('a', 150), charge('a', 1000, true), charge('b', 7, true)]),
    ];
    const range = { from: '2026-01-01', to: '2026-01-31', granularity: 'month' as const };
    const row = (firstDay: string) =>
      recomputeMetric(files, 'net-revenue-retention', range, {
        firstDay,
        lastDay: '2026-01-31',
        simulated: true,
      })[0];
    // 12-month: a and b paid over 2024-02…2025-01 (110 + 50), a again over 2025-02…2026-01 (150, not 1000).
    expect(row('2024-02-01')).toEqual({
      period: '2026-01-01',
      nrr12BaseMicros: '160',
      nrr12RetainedMicros: '150',
      netRevenueRetention12m: 0.9375,
      yearAgoBaseMicros: '100',
      yearAgoRetainedMicros: '150',
      netRevenueRetentionYearAgo: 1.5,
      baseMicros: '0',
      retainedMicros: '0',
      netRevenueRetention: null,
      simulated: true,
    });
    // Records from the middle of month M−23: no 12-month form; from after M−12 began: no year-ago form either.
    expect(row('2024-02-02')).toMatchObject({ nrr12BaseMicros: null, netRevenueRetention12m: null });
    expect(row('2025-01-02')).toMatchObject({ yearAgoBaseMicros: null, netRevenueRetentionYearAgo: null });
    // A month with no day on record publishes null in every figure.
    expect(row('2026-02-01')).toMatchObject({ baseMicros: null, retainedMicros: null, simulated: true });
  });
});
