import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db/client';
import { historyOptions, prepareHistory } from '@/simulator/history/testing';
import { METRICS } from '@/lib/metrics/definitions';
import { getHistoryStatus } from '@/lib/metrics/history-status';
import { getMetricSeries } from '@/lib/metrics/queries';
import { rebuildMetricRollups } from '@/lib/metrics/rollups';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { demoHistoryLoop } from '@/simulator/history/loop';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

describe('the worker’s demo-history loop', () => {
  let handle: DatabaseHandle;
  afterAll(() => handle?.close());

  it('generates the history batch by batch, its metrics current after every simulated day, then stops asking', async () => {
    handle = await createPgliteTestDb();
    const { db } = handle;
    const options = historyOptions(11, { days: 4, customers: 12 });
    const clock = await prepareHistory(db, options, { nodes: 10 });
    // The rollups taken in after every simulated day (a week at a time by default).
    const loop = demoHistoryLoop(db, clock, options, 1);
    const monthly = () =>
      Promise.all(
        METRICS.map((m) =>
          getMetricSeries(db, clock, m.id, { granularity: 'month' }, { simulated: true }).then((s) => s.rows),
        ),
      );

    const paidGpuHours = async () => {
      const { rows } = await getMetricSeries(db, clock, 'paid-gpu-hours', {}, { simulated: true });
      return rows.reduce((sum, row) => sum + Number(row.paidGpuHours), 0);
    };
    let runs = 0;
    let paidWhileGenerating = 0;
    while ((await getHistoryStatus(db))?.state === 'generating' && runs < 200) {
      await loop.run();
      runs++;
      const status = await getHistoryStatus(db);
      if (status?.state === 'generating' && status.jobs > 0 && paidWhileGenerating === 0)
        paidWhileGenerating = await paidGpuHours();
    }
    const status = await getHistoryStatus(db);
    expect(status?.state).toBe('complete');
    expect(status?.jobs).toBeGreaterThan(0);
    expect(runs).toBeGreaterThan(1);
    // The first jobs' paid time was in the metrics before the history was complete.
    expect(paidWhileGenerating).toBeGreaterThan(0);

    // What the loop refreshed, batch by batch, is what a full rebuild gives.
    const refreshed = await monthly();
    await rebuildMetricRollups(db, clock);
    expect(await monthly()).toEqual(refreshed);

    // Complete: the loop no longer touches the history.
    const before = await getHistoryStatus(db);
    await loop.run();
    expect(await getHistoryStatus(db)).toEqual(before);
  });
});
