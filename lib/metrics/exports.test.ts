import { sql } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle, type Db } from '@/lib/db/client';
import { historyOptions, prepareHistory, runHistory } from '@/lib/fleet/history/testing';
import { chainHash, exportEntryMessage, sha256Hex, type ExportFile } from '@/lib/metrics/export-format';
import { closedThrough, generateMetricExports } from '@/lib/metrics/exports';
import { percentileDisc, recomputeMetric } from '@/lib/metrics/recompute';
import { rebuildMetricRollups } from '@/lib/metrics/rollups';
import { verifyMetrics, type VerifyReport } from '@/lib/metrics/verify';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { useTestServices } from '@/lib/testing/api-harness';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/**
 * The public raw exports end to end: a short demo history is generated, its closed days exported, the real
 * routes served over HTTP, and the outsider's verifier (what `npm run metrics:verify` runs) must find every
 * hash, chain link and signature sound and every published metric equal to its recomputation from the files.
 * A tampered file must fail on its hash; a tampered row with honest hashes must fail on its signature, or,
 * re-signed with the marketplace key, on the metrics.
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

describe('public raw exports and the metrics verifier', () => {
  let handle: DatabaseHandle;
  let db: Db;
  let clock: ManualClock;
  let server: RouteServer;
  let days: StoredDay[];
  let first: VerifyReport;

  beforeAll(async () => {
    useReceiptSigner(signer);
    handle = await createPgliteTestDb();
    db = handle.db;
    const options = historyOptions(5, { days: 10, customers: 20, targetUtilization: 1 });
    clock = await prepareHistory(db, options, { nodes: 8, flakyUpHours: 16 });
    // Halfway through, the days the history has written are already closed and exported.
    await runHistory(db, clock, options, 2);
    expect(await closedThrough(db, clock)).not.toBe(clock.now().toISOString().slice(0, 10));
    await generateMetricExports(db, clock, { maxDays: 400 });
    await runHistory(db, clock, options);
    await rebuildMetricRollups(db, clock);
    await generateMetricExports(db, clock, { maxDays: 400 });
    days = await storedDays(db);
    useTestServices({ db, clock });
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
      format: 'backfill-metrics-export/2',
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
});
