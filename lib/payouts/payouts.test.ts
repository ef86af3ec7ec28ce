import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createWalletClient, http, maxUint256, parseGwei, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockUsdcAbi } from '@/lib/chain/artifacts/mock-usdc';
import { LOCAL_TREASURY_INDEX } from '@/lib/chain/config';
import { devAccount } from '@/lib/chain/local-chain';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle, Db } from '@/lib/db/client';
import { payouts } from '@/lib/db/schema';
import type { ChainDeps } from '@/lib/chain/deps';
import { createAccount, startTestChain, type TestChain } from '@/lib/testing/test-chain';
import { transferEvent } from '@/lib/deposits/verify-transfer';
import { balanceOf, captureHold, creditDeposit, getBalances, placeHold } from '@/lib/ledger/operations';
import { processPayouts } from '@/lib/payouts/process-payouts';
import { requestPayout, requestWithdrawal } from '@/lib/payouts/request-payout';
import { reconcileWithChain } from '@/lib/reconciliation/reconcile';
import { getPayout, listPayouts } from '@/lib/payouts/views';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const USDC = 1_000_000n;
const clock = new ManualClock('2026-11-25T00:00:00Z');
const treasury = devAccount(LOCAL_TREASURY_INDEX);

let chain: TestChain;
beforeAll(async () => {
  chain = await startTestChain({ confirmations: 3 });
});
afterAll(() => chain?.stop());

const freshAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address;
const key = () => `payout-${randomBytes(6).toString('hex')}`;

/** Transfer logs of the mock USDC from the treasury to `to`: how many times it was really paid. */
async function paymentsTo(to: Address): Promise<number> {
  const logs = await chain.client.getLogs({
    address: chain.usdc,
    event: transferEvent,
    args: { from: treasury.address, to },
    fromBlock: 0n,
    toBlock: 'latest',
  });
  return logs.length;
}

async function withoutAutomine<T>(run: () => Promise<T>): Promise<T> {
  await chain.rpc('evm_setAutomine', [false]);
  try {
    return await run();
  } finally {
    await chain.rpc('evm_setAutomine', [true]);
  }
}

describe.each(TEST_ENGINES)('payouts on %s', (engine) => {
  let handle: DatabaseHandle;
  let db: Db;
  let deps: ChainDeps;

  beforeAll(async () => {
    handle = await createTestDb(engine);
    db = handle.db;
    deps = { db, clock, chain: chain.config, client: chain.client };
  });
  afterAll(() => handle?.close());
  afterEach(() => expectLedgerConsistent(db));

  /** Runs the payout loop with the process "killed" right after broadcasting; returns the payout as left. */
  async function crashAfterBroadcast(id: string) {
    await expect(
      processPayouts(deps, {
        afterBroadcast: () => {
          throw new Error('process killed');
        },
      }),
    ).rejects.toThrow('process killed');
    const [row] = await db.select().from(payouts).where(eq(payouts.id, id));
    return row;
  }

  /** A supplier with `amount` payable, earned the way the marketplace earns it: deposit → hold → capture. */
  async function supplierWith(amount: bigint): Promise<{ supplier: string; wallet: Address }> {
    const wallet = freshAddress();
    const supplier = await createAccount(db, wallet);
    const customer = await createAccount(db);
    const fee = amount / 10n + 1n;
    await creditDeposit(db, clock, { customer, amountMicros: amount + fee, memo: 'deposit' });
    await placeHold(db, clock, { customer, amountMicros: amount + fee, memo: 'job budget' });
    await captureHold(db, clock, {
      customer,
      supplier,
      supplierMicros: amount,
      feeMicros: fee,
      memo: 'work',
    });
    return { supplier, wallet };
  }

  async function ledgerOf(supplier: string) {
    const balances = await getBalances(db, supplier);
    return {
      payable: balanceOf(balances, 'supplier_payable'),
      pending: balanceOf(balances, 'supplier_payout_pending'),
    };
  }

  it('pays the whole payable balance on-chain, confirmed after the required confirmations', async () => {
    const { supplier, wallet } = await supplierWith(30n * USDC);
    const idempotencyKey = key();
    const requested = await requestPayout(deps, { accountId: supplier, toAddress: wallet, idempotencyKey });
    expect(requested).toMatchObject({
      state: 'requested',
      amountMicros: String(30n * USDC),
      toAddress: wallet.toLowerCase(),
      txHash: null,
      confirmedAt: null,
    });
    expect(await ledgerOf(supplier)).toEqual({ payable: 0n, pending: 30n * USDC });

    expect(await processPayouts(deps)).toMatchObject({ sent: 1, confirmed: 0, errors: [] });
    const sent = await getPayout(deps, supplier, requested.id);
    expect(sent).toMatchObject({ state: 'sent', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await chain.balanceOf(wallet)).toBe(30n * USDC);

    await chain.mine(1);
    expect(await processPayouts(deps)).toMatchObject({ sent: 0, confirmed: 0 });
    await chain.mine(1);
    expect(await processPayouts(deps)).toMatchObject({ sent: 0, confirmed: 1 });
    expect(await getPayout(deps, supplier, requested.id)).toMatchObject({
      state: 'confirmed',
      txHash: sent.txHash,
      confirmedAt: clock.now().toISOString(),
      failureReason: null,
    });
    expect(await ledgerOf(supplier)).toEqual({ payable: 0n, pending: 0n });

    // A replay of the request answers with the same payout and pays nothing more.
    const replay = await requestPayout(deps, { accountId: supplier, toAddress: wallet, idempotencyKey });
    expect(replay).toMatchObject({ id: requested.id, state: 'confirmed' });
    await expect(
      requestPayout(deps, { accountId: supplier, toAddress: wallet, idempotencyKey, amountMicros: 1n }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await processPayouts(deps);
    expect(await paymentsTo(wallet)).toBe(1);
    expect(await chain.balanceOf(wallet)).toBe(30n * USDC);
  });

  it('records one payout for concurrent replays of a key, and sends it once', async () => {
    const { supplier, wallet } = await supplierWith(12n * USDC);
    const idempotencyKey = key();
    const views = await Promise.all(
      Array.from({ length: 10 }, () =>
        requestPayout(deps, {
          accountId: supplier,
          toAddress: wallet,
          amountMicros: 5n * USDC,
          idempotencyKey,
        }),
      ),
    );
    expect(new Set(views.map((v) => v.id)).size).toBe(1);
    expect(await ledgerOf(supplier)).toEqual({ payable: 7n * USDC, pending: 5n * USDC });

    // The same key of another account is another payout: keys are per account.
    const other = await supplierWith(2n * USDC);
    const theirs = await requestPayout(deps, {
      accountId: other.supplier,
      toAddress: other.wallet,
      amountMicros: 2n * USDC,
      idempotencyKey,
    });
    expect(theirs.id).not.toBe(views[0]?.id);

    await processPayouts(deps);
    await processPayouts(deps);
    await chain.mine(2);
    await processPayouts(deps);
    expect(await paymentsTo(wallet)).toBe(1);
    expect(await chain.balanceOf(wallet)).toBe(5n * USDC);
    expect(await chain.balanceOf(other.wallet)).toBe(2n * USDC);
    expect(await ledgerOf(supplier)).toEqual({ payable: 7n * USDC, pending: 0n });
  });

  it('sends exactly once across a crash between broadcast and record, and a restart', async () => {
    const { supplier, wallet } = await supplierWith(9n * USDC);
    const { id } = await requestPayout(deps, {
      accountId: supplier,
      toAddress: wallet,
      idempotencyKey: key(),
    });
    const crashed = await crashAfterBroadcast(id);
    expect(crashed).toMatchObject({ state: 'signed', nonce: expect.any(Number) });
    expect(crashed?.rawTransaction).toMatch(/^0x/);

    // The restart finds the recorded transaction mined, and never signs another.
    expect(await processPayouts(deps)).toMatchObject({ recovered: 1, sent: 0 });
    await chain.mine(2);
    expect(await processPayouts(deps)).toMatchObject({ confirmed: 1 });
    const [done] = await db.select().from(payouts).where(eq(payouts.id, id));
    expect(done).toMatchObject({ state: 'confirmed', txHash: crashed?.txHash, nonce: crashed?.nonce });
    expect(await paymentsTo(wallet)).toBe(1);
    expect(await chain.balanceOf(wallet)).toBe(9n * USDC);
    expect(await ledgerOf(supplier)).toEqual({ payable: 0n, pending: 0n });
  });

  it('re-broadcasts the same transaction when the crashed one never reached a block', async () => {
    const { supplier, wallet } = await supplierWith(4n * USDC);
    const { id } = await requestPayout(deps, {
      accountId: supplier,
      toAddress: wallet,
      idempotencyKey: key(),
    });
    await withoutAutomine(async () => {
      const crashed = await crashAfterBroadcast(id);
      // The node lost it too (a restart of the node, a dropped mempool).
      await chain.rpc('anvil_dropTransaction', [crashed?.txHash]);
      expect(await processPayouts(deps)).toMatchObject({ recovered: 1, sent: 0, errors: [] });
      // Restarting twice while it is pending doesn't send it twice either.
      expect(await processPayouts(deps)).toMatchObject({ recovered: 0, sent: 0 });
      await chain.mine(1);
    });
    await chain.mine(2);
    expect(await processPayouts(deps)).toMatchObject({ confirmed: 1 });
    expect(await paymentsTo(wallet)).toBe(1);
    expect(await chain.balanceOf(wallet)).toBe(4n * USDC);
  });

  it('sends each payout once when processors run concurrently', async () => {
    const payees = await Promise.all([
      supplierWith(3n * USDC),
      supplierWith(4n * USDC),
      supplierWith(5n * USDC),
    ]);
    for (const { supplier, wallet } of payees)
      await requestPayout(deps, { accountId: supplier, toAddress: wallet, idempotencyKey: key() });
    const summaries = await Promise.all(Array.from({ length: 4 }, () => processPayouts(deps)));
    expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(3);
    await chain.mine(2);
    const settled = await Promise.all(Array.from({ length: 3 }, () => processPayouts(deps)));
    // Payouts mined early in the first round may already have had their confirmations then.
    expect([...summaries, ...settled].reduce((n, s) => n + s.confirmed, 0)).toBe(3);
    for (const [i, { supplier, wallet }] of payees.entries()) {
      expect(await paymentsTo(wallet)).toBe(1);
      expect(await chain.balanceOf(wallet)).toBe(BigInt(i + 3) * USDC);
      expect(await ledgerOf(supplier)).toEqual({ payable: 0n, pending: 0n });
    }
    const nonces = await db
      .select({ nonce: payouts.nonce })
      .from(payouts)
      .where(sql`${payouts.nonce} is not null`);
    expect(new Set(nonces.map((n) => n.nonce)).size).toBe(nonces.length);
  });

  it('refuses more than the payable balance with 402 and records nothing', async () => {
    const { supplier, wallet } = await supplierWith(5n * USDC);
    await expect(
      requestPayout(deps, {
        accountId: supplier,
        toAddress: wallet,
        amountMicros: 5n * USDC + 1n,
        idempotencyKey: key(),
      }),
    ).rejects.toMatchObject({ code: 'payment_required' });
    expect(await db.select().from(payouts).where(eq(payouts.accountId, supplier))).toEqual([]);
    expect(await ledgerOf(supplier)).toEqual({ payable: 5n * USDC, pending: 0n });

    const broke = await createAccount(db);
    await expect(
      requestPayout(deps, { accountId: broke, toAddress: freshAddress(), idempotencyKey: key() }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    await expect(
      requestPayout(
        { ...deps, chain: { ...chain.config, treasuryAccount: null } },
        { accountId: supplier, toAddress: wallet, idempotencyKey: key() },
      ),
    ).rejects.toMatchObject({ code: 'unprocessable', message: 'Payouts are not configured on this server.' });
  });

  /**
   * Sends the open transfers out of the treasury while someone empties it first (a higher tip in the same
   * block), so each one reverts on-chain; refills the treasury afterwards.
   */
  async function sendIntoAnEmptyTreasury(sent: number): Promise<() => Promise<void>> {
    const drainer = await chain.fundedWallet(0n);
    const walletOf = (account: typeof treasury | typeof drainer) =>
      createWalletClient({ account, chain: chain.anvil.chain, transport: http(chain.anvil.rpcUrl) });
    const approval = await walletOf(treasury).writeContract({
      address: chain.usdc,
      abi: mockUsdcAbi,
      functionName: 'approve',
      args: [drainer.address, maxUint256],
    });
    await chain.client.waitForTransactionReceipt({ hash: approval, pollingInterval: 50 });
    const everything = await chain.balanceOf(treasury.address);
    await withoutAutomine(async () => {
      expect(await processPayouts(deps)).toMatchObject({ sent });
      await walletOf(drainer).writeContract({
        address: chain.usdc,
        abi: mockUsdcAbi,
        functionName: 'transferFrom',
        args: [treasury.address, drainer.address, everything],
        gas: 100_000n,
        maxPriorityFeePerGas: parseGwei('50'),
        maxFeePerGas: parseGwei('100'),
      });
      await chain.mine(1);
    });
    return () => chain.transfer(drainer, treasury.address, everything).then(() => undefined);
  }

  it('fails a payout whose transfer reverted on-chain and returns the amount to payable', async () => {
    const { supplier, wallet } = await supplierWith(6n * USDC);
    const { id } = await requestPayout(deps, {
      accountId: supplier,
      toAddress: wallet,
      idempotencyKey: key(),
    });
    const refill = await sendIntoAnEmptyTreasury(1);
    const [row] = await db.select().from(payouts).where(eq(payouts.id, id));
    expect((await chain.client.getTransactionReceipt({ hash: row?.txHash as `0x${string}` })).status).toBe(
      'reverted',
    );
    expect(await processPayouts(deps)).toMatchObject({ failed: 0 });
    await chain.mine(2);
    expect(await processPayouts(deps)).toMatchObject({ failed: 1 });
    expect(await getPayout(deps, supplier, id)).toMatchObject({
      state: 'failed',
      failureReason: expect.stringContaining('reverted'),
    });
    expect(await ledgerOf(supplier)).toEqual({ payable: 6n * USDC, pending: 0n });
    expect(await chain.balanceOf(wallet)).toBe(0n);
    await refill();
  });

  it('fails a signed payout whose nonce another settled treasury transaction used', async () => {
    const { supplier, wallet } = await supplierWith(2n * USDC);
    const { id } = await requestPayout(deps, {
      accountId: supplier,
      toAddress: wallet,
      idempotencyKey: key(),
    });
    await withoutAutomine(async () => {
      const crashed = await crashAfterBroadcast(id);
      await chain.rpc('anvil_dropTransaction', [crashed?.txHash]);
      // An operator used the treasury key by hand, with the same nonce.
      const treasuryWallet = createWalletClient({
        account: treasury,
        chain: chain.anvil.chain,
        transport: http(chain.anvil.rpcUrl),
      });
      await treasuryWallet.sendTransaction({ to: treasury.address, value: 0n, nonce: crashed?.nonce ?? 0 });
      await chain.mine(1);
    });
    // Not yet settled: the payout waits (the other transaction could still be reorged away).
    expect(await processPayouts(deps)).toMatchObject({ failed: 0, recovered: 0 });
    expect((await getPayout(deps, supplier, id)).state).toBe('signed');
    await chain.mine(3);
    expect(await processPayouts(deps)).toMatchObject({ failed: 1 });
    expect(await getPayout(deps, supplier, id)).toMatchObject({ state: 'failed' });
    expect(await ledgerOf(supplier)).toEqual({ payable: 2n * USDC, pending: 0n });
    expect(await paymentsTo(wallet)).toBe(0);
  });

  it('shows an account only its own payouts, newest first, page by page', async () => {
    const { supplier, wallet } = await supplierWith(3n * USDC);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      ids.push(
        (
          await requestPayout(deps, {
            accountId: supplier,
            toAddress: wallet,
            amountMicros: USDC,
            idempotencyKey: key(),
          })
        ).id,
      );
    }
    const first = await listPayouts(deps, supplier, { limit: 2 });
    expect(first.items.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const second = await listPayouts(deps, supplier, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const other = await createAccount(db);
    expect(await listPayouts(deps, other, { limit: 10 })).toEqual({ items: [], nextCursor: null });
    await expect(getPayout(deps, other, ids[0] ?? '')).rejects.toMatchObject({ code: 'not_found' });
    await expect(getPayout(deps, supplier, 'nope')).rejects.toMatchObject({ code: 'not_found' });

    // Leave nothing open for the other tests of this database.
    await processPayouts(deps);
    await chain.mine(2);
    await processPayouts(deps);
    expect(await paymentsTo(wallet)).toBe(3);
  });
  /** A customer with `deposited` available, `held` of it reserved for a running job's budget. */
  async function customerWith(
    deposited: bigint,
    held: bigint,
  ): Promise<{ customer: string; wallet: Address }> {
    const wallet = freshAddress();
    const customer = await createAccount(db, wallet);
    await creditDeposit(db, clock, { customer, amountMicros: deposited, memo: 'deposit' });
    if (held > 0n) await placeHold(db, clock, { customer, amountMicros: held, memo: 'job budget' });
    return { customer, wallet };
  }

  async function customerLedger(customer: string) {
    const balances = await getBalances(db, customer);
    return {
      available: balanceOf(balances, 'customer_available'),
      reserved: balanceOf(balances, 'customer_reserved'),
      pending: balanceOf(balances, 'customer_withdrawal_pending'),
    };
  }

  it('withdraws unused balance to the wallet exactly once, never touching what running jobs hold', async () => {
    const { customer, wallet } = await customerWith(50n * USDC, 20n * USDC);
    const idempotencyKey = key();
    // More than the available balance (reserved money included) is refused, and nothing is recorded.
    await expect(
      requestWithdrawal(deps, {
        accountId: customer,
        toAddress: wallet,
        idempotencyKey,
        amountMicros: 31n * USDC,
      }),
    ).rejects.toMatchObject({ status: 402 });
    expect(await db.select().from(payouts).where(eq(payouts.accountId, customer))).toEqual([]);

    // Omitted amount: the whole available balance.
    const requested = await requestWithdrawal(deps, {
      accountId: customer,
      toAddress: wallet,
      idempotencyKey,
    });
    expect(requested).toMatchObject({
      source: 'customer_balance',
      state: 'requested',
      amountMicros: String(30n * USDC),
      toAddress: wallet.toLowerCase(),
    });
    expect(await customerLedger(customer)).toEqual({
      available: 0n,
      reserved: 20n * USDC,
      pending: 30n * USDC,
    });
    await expect(
      requestWithdrawal(deps, {
        accountId: customer,
        toAddress: wallet,
        idempotencyKey: key(),
        amountMicros: 1n,
      }),
    ).rejects.toMatchObject({ status: 402 });
    // The same key for a payout is a conflict, not this withdrawal's replay.
    await expect(
      requestPayout(deps, { accountId: customer, toAddress: wallet, idempotencyKey }),
    ).rejects.toMatchObject({ code: 'conflict' });

    expect(await processPayouts(deps)).toMatchObject({ sent: 1, errors: [] });
    expect(await chain.balanceOf(wallet)).toBe(30n * USDC);
    await chain.mine(2);
    expect(await processPayouts(deps)).toMatchObject({ confirmed: 1 });
    expect(await getPayout(deps, customer, requested.id, 'customer_balance')).toMatchObject({
      state: 'confirmed',
    });
    expect(await customerLedger(customer)).toEqual({ available: 0n, reserved: 20n * USDC, pending: 0n });

    // Listed as a withdrawal, never as a payout; a replay pays nothing more.
    expect((await listPayouts(deps, customer, { limit: 10 }, 'customer_balance')).items).toHaveLength(1);
    expect((await listPayouts(deps, customer, { limit: 10 })).items).toEqual([]);
    await expect(getPayout(deps, customer, requested.id)).rejects.toMatchObject({ code: 'not_found' });
    const replay = await requestWithdrawal(deps, { accountId: customer, toAddress: wallet, idempotencyKey });
    expect(replay).toMatchObject({ id: requested.id, state: 'confirmed' });
    await processPayouts(deps);
    expect(await paymentsTo(wallet)).toBe(1);

    // The chain reconciliation matches the withdrawal's transfer as a withdrawal, not as a stray transfer.
    const reconciliation = await reconcileWithChain(deps);
    expect(reconciliation.ledger?.withdrawals.count).toBeGreaterThanOrEqual(1);
    const listed = [...reconciliation.differences, ...reconciliation.explained];
    expect(listed.filter((d) => d.txHash === replay.txHash)).toEqual([]);
  });

  it('returns a withdrawal whose transfer reverted to the available balance', async () => {
    const { customer, wallet } = await customerWith(8n * USDC, 0n);
    const { id } = await requestWithdrawal(deps, {
      accountId: customer,
      toAddress: wallet,
      amountMicros: 5n * USDC,
      idempotencyKey: key(),
    });
    const refill = await sendIntoAnEmptyTreasury(1);
    await chain.mine(2);
    expect(await processPayouts(deps)).toMatchObject({ failed: 1 });
    expect(await getPayout(deps, customer, id, 'customer_balance')).toMatchObject({ state: 'failed' });
    expect(await customerLedger(customer)).toEqual({ available: 8n * USDC, reserved: 0n, pending: 0n });
    expect(await chain.balanceOf(wallet)).toBe(0n);
    await refill();
  });
});
