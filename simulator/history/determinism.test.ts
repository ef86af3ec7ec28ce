import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/client';
import { forgetDemoHistorySimulation } from '@/simulator/history/generator';
import { historyFingerprint, historyOptions, prepareHistory, runHistory } from '@/simulator/history/testing';
import { useReceiptSigner } from '@/lib/receipts/signer';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const signer = privateKeyToAccount(generatePrivateKey());
beforeAll(() => useReceiptSigner(signer));
afterAll(() => useReceiptSigner(undefined));

const NETWORK = { nodes: 8, flakyUpHours: 16 };

/** A fresh database with the network of `seed`, its history generated; `restartAfter` batches, a restart. */
async function generate(seed: number, restartAfter?: number): Promise<unknown[]> {
  forgetDemoHistorySimulation();
  const handle = await createPgliteTestDb();
  const db: Db = handle.db;
  try {
    const options = historyOptions(seed, { days: 10, customers: 20, targetUtilization: 1 });
    const clock = await prepareHistory(db, options, NETWORK);
    if (restartAfter !== undefined) {
      await runHistory(db, clock, options, restartAfter);
      // What a restart does: the in-memory simulation is gone and is replayed up to the next day.
      forgetDemoHistorySimulation();
    }
    const last = await runHistory(db, clock, options);
    expect(last.at(-1)?.done).toBe(true);
    await expectLedgerConsistent(db);
    return await historyFingerprint(db);
  } finally {
    await handle.close();
  }
}

describe('demo history determinism', () => {
  let uninterrupted: unknown[];

  // Generous limits: on a busy shared machine a history of seconds can take minutes.
  beforeAll(async () => {
    uninterrupted = await generate(5);
  }, 300_000);

  it('makes something worth comparing', () => {
    const [jobs, ledger, epochs] = uninterrupted as [unknown[], unknown[], unknown[]];
    expect(jobs.length).toBeGreaterThan(3);
    expect(ledger.length).toBeGreaterThan(10);
    // The suppliers' withdrawals are part of what must come out the same.
    expect((ledger as { kind: string }[]).some((row) => row.kind === 'simulated_payout')).toBe(true);
    expect(epochs).toHaveLength(10);
  });

  it('gives the same days, jobs, charges and incentives on a fresh database with the same seed', async () => {
    expect(await generate(5)).toEqual(uninterrupted);
  }, 300_000);

  it('gives the same history when the generator restarts halfway', async () => {
    expect(await generate(5, 5)).toEqual(uninterrupted);
  }, 300_000);

  it('gives another history for another seed', async () => {
    expect(await generate(6)).not.toEqual(uninterrupted);
  }, 300_000);
});
