import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { Db, DatabaseHandle } from '@/lib/db/client';
import { accounts } from '@/lib/db/schema';
import { monthBounds, monthlyStatement, monthlyStatementCsv } from '@/lib/billing/statement';
import {
  balanceOf,
  captureHold,
  creditDeposit,
  getBalances,
  placeHold,
  releaseHold,
} from '@/lib/ledger/operations';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const USDC = 1_000_000n;

async function newAccount(db: Db): Promise<{ id: string; wallet: string }> {
  const wallet = `0x${randomBytes(20).toString('hex')}`;
  const [row] = await db.insert(accounts).values({ walletAddress: wallet }).returning({ id: accounts.id });
  if (!row) throw new Error('account insert failed');
  return { id: row.id, wallet };
}

describe('monthBounds', () => {
  it('is the UTC month, the end exclusive, across a year', () => {
    expect(monthBounds('2026-11')).toEqual({
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    });
    expect(monthBounds('2026-12').to).toEqual(new Date('2027-01-01T00:00:00Z'));
  });
});

describe.each(TEST_ENGINES)('monthly statement on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  beforeAll(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
  });
  afterAll(() => handle.close());

  it('opens with last month’s closing balance, moves by kind of transaction, and closes where the ledger is', async () => {
    const customer = await newAccount(db);
    const supplier = await newAccount(db);
    const clock = new ManualClock('2026-10-20T12:00:00Z');
    await creditDeposit(db, clock, {
      customer: customer.id,
      amountMicros: 10n * USDC,
      memo: 'october deposit',
    });

    clock.set(new Date('2026-11-03T09:00:00Z'));
    await creditDeposit(db, clock, {
      customer: customer.id,
      amountMicros: 5n * USDC,
      memo: 'november deposit',
    });
    await placeHold(db, clock, { customer: customer.id, amountMicros: 4n * USDC, memo: 'job budget' });
    clock.set(new Date('2026-11-03T10:00:00Z'));
    await captureHold(db, clock, {
      customer: customer.id,
      supplier: supplier.id,
      supplierMicros: 1_800_000n,
      feeMicros: 200_000n,
      memo: 'metered, "render" job',
    });
    await releaseHold(db, clock, { customer: customer.id, amountMicros: 2n * USDC, memo: 'unused budget' });
    // December moves nothing in November's statement.
    clock.set(new Date('2026-12-01T00:00:00Z'));
    await creditDeposit(db, clock, {
      customer: customer.id,
      amountMicros: 7n * USDC,
      memo: 'december deposit',
    });

    const statement = await monthlyStatement(db, customer.id, '2026-11', clock.now());
    expect(statement).toMatchObject({
      month: '2026-11',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      walletAddress: customer.wallet,
    });
    const available = statement.accounts.find((a) => a.account === 'customer_available');
    expect(available).toEqual({
      account: 'customer_available',
      currency: 'usdc',
      openingMicros: (10n * USDC).toString(),
      movements: [
        { kind: 'deposit', count: 1, amountMicros: (5n * USDC).toString() },
        { kind: 'hold', count: 1, amountMicros: (-4n * USDC).toString() },
        { kind: 'release', count: 1, amountMicros: (2n * USDC).toString() },
      ],
      closingMicros: (13n * USDC).toString(),
    });
    const reserved = statement.accounts.find((a) => a.account === 'customer_reserved');
    expect(reserved).toMatchObject({ openingMicros: '0', closingMicros: '0' });
    expect(reserved?.movements.map((m) => [m.kind, m.amountMicros])).toEqual([
      ['capture', '-2000000'],
      ['hold', '4000000'],
      ['release', '-2000000'],
    ]);
    // Closing is where the ledger stood at the end of the month: today's balance less December's deposit.
    expect(BigInt(available?.closingMicros ?? '')).toBe(
      balanceOf(await getBalances(db, customer.id), 'customer_available') - 7n * USDC,
    );

    const supplierStatement = await monthlyStatement(db, supplier.id, '2026-11', clock.now());
    expect(supplierStatement.accounts).toEqual([
      {
        account: 'supplier_payable',
        currency: 'usdc',
        openingMicros: '0',
        movements: [{ kind: 'capture', count: 1, amountMicros: '1800000' }],
        closingMicros: '1800000',
      },
    ]);
  });

  it('as CSV: opening, every posting with the balance after it, closing; quoted where needed', async () => {
    const customer = await newAccount(db);
    const clock = new ManualClock('2026-09-30T23:59:59Z');
    await creditDeposit(db, clock, { customer: customer.id, amountMicros: 3n * USDC, memo: 'september' });
    clock.set(new Date('2026-10-01T00:00:00Z'));
    await placeHold(db, clock, { customer: customer.id, amountMicros: USDC, memo: 'budget, "a" job' });
    const csv = await monthlyStatementCsv(db, customer.id, '2026-10', clock.now());
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('at,entry,account,currency,amount_micros,balance_after_micros,transaction_id,memo');
    expect(lines.slice(1, 4).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      '2026-10-01T00:00:00.000Z,opening_balance,customer_available,usdc,,3000000',
      '2026-10-01T00:00:00.000Z,hold,customer_available,usdc,-1000000,2000000',
      '2026-11-01T00:00:00.000Z,closing_balance,customer_available,usdc,,2000000',
    ]);
    expect(lines[2]).toMatch(/,"budget, ""a"" job"$/);
    expect(lines.slice(4).map((l) => l.split(',')[1])).toEqual([
      'opening_balance',
      'hold',
      'closing_balance',
    ]);
  });

  it('a month with nothing in it and no balance is empty', async () => {
    const customer = await newAccount(db);
    const statement = await monthlyStatement(db, customer.id, '2026-01', new Date('2026-12-07T00:00:00Z'));
    expect(statement.accounts).toEqual([]);
  });
});
