import { expect } from 'vitest';
import type { Db } from '@/lib/db/client';
import { auditLedger } from '@/lib/ledger/operations';

/**
 * The ledger's invariants, recomputed from raw postings: every currency sums to zero, every stored balance is
 * the sum of its postings, every transaction balances. Tests that move money call it after each test.
 */
export async function expectLedgerConsistent(db: Db): Promise<void> {
  const audit = await auditLedger(db);
  for (const total of Object.values(audit.totals)) expect(total).toBe(0n);
  expect(audit.drifted).toEqual([]);
  expect(audit.unbalanced).toEqual([]);
}
