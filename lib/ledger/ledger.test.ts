import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/api/errors';
import { ManualClock } from '@/lib/clock';
import type { Db, DatabaseHandle } from '@/lib/db/client';
import { accounts, ledgerAccounts, ledgerPostings, ledgerTransactions } from '@/lib/db/schema';
import {
  balanceOf,
  captureHold,
  creditDeposit,
  creditIncentive,
  creditSimulatedFunding,
  debitPayout,
  debitSimulatedPayout,
  getBalances,
  holdEarnings,
  placeHold,
  refundCharge,
  releaseHold,
  reservePayout,
  reversePayout,
  settlePayout,
} from '@/lib/ledger/operations';
import { ensureLedgerAccount } from '@/lib/ledger/post-transaction';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const clock = new ManualClock('2026-11-25T00:00:00Z');
const USDC = 1_000_000n;

/** The platform's fee balance (no owner, so not among any account's balances). */
async function platformFees(db: Db): Promise<bigint> {
  const [row] = await db
    .select({ balance: ledgerAccounts.balanceMicros })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, 'platform_fees'), eq(ledgerAccounts.currency, 'usdc')));
  return row?.balance ?? 0n;
}

async function newAccount(db: Db): Promise<string> {
  const [row] = await db
    .insert(accounts)
    .values({ walletAddress: `0x${randomBytes(20).toString('hex')}` })
    .returning({ id: accounts.id });
  if (!row) throw new Error('account insert failed');
  return row.id;
}

describe.each(TEST_ENGINES)('ledger on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  beforeAll(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
  });
  afterAll(() => handle.close());
  afterEach(() => expectLedgerConsistent(db));

  it('funds a demo account with simulated funding, its own kind, and refuses it for any other account', async () => {
    const real = await newAccount(db);
    await expect(
      creditSimulatedFunding(db, clock, { customer: real, amountMicros: 5n * USDC, memo: 'simulated' }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(balanceOf(await getBalances(db, real), 'customer_available')).toBe(0n);

    const demo = await newAccount(db);
    await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, demo));
    const { transaction } = await creditSimulatedFunding(db, clock, {
      customer: demo,
      amountMicros: 5n * USDC,
      memo: 'simulated',
    });
    expect(transaction.kind).toBe('simulated_funding');
    expect(balanceOf(await getBalances(db, demo), 'customer_available')).toBe(5n * USDC);
  });

  it('pays a demo supplier out in the ledger only, as its own kind, once per key, and refuses any other account', async () => {
    const customer = await newAccount(db);
    const demo = await newAccount(db);
    const real = await newAccount(db);
    await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, demo));
    await creditDeposit(db, clock, { customer, amountMicros: 100n * USDC, memo: 'deposit' });
    await placeHold(db, clock, { customer, amountMicros: 100n * USDC, memo: 'job budget' });
    for (const supplier of [demo, real])
      await captureHold(db, clock, {
        customer,
        supplier,
        supplierMicros: 45n * USDC,
        feeMicros: 5n * USDC,
        memo: 'metered',
      });

    await expect(
      debitSimulatedPayout(db, clock, { supplier: real, amountMicros: 10n * USDC, memo: 'simulated' }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(balanceOf(await getBalances(db, real), 'supplier_payable')).toBe(45n * USDC);

    const key = `simulated-payout:${randomBytes(8).toString('hex')}`;
    const payouts = await Promise.all(
      Array.from({ length: 3 }, () =>
        debitSimulatedPayout(db, clock, {
          supplier: demo,
          amountMicros: 30n * USDC,
          memo: 'simulated',
          idempotencyKey: key,
        }),
      ),
    );
    expect(payouts.filter((p) => p.created)).toHaveLength(1);
    const { transaction } = payouts[0]!;
    expect(transaction.kind).toBe('simulated_payout');
    expect(new Set(payouts.map((p) => p.transaction.id)).size).toBe(1);
    // The accounts a one-step payout moves: payable down, external up (the money has left the marketplace).
    const postings = await db
      .select({ kind: ledgerAccounts.kind, amount: ledgerPostings.amountMicros })
      .from(ledgerPostings)
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.ledgerAccountId))
      .where(eq(ledgerPostings.transactionId, transaction.id));
    expect(postings.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: 'external', amount: 30n * USDC },
      { kind: 'supplier_payable', amount: -30n * USDC },
    ]);
    expect(balanceOf(await getBalances(db, demo), 'supplier_payable')).toBe(15n * USDC);

    // No more than is payable.
    await expect(
      debitSimulatedPayout(db, clock, { supplier: demo, amountMicros: 16n * USDC, memo: 'simulated' }),
    ).rejects.toMatchObject({ code: 'payment_required' });
    expect(balanceOf(await getBalances(db, demo), 'supplier_payable')).toBe(15n * USDC);
  });

  it('moves a deposit through hold, capture and release, with balances as sums', async () => {
    const customer = await newAccount(db);
    const supplier = await newAccount(db);
    await creditDeposit(db, clock, { customer, amountMicros: 250n * USDC, memo: 'deposit' });
    await placeHold(db, clock, { customer, amountMicros: 100n * USDC, memo: 'job budget' });
    await captureHold(db, clock, {
      customer,
      supplier,
      supplierMicros: 36n * USDC,
      feeMicros: 4n * USDC,
      memo: 'metered',
    });
    await releaseHold(db, clock, { customer, amountMicros: 60n * USDC, memo: 'unused budget' });
    const mine = await getBalances(db, customer);
    expect(balanceOf(mine, 'customer_available')).toBe(210n * USDC);
    expect(balanceOf(mine, 'customer_reserved')).toBe(0n);
    expect(balanceOf(await getBalances(db, supplier), 'supplier_payable')).toBe(36n * USDC);
    await debitPayout(db, clock, { supplier, amountMicros: 36n * USDC, memo: 'payout' });
    expect(balanceOf(await getBalances(db, supplier), 'supplier_payable')).toBe(0n);
  });

  it('reserves payable for a payout, then settles or reverses it', async () => {
    const customer = await newAccount(db);
    const supplier = await newAccount(db);
    await creditDeposit(db, clock, { customer, amountMicros: 100n * USDC, memo: 'deposit' });
    await placeHold(db, clock, { customer, amountMicros: 100n * USDC, memo: 'job budget' });
    await captureHold(db, clock, {
      customer,
      supplier,
      supplierMicros: 90n * USDC,
      feeMicros: 10n * USDC,
      memo: 'metered',
    });
    const key = `payout-reserve:${randomBytes(8).toString('hex')}`;
    const reserves = await Promise.all(
      Array.from({ length: 5 }, () =>
        reservePayout(db, clock, { supplier, amountMicros: 50n * USDC, memo: 'payout', idempotencyKey: key }),
      ),
    );
    expect(reserves.filter((r) => r.created)).toHaveLength(1);
    expect(reserves[0]?.transaction.kind).toBe('payout_reserve');
    let balances = await getBalances(db, supplier);
    expect(balanceOf(balances, 'supplier_payable')).toBe(40n * USDC);
    expect(balanceOf(balances, 'supplier_payout_pending')).toBe(50n * USDC);

    const settled = await settlePayout(db, clock, { supplier, amountMicros: 30n * USDC, memo: 'confirmed' });
    expect(settled.transaction.kind).toBe('payout');
    const reversed = await reversePayout(db, clock, { supplier, amountMicros: 20n * USDC, memo: 'failed' });
    expect(reversed.transaction.kind).toBe('payout_reversal');
    balances = await getBalances(db, supplier);
    expect(balanceOf(balances, 'supplier_payable')).toBe(60n * USDC);
    expect(balanceOf(balances, 'supplier_payout_pending')).toBe(0n);

    // Neither more than the payable nor more than is pending can move.
    await expect(
      reservePayout(db, clock, { supplier, amountMicros: 60n * USDC + 1n, memo: 'too much' }),
    ).rejects.toMatchObject({ code: 'payment_required' });
    await expect(
      settlePayout(db, clock, { supplier, amountMicros: 1n, memo: 'nothing' }),
    ).rejects.toMatchObject({ code: 'payment_required' });
    await expect(
      reversePayout(db, clock, { supplier, amountMicros: 1n, memo: 'nothing' }),
    ).rejects.toMatchObject({ code: 'payment_required' });
    expect(balanceOf(await getBalances(db, supplier), 'supplier_payable')).toBe(60n * USDC);
  });

  it('refuses an overdraft with 402 and posts nothing', async () => {
    const customer = await newAccount(db);
    await creditDeposit(db, clock, { customer, amountMicros: 10n * USDC, memo: 'deposit' });
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(ledgerPostings);
    await expect(
      placeHold(db, clock, { customer, amountMicros: 11n * USDC, memo: 'too much' }),
    ).rejects.toMatchObject({
      code: 'payment_required',
    });
    await expect(
      releaseHold(db, clock, { customer, amountMicros: 1n, memo: 'nothing held' }),
    ).rejects.toBeInstanceOf(AppError);
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(ledgerPostings)).toEqual(before);
    expect(balanceOf(await getBalances(db, customer), 'customer_available')).toBe(10n * USDC);
  });

  it('posts an idempotency key once, also when replayed concurrently', async () => {
    const customer = await newAccount(db);
    const key = `deposit:${randomBytes(8).toString('hex')}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        creditDeposit(db, clock, { customer, amountMicros: 5n * USDC, memo: 'once', idempotencyKey: key }),
      ),
    );
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(balanceOf(await getBalances(db, customer), 'customer_available')).toBe(5n * USDC);
  });

  it('keeps incentives in their own currency, apart from paid revenue', async () => {
    const supplier = await newAccount(db);
    await creditIncentive(db, clock, { supplier, amountMicros: 7n * USDC, memo: 'availability reward' });
    const balances = await getBalances(db, supplier);
    expect(balanceOf(balances, 'supplier_incentives', 'incentive')).toBe(7n * USDC);
    expect(balanceOf(balances, 'supplier_payable', 'usdc')).toBe(0n);
  });

  it('refuses, in the database itself, an unbalanced transaction and any change to posted history', async () => {
    const customer = await newAccount(db);
    const available = await ensureLedgerAccount(db, {
      kind: 'customer_available',
      currency: 'usdc',
      owner: customer,
    });
    // Bypass lib/ledger: one posting with nothing on the other side.
    await expect(
      db.transaction(async (tx) => {
        const [t] = await tx
          .insert(ledgerTransactions)
          .values({ kind: 'correction', memo: 'forged', createdAt: clock.now() })
          .returning();
        await tx.insert(ledgerPostings).values({
          transactionId: t?.id ?? '',
          ledgerAccountId: available,
          currency: 'usdc',
          amountMicros: 1_000n * USDC,
          createdAt: clock.now(),
        });
      }),
    ).rejects.toThrow();
    expect(balanceOf(await getBalances(db, customer), 'customer_available')).toBe(0n);

    const { transaction } = await creditDeposit(db, clock, { customer, amountMicros: USDC, memo: 'deposit' });
    await expect(
      db
        .update(ledgerPostings)
        .set({ amountMicros: 9n * USDC })
        .where(eq(ledgerPostings.transactionId, transaction.id)),
    ).rejects.toThrow();
    await expect(
      db.delete(ledgerPostings).where(eq(ledgerPostings.transactionId, transaction.id)),
    ).rejects.toThrow();
    await expect(
      db.delete(ledgerTransactions).where(eq(ledgerTransactions.id, transaction.id)),
    ).rejects.toThrow();
  });

  it('accepts exactly k of 200 concurrent holds against a balance that covers k', async () => {
    const customer = await newAccount(db);
    const k = 37;
    await creditDeposit(db, clock, {
      customer,
      amountMicros: BigInt(k) * 3n * USDC + 2n * USDC,
      memo: 'deposit',
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        placeHold(db, clock, { customer, amountMicros: 3n * USDC, memo: `launch ${i}` }),
      ),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(accepted).toBe(k);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'payment_required' });
    const balances = await getBalances(db, customer);
    expect(balanceOf(balances, 'customer_available')).toBe(2n * USDC);
    expect(balanceOf(balances, 'customer_reserved')).toBe(BigInt(k) * 3n * USDC);
  });

  it('conserves money when random operations race each other (concurrent property)', async () => {
    const step = fc.record({
      op: fc.constantFrom('deposit', 'hold', 'release', 'capture', 'payout' as const),
      amount: fc.integer({ min: 1, max: 400 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 25 }), async (steps) => {
        const customer = await newAccount(db);
        const supplier = await newAccount(db);
        await creditDeposit(db, clock, { customer, amountMicros: 1_000n, memo: 'seed money' });
        const run = (s: (typeof steps)[number]) => {
          const amountMicros = BigInt(s.amount);
          switch (s.op) {
            case 'deposit':
              return creditDeposit(db, clock, { customer, amountMicros, memo: 'c' });
            case 'hold':
              return placeHold(db, clock, { customer, amountMicros, memo: 'c' });
            case 'release':
              return releaseHold(db, clock, { customer, amountMicros, memo: 'c' });
            case 'capture':
              return captureHold(db, clock, {
                customer,
                supplier,
                supplierMicros: amountMicros,
                feeMicros: amountMicros / 10n,
                memo: 'c',
              });
            case 'payout':
              return debitPayout(db, clock, { supplier, amountMicros, memo: 'c' });
          }
        };
        const outcomes = await Promise.allSettled(steps.map(run));
        let deposits = 1_000n;
        let payouts = 0n;
        let fees = 0n;
        outcomes.forEach((outcome, i) => {
          const s = steps[i];
          if (!s) return;
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toMatchObject({ code: 'payment_required' });
            return;
          }
          if (s.op === 'deposit') deposits += BigInt(s.amount);
          if (s.op === 'payout') payouts += BigInt(s.amount);
          if (s.op === 'capture') fees += BigInt(s.amount) / 10n;
        });
        const mine = await getBalances(db, customer);
        const theirs = await getBalances(db, supplier);
        const held =
          balanceOf(mine, 'customer_available') +
          balanceOf(mine, 'customer_reserved') +
          balanceOf(theirs, 'supplier_payable');
        expect(held).toBe(deposits - payouts - fees);
        for (const balance of [...mine, ...theirs]) expect(balance.balanceMicros >= 0n).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('holds every invariant over random operation sequences (property, replayable from its seed)', async () => {
    type Op =
      | { op: 'deposit' | 'hold' | 'release' | 'payout' | 'reserve' | 'settle' | 'reverse'; amount: number }
      | { op: 'capture'; supplierShare: number; fee: number }
      | { op: 'quarantine'; amount: number }
      | { op: 'refund'; fromHeld: number; fromPlatform: number };
    const amount = fc.integer({ min: 1, max: 500 });
    const ops = fc.array(
      fc.oneof(
        fc.record({
          op: fc.constantFrom(
            'deposit',
            'hold',
            'release',
            'payout',
            'reserve',
            'settle',
            'reverse' as const,
          ),
          amount,
        }),
        fc.record({
          op: fc.constant('capture' as const),
          supplierShare: fc.integer({ min: 0, max: 300 }),
          fee: fc.integer({ min: 0, max: 50 }),
        }),
        fc.record({ op: fc.constant('quarantine' as const), amount }),
        fc.record({
          op: fc.constant('refund' as const),
          fromHeld: fc.integer({ min: 0, max: 300 }),
          fromPlatform: fc.integer({ min: 0, max: 50 }),
        }),
      ) as fc.Arbitrary<Op>,
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(ops, async (sequence) => {
        const customer = await newAccount(db);
        const supplier = await newAccount(db);
        const model = { available: 0n, reserved: 0n, payable: 0n, pending: 0n, held: 0n };
        // The platform's fee account is shared by every sequence: start from its balance now.
        let platform = await platformFees(db);
        for (const step of sequence) {
          const attempt = async (): Promise<boolean> => {
            try {
              switch (step.op) {
                case 'deposit':
                  await creditDeposit(db, clock, { customer, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.available += BigInt(step.amount);
                  return true;
                case 'hold':
                  await placeHold(db, clock, { customer, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.available -= BigInt(step.amount);
                  model.reserved += BigInt(step.amount);
                  return true;
                case 'release':
                  await releaseHold(db, clock, { customer, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.reserved -= BigInt(step.amount);
                  model.available += BigInt(step.amount);
                  return true;
                case 'payout':
                  await debitPayout(db, clock, { supplier, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.payable -= BigInt(step.amount);
                  return true;
                case 'reserve':
                  await reservePayout(db, clock, { supplier, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.payable -= BigInt(step.amount);
                  model.pending += BigInt(step.amount);
                  return true;
                case 'settle':
                  await settlePayout(db, clock, { supplier, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.pending -= BigInt(step.amount);
                  return true;
                case 'reverse':
                  await reversePayout(db, clock, { supplier, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.pending -= BigInt(step.amount);
                  model.payable += BigInt(step.amount);
                  return true;
                case 'capture':
                  await captureHold(db, clock, {
                    customer,
                    supplier,
                    supplierMicros: BigInt(step.supplierShare),
                    feeMicros: BigInt(step.fee),
                    memo: 'p',
                  });
                  model.reserved -= BigInt(step.supplierShare + step.fee);
                  model.payable += BigInt(step.supplierShare);
                  platform += BigInt(step.fee);
                  return true;
                case 'quarantine':
                  await holdEarnings(db, clock, { supplier, amountMicros: BigInt(step.amount), memo: 'p' });
                  model.payable -= BigInt(step.amount);
                  model.held += BigInt(step.amount);
                  return true;
                case 'refund':
                  await refundCharge(db, clock, {
                    customer,
                    supplier,
                    fromHeldMicros: BigInt(step.fromHeld),
                    fromPlatformMicros: BigInt(step.fromPlatform),
                    memo: 'p',
                  });
                  model.held -= BigInt(step.fromHeld);
                  platform -= BigInt(step.fromPlatform);
                  model.available += BigInt(step.fromHeld + step.fromPlatform);
                  return true;
              }
            } catch (error) {
              if (
                error instanceof AppError &&
                (error.code === 'payment_required' || error.code === 'unprocessable')
              )
                return false;
              throw error;
            }
          };
          const wouldOverdraw =
            (step.op === 'hold' && BigInt(step.amount) > model.available) ||
            (step.op === 'release' && BigInt(step.amount) > model.reserved) ||
            ((step.op === 'payout' || step.op === 'reserve') && BigInt(step.amount) > model.payable) ||
            ((step.op === 'settle' || step.op === 'reverse') && BigInt(step.amount) > model.pending) ||
            (step.op === 'capture' && BigInt(step.supplierShare + step.fee) > model.reserved) ||
            (step.op === 'quarantine' && BigInt(step.amount) > model.payable) ||
            (step.op === 'refund' &&
              (BigInt(step.fromHeld) > model.held || BigInt(step.fromPlatform) > platform));
          const invalid =
            (step.op === 'capture' && step.supplierShare + step.fee === 0) ||
            (step.op === 'refund' && step.fromHeld + step.fromPlatform === 0);
          expect(await attempt()).toBe(!wouldOverdraw && !invalid);
        }
        const mine = await getBalances(db, customer);
        expect(balanceOf(mine, 'customer_available')).toBe(model.available);
        expect(balanceOf(mine, 'customer_reserved')).toBe(model.reserved);
        const theirs = await getBalances(db, supplier);
        expect(balanceOf(theirs, 'supplier_payable')).toBe(model.payable);
        expect(balanceOf(theirs, 'supplier_payout_pending')).toBe(model.pending);
        expect(balanceOf(theirs, 'supplier_held')).toBe(model.held);
        expect(await platformFees(db)).toBe(platform);
      }),
      // Thousands of sequences over both engines; a failure prints its seed and path, replayable with `seed`.
      { numRuns: 1_000 },
    );
  }, 180_000);
});
