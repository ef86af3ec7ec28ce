import { eq } from 'drizzle-orm';
import { createPublicClient, encodeAbiParameters, http, keccak256, parseAbiParameters, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GET as getReconciliationRoute } from '@/app/api/v1/metrics/chain-reconciliation/route';
import { provideServiceContext } from '@/lib/api/context';
import type { ChainDeps } from '@/lib/chain/deps';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle, Db } from '@/lib/db/client';
import { accounts, deposits } from '@/lib/db/schema';
import { advanceDeposits } from '@/lib/deposits/advance-deposits';
import { indexTreasuryTransfers } from '@/lib/deposits/indexer';
import {
  captureHold,
  creditDeposit,
  creditSimulatedFunding,
  debitPayout,
  debitSimulatedPayout,
  placeHold,
} from '@/lib/ledger/operations';
import { getMetricSeries } from '@/lib/metrics/queries';
import { refreshMetricRollups } from '@/lib/metrics/rollups';
import { processPayouts } from '@/lib/payouts/process-payouts';
import { requestPayout, requestWithdrawal } from '@/lib/payouts/request-payout';
import { reconcileWithChain } from '@/lib/reconciliation/reconcile';
import { reconciliationSchema } from '@/lib/reconciliation/schemas';
import { clearReconciliationCache } from '@/lib/reconciliation/service';
import { call, offlineLocalChain, useTestServices } from '@/lib/testing/api-harness';
import { createAccount, startTestChain, type TestChain } from '@/lib/testing/test-chain';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const USDC = 1_000_000n;

/**
 * Each test gets its own anvil and database: the reconciliation reads the whole treasury history, so worlds
 * must not share a chain or a ledger. The chain side is read from the chain itself, never mocked.
 */
describe.each(TEST_ENGINES)('reconciliation with the chain on %s', (engine) => {
  let chain: TestChain | null = null;
  let handle: DatabaseHandle | null = null;
  afterEach(async () => {
    provideServiceContext(null);
    await handle?.close();
    await chain?.stop();
    handle = null;
    chain = null;
  });

  async function world() {
    chain = await startTestChain({ confirmations: 3 });
    handle = await createTestDb(engine);
    const clock = new ManualClock('2026-11-25T00:00:00Z');
    const deps: ChainDeps = { db: handle.db, clock, chain: chain.config, client: chain.client };
    return { chain, db: handle.db, clock, deps };
  }

  /** A customer whose USDC transfer to the treasury is indexed, confirmed and credited through lib/deposits. */
  async function onchainDeposit(c: TestChain, deps: ChainDeps, amount: bigint): Promise<string> {
    const wallet = await c.fundedWallet(amount);
    const customer = await createAccount(deps.db, wallet.address);
    await c.transfer(wallet, c.config.treasuryAddress, amount);
    await indexTreasuryTransfers(deps);
    await c.mine(3);
    expect(await advanceDeposits(deps)).toMatchObject({ credited: 1 });
    return customer;
  }

  async function demoCustomer(db: Db): Promise<string> {
    const id = await createAccount(db);
    await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, id));
    return id;
  }

  it('reconciles a real deposit, simulated funding, a simulated payout, a payout and a withdrawal sent on-chain: status ok', async () => {
    const { chain: c, db, clock, deps } = await world();
    const customer = await onchainDeposit(c, deps, 50n * USDC);
    const demo = await demoCustomer(db);
    await creditSimulatedFunding(db, clock, { customer: demo, amountMicros: 500n * USDC, memo: 'Simulated' });
    // A demo supplier earns from the demo customer and withdraws in the ledger only: nothing on the chain.
    const demoSupplier = await demoCustomer(db);
    await placeHold(db, clock, { customer: demo, amountMicros: 110n * USDC, memo: 'job' });
    await captureHold(db, clock, {
      customer: demo,
      supplier: demoSupplier,
      supplierMicros: 100n * USDC,
      feeMicros: 10n * USDC,
      memo: 'work',
    });
    await debitSimulatedPayout(db, clock, {
      supplier: demoSupplier,
      amountMicros: 80n * USDC,
      memo: 'Simulated',
    });
    // The supplier earns from the real deposit, then is paid on-chain.
    const supplierWallet = privateKeyToAccount(generatePrivateKey()).address;
    const supplier = await createAccount(db, supplierWallet);
    await placeHold(db, clock, { customer, amountMicros: 33n * USDC, memo: 'job' });
    await captureHold(db, clock, {
      customer,
      supplier,
      supplierMicros: 30n * USDC,
      feeMicros: 3n * USDC,
      memo: 'work',
    });
    await requestPayout(deps, { accountId: supplier, toAddress: supplierWallet, idempotencyKey: 'p1' });
    // The customer takes 7 USDC of the 17 left unused back to a wallet: the same treasury, matched apart.
    const customerWallet = privateKeyToAccount(generatePrivateKey()).address;
    await requestWithdrawal(deps, {
      accountId: customer,
      toAddress: customerWallet,
      amountMicros: 7n * USDC,
      idempotencyKey: 'w1',
    });
    expect(await processPayouts(deps)).toMatchObject({ sent: 2 });

    // Sent but not confirmed yet: pending, not a failure.
    const sending = await reconcileWithChain(deps);
    expect(sending.status).toBe('ok');
    expect(sending.differences).toEqual([
      expect.objectContaining({ kind: 'transfer_out_without_payout', severity: 'pending', direction: 'out' }),
      expect.objectContaining({ kind: 'transfer_out_without_payout', severity: 'pending', direction: 'out' }),
    ]);

    await c.mine(3);
    expect(await processPayouts(deps)).toMatchObject({ confirmed: 2 });
    const result = await reconcileWithChain(deps);
    expect(result.status).toBe('ok');
    expect(result.differences).toEqual([]);
    expect(result.ledger).toEqual({
      deposits: { count: 1, totalMicros: String(50n * USDC) },
      simulatedFunding: { count: 1, totalMicros: String(500n * USDC) },
      payouts: { count: 1, totalMicros: String(30n * USDC) },
      withdrawals: { count: 1, totalMicros: String(7n * USDC) },
      simulatedPayouts: { count: 1, totalMicros: String(80n * USDC) },
      netMicros: String(13n * USDC),
    });
    expect(result.chain).toMatchObject({
      treasuryAddress: c.config.treasuryAddress.toLowerCase(),
      fromBlock: '0',
      balanceMatches: true,
      netMicros: String(13n * USDC),
      transfersOut: { count: 2, totalMicros: String(37n * USDC) },
    });
    expect(result.chain?.balanceMicros).toBe(String(await c.balanceOf(c.config.treasuryAddress)));
    expect(result.ledgerMatchesChain).toBe(true);
    // The local chain's setup money minted to the treasury is listed, explained.
    expect(result.explained.length).toBeGreaterThan(0);
    expect(result.explained.every((d) => d.severity === 'explained')).toBe(true);
  });

  it('reports an unbacked deposit credit as a failure, and the metric shows it unreconciled', async () => {
    const { db, clock, deps } = await world();
    const customer = await createAccount(db);
    // What a buggy or malicious code path would do: a deposit credit with no transfer behind it.
    const { transaction } = await creditDeposit(db, clock, {
      customer,
      amountMicros: 75n * USDC,
      memo: 'USDC deposit',
    });
    const result = await reconcileWithChain(deps);
    expect(result.status).toBe('failed');
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'unbacked_credit',
        severity: 'failure',
        ledgerTransactionId: transaction.id,
        ledgerMicros: String(75n * USDC),
        chainMicros: null,
      }),
    ]);
    expect(result.ledgerMatchesChain).toBe(false);
    expect(result.counts.failures).toBe(1);

    await refreshMetricRollups(db, {
      from: new Date('2026-11-25T00:00:00Z'),
      to: new Date('2026-11-26T00:00:00Z'),
    });
    const series = await getMetricSeries(
      db,
      clock,
      'reconciliation',
      { from: '2026-11-25', to: '2026-11-25', granularity: 'day' },
      { simulated: false },
    );
    expect(series.rows[0]).toMatchObject({
      depositsLedgerMicros: String(75n * USDC),
      depositsOnchainMicros: '0',
      depositsSimulatedMicros: '0',
      depositsUnreconciledMicros: String(75n * USDC),
    });
  });

  it('reports a credit of another amount than its transfer carried', async () => {
    const { chain: c, db, clock, deps } = await world();
    const wallet = await c.fundedWallet(10n * USDC);
    const customer = await createAccount(db, wallet.address);
    await c.transfer(wallet, c.config.treasuryAddress, 10n * USDC);
    await indexTreasuryTransfers(deps);
    await c.mine(3);
    // What a bug in the crediting path would do: the deposit of 10 USDC credited as 12.
    const [deposit] = await db.select().from(deposits);
    const { transaction } = await creditDeposit(db, clock, {
      customer,
      amountMicros: 12n * USDC,
      memo: 'USDC deposit',
    });
    await db
      .update(deposits)
      .set({ state: 'credited', accountId: customer, ledgerTransactionId: transaction.id })
      .where(eq(deposits.id, deposit!.id));
    const result = await reconcileWithChain(deps);
    expect(result.status).toBe('failed');
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'amount_mismatch',
        severity: 'failure',
        direction: 'in',
        ledgerTransactionId: transaction.id,
        ledgerMicros: String(12n * USDC),
        chainMicros: String(10n * USDC),
      }),
    ]);
  });

  it('reports a treasury balance the transfers do not explain', async () => {
    const { chain: c, deps } = await world();
    await onchainDeposit(c, deps, 5n * USDC);
    expect((await reconcileWithChain(deps)).status).toBe('ok');
    // The token's storage changed without a Transfer event (what a token with a hidden mint or a
    // rebase would do): balanceOf is the contract's second slot, keyed by the holder.
    const slot = keccak256(
      encodeAbiParameters(parseAbiParameters('address, uint256'), [c.config.treasuryAddress, 1n]),
    );
    const held = await c.balanceOf(c.config.treasuryAddress);
    await c.rpc('anvil_setStorageAt', [c.usdc, slot, toHex(held + 3n * USDC, { size: 32 })]);
    await c.mine(1);
    const result = await reconcileWithChain(deps);
    expect(result.status).toBe('failed');
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'balance_mismatch',
        severity: 'failure',
        chainMicros: String(held + 3n * USDC),
      }),
    ]);
  });

  it('lists a transfer to the treasury that never reached the ledger: pending, then a failure', async () => {
    const { chain: c, deps } = await world();
    const stranger = await c.fundedWallet(12n * USDC);
    const receipt = await c.transfer(stranger, c.config.treasuryAddress, 12n * USDC);
    const fresh = await reconcileWithChain(deps);
    expect(fresh.status).toBe('ok');
    expect(fresh.differences).toEqual([
      expect.objectContaining({ kind: 'transfer_not_in_ledger', severity: 'pending' }),
    ]);

    await c.mine(3);
    const late = await reconcileWithChain(deps);
    expect(late.status).toBe('failed');
    expect(late.differences).toEqual([
      expect.objectContaining({
        kind: 'transfer_not_in_ledger',
        severity: 'failure',
        direction: 'in',
        txHash: receipt.transactionHash.toLowerCase(),
        chainMicros: String(12n * USDC),
        counterparty: stranger.address.toLowerCase(),
        record: null,
      }),
    ]);

    // Once indexed it has a record: from a wallet no account owns, kept for its owner — pending, listed.
    await indexTreasuryTransfers(deps);
    const recorded = await reconcileWithChain(deps);
    expect(recorded.status).toBe('ok');
    expect(recorded.differences).toEqual([
      expect.objectContaining({
        kind: 'transfer_not_in_ledger',
        severity: 'pending',
        record: expect.stringContaining('unattributed'),
      }),
    ]);
  });

  it('lists a payout in the ledger without a transfer out of the treasury', async () => {
    const { db, clock, deps } = await world();
    const demo = await demoCustomer(db);
    const supplier = await createAccount(db);
    await creditSimulatedFunding(db, clock, { customer: demo, amountMicros: 10n * USDC, memo: 'Simulated' });
    await placeHold(db, clock, { customer: demo, amountMicros: 10n * USDC, memo: 'job' });
    await captureHold(db, clock, {
      customer: demo,
      supplier,
      supplierMicros: 9n * USDC,
      feeMicros: USDC,
      memo: 'w',
    });
    const { transaction } = await debitPayout(db, clock, {
      supplier,
      amountMicros: 9n * USDC,
      memo: 'paid?',
    });
    const result = await reconcileWithChain(deps);
    expect(result.status).toBe('failed');
    expect(result.differences).toEqual([
      expect.objectContaining({
        kind: 'payout_without_transfer',
        severity: 'failure',
        direction: 'out',
        ledgerTransactionId: transaction.id,
        ledgerMicros: String(9n * USDC),
      }),
    ]);
    expect(result.ledger?.simulatedFunding).toEqual({ count: 1, totalMicros: String(10n * USDC) });
  });

  it('scans from a start block: the balance before it is the opening balance, earlier credits are out of range', async () => {
    const { chain: c, deps } = await world();
    const before = await c.balanceOf(c.config.treasuryAddress);
    const start = (await c.client.getBlockNumber()) + 1n;
    await onchainDeposit(c, deps, 8n * USDC);
    const result = await reconcileWithChain(deps, { startBlock: start });
    expect(result.status).toBe('ok');
    expect(result.explained).toEqual([]);
    expect(result.chain).toMatchObject({
      fromBlock: String(start),
      openingBalanceMicros: String(before),
      balanceMicros: String(before + 8n * USDC),
      transfersIn: { count: 1, totalMicros: String(8n * USDC) },
      balanceMatches: true,
    });
    expect(result.ledger?.deposits).toEqual({ count: 1, totalMicros: String(8n * USDC) });

    const later = (await c.client.getBlockNumber()) + 1n;
    const outOfRange = await reconcileWithChain(deps, { startBlock: later });
    expect(outOfRange.status).toBe('ok');
    expect(outOfRange.ledger?.deposits).toEqual({ count: 0, totalMicros: '0' });
    expect(outOfRange.chain?.openingBalanceMicros).toBe(String(before + 8n * USDC));
  });

  it('publishes it at GET /api/v1/metrics/chain-reconciliation, cached briefly, and says when there is no chain', async () => {
    const { chain: c, db, clock } = await world();
    useTestServices({ db, clock, chain: c.config, chainClient: c.client });
    clearReconciliationCache(db);
    const response = await call(getReconciliationRoute, '/api/v1/metrics/chain-reconciliation');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=30, stale-while-revalidate=60');
    const body = reconciliationSchema.parse(await response.json());
    expect(body.status).toBe('ok');
    expect(body.chain?.treasuryAddress).toBe(c.config.treasuryAddress.toLowerCase());
    expect(body.ledger?.deposits).toEqual({ count: 0, totalMicros: '0' });

    // An unbacked credit appears once the cached answer has expired (cleared here).
    await creditDeposit(db, clock, { customer: await createAccount(db), amountMicros: USDC, memo: 'x' });
    expect(
      (await (await call(getReconciliationRoute, '/api/v1/metrics/chain-reconciliation')).json()).status,
    ).toBe('ok');
    clearReconciliationCache(db);
    const failed = reconciliationSchema.parse(
      await (await call(getReconciliationRoute, '/api/v1/metrics/chain-reconciliation')).json(),
    );
    expect(failed.status).toBe('failed');
    expect(failed.differences.map((d) => d.kind)).toEqual(['unbacked_credit']);

    useTestServices({ db, clock, chain: null });
    const none = reconciliationSchema.parse(
      await (await call(getReconciliationRoute, '/api/v1/metrics/chain-reconciliation')).json(),
    );
    expect(none).toMatchObject({ status: 'unavailable', chain: null, ledger: null, differences: [] });
    expect(none.message).toMatch(/no chain is configured/i);

    // A chain that does not answer: unavailable, never a 5xx.
    useTestServices({
      db,
      clock,
      chain: offlineLocalChain(),
      chainClient: createPublicClient({ transport: http('http://127.0.0.1:9', { retryCount: 0 }) }),
    });
    clearReconciliationCache(db);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const offline = await call(getReconciliationRoute, '/api/v1/metrics/chain-reconciliation');
    expect(logged).toHaveBeenCalledWith('[reconciliation] the chain could not be read', expect.anything());
    logged.mockRestore();
    expect(offline.status).toBe(200);
    expect(reconciliationSchema.parse(await offline.json()).status).toBe('unavailable');
  });
});
