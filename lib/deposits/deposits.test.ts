import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle, Db } from '@/lib/db/client';
import { deposits, ledgerTransactions } from '@/lib/db/schema';
import { REORG_GRACE_MS, advanceDeposits, depositIdempotencyKey } from '@/lib/deposits/advance-deposits';
import { attributeDeposits } from '@/lib/deposits/attribute-deposits';
import type { ChainDeps } from '@/lib/chain/deps';
import { indexTreasuryTransfers } from '@/lib/deposits/indexer';
import { submitDeposit } from '@/lib/deposits/submit-deposit';
import { createAccount, startTestChain, type TestChain } from '@/lib/testing/test-chain';
import { getDeposit, listDeposits } from '@/lib/deposits/views';
import { recordTransfer } from '@/lib/deposits/store';
import { LOCAL_DEPLOYER_INDEX, devAccount } from '@/lib/chain/local-chain';
import { balanceOf, getBalances } from '@/lib/ledger/operations';
import { getMetricSeries } from '@/lib/metrics/queries';
import { refreshMetricRollups } from '@/lib/metrics/rollups';
import { expectLedgerConsistent } from '@/lib/testing/ledger-audit';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const USDC = 1_000_000n;
const clock = new ManualClock('2026-11-25T00:00:00Z');

let chain: TestChain;
beforeAll(async () => {
  chain = await startTestChain({ confirmations: 3 });
});
afterAll(() => chain?.stop());

async function available(db: Db, accountId: string): Promise<bigint> {
  return balanceOf(await getBalances(db, accountId), 'customer_available');
}

async function rowsOf(db: Db, txHash: string) {
  return db.select().from(deposits).where(eq(deposits.txHash, txHash.toLowerCase()));
}

describe.each(TEST_ENGINES)('deposits on %s', (engine) => {
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

  /** A wallet with test USDC, the account it signs in to, and a transfer of `amount` to the treasury. */
  async function depositor(amount: bigint) {
    const wallet = await chain.fundedWallet(amount);
    const accountId = await createAccount(db, wallet.address);
    const receipt = await chain.transfer(wallet, chain.config.treasuryAddress, amount);
    expect(receipt.status).toBe('success');
    return { wallet, accountId, txHash: receipt.transactionHash };
  }

  it('credits a transfer once it has the required confirmations, and only then', async () => {
    const { wallet, accountId, txHash } = await depositor(25n * USDC);
    const submit = () =>
      submitDeposit(deps, {
        accountId,
        walletAddress: wallet.address,
        chainId: chain.config.chainId,
        txHash,
      });

    const seen = await submit();
    expect(seen).toMatchObject({
      state: 'seen',
      rejection: null,
      amountMicros: String(25n * USDC),
      fromAddress: wallet.address.toLowerCase(),
      txHash: txHash.toLowerCase(),
      source: 'dashboard',
      confirmations: 1,
      confirmationsRequired: 3,
      explorerUrl: null,
      creditedAt: null,
    });
    expect(seen.logIndex).toEqual(expect.any(Number));

    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 0 });
    await chain.mine(1);
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 0 });
    expect((await getDeposit(deps, accountId, seen.id)).confirmations).toBe(2);
    expect(await available(db, accountId)).toBe(0n);

    await chain.mine(1);
    expect(await advanceDeposits(deps)).toEqual({ credited: 1, rejected: 0 });
    const credited = await getDeposit(deps, accountId, seen.id);
    expect(credited).toMatchObject({
      state: 'credited',
      confirmations: 3,
      creditedAt: clock.now().toISOString(),
    });
    expect(await available(db, accountId)).toBe(25n * USDC);

    // Submitting again, or advancing again, changes nothing.
    expect((await submit()).id).toBe(seen.id);
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 0 });
    expect(await available(db, accountId)).toBe(25n * USDC);
    const [row] = await rowsOf(db, txHash);
    const [ledger] = await db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, row?.ledgerTransactionId ?? ''));
    expect(ledger?.idempotencyKey).toBe(
      `deposit:${chain.config.chainId}:${txHash.toLowerCase()}:${row?.logIndex}`,
    );
  });

  it('credits a submission right away when the transfer already has its confirmations', async () => {
    const { wallet, accountId, txHash } = await depositor(3n * USDC);
    await chain.mine(2);
    const view = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash,
      expectedAmountMicros: 3n * USDC,
    });
    expect(view).toMatchObject({ state: 'credited', confirmations: 3 });
    expect(await available(db, accountId)).toBe(3n * USDC);
  });

  it('rejects a look-alike token sent to the treasury (not_usdc)', async () => {
    const wallet = await chain.fundedWallet(0n);
    const accountId = await createAccount(db, wallet.address);
    const fake = await chain.deployLookAlike();
    await chain.mint(fake, wallet.address, 1_000n * USDC);
    const receipt = await chain.transfer(wallet, chain.config.treasuryAddress, 1_000n * USDC, {
      token: fake,
    });
    expect(receipt.status).toBe('success');
    const input = {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash: receipt.transactionHash,
    };
    const view = await submitDeposit(deps, input);
    expect(view).toMatchObject({
      state: 'rejected',
      rejection: 'not_usdc',
      amountMicros: null,
      logIndex: null,
    });
    expect((await submitDeposit(deps, input)).id).toBe(view.id);
    await chain.mine(3);
    await indexTreasuryTransfers(deps);
    await advanceDeposits(deps);
    expect(await rowsOf(db, receipt.transactionHash)).toHaveLength(1);
    expect(await available(db, accountId)).toBe(0n);
  });

  it('rejects a transaction that was mined but reverted (transaction_failed)', async () => {
    const wallet = await chain.fundedWallet(1n * USDC);
    const accountId = await createAccount(db, wallet.address);
    // More than the balance, with a manual gas limit so it is sent (and mined) instead of refused up front.
    const receipt = await chain.transfer(wallet, chain.config.treasuryAddress, 500n * USDC, {
      gas: 120_000n,
    });
    expect(receipt.status).toBe('reverted');
    const view = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash: receipt.transactionHash,
    });
    expect(view).toMatchObject({ state: 'rejected', rejection: 'transaction_failed', confirmations: 0 });
    expect(await available(db, accountId)).toBe(0n);
  });

  it('rejects a USDC transfer to another address (wrong_recipient)', async () => {
    const wallet = await chain.fundedWallet(10n * USDC);
    const accountId = await createAccount(db, wallet.address);
    const elsewhere = (await chain.fundedWallet(0n)).address;
    const receipt = await chain.transfer(wallet, elsewhere, 10n * USDC);
    const view = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash: receipt.transactionHash,
    });
    expect(view).toMatchObject({ state: 'rejected', rejection: 'wrong_recipient' });
    expect(await available(db, accountId)).toBe(0n);
  });

  it('rejects another chain (wrong_chain) and refuses an unknown transaction without storing it', async () => {
    const accountId = await createAccount(db);
    const walletAddress = `0x${randomBytes(20).toString('hex')}`;
    const txHash = `0x${randomBytes(32).toString('hex')}`;
    const view = await submitDeposit(deps, { accountId, walletAddress, chainId: 8453, txHash });
    expect(view).toMatchObject({
      state: 'rejected',
      rejection: 'wrong_chain',
      chainId: 8453,
      logIndex: null,
    });
    expect((await submitDeposit(deps, { accountId, walletAddress, chainId: 8453, txHash })).id).toBe(view.id);

    const unknown = `0x${randomBytes(32).toString('hex')}`;
    await expect(
      submitDeposit(deps, { accountId, walletAddress, chainId: chain.config.chainId, txHash: unknown }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(await rowsOf(db, unknown)).toEqual([]);
  });

  it('credits the amount of the log, never a claimed one (amount_mismatch)', async () => {
    const { wallet, accountId, txHash } = await depositor(5n * USDC);
    await chain.mine(3);
    const view = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash,
      expectedAmountMicros: 500n * USDC,
    });
    expect(view).toMatchObject({
      state: 'rejected',
      rejection: 'amount_mismatch',
      amountMicros: String(5n * USDC),
    });
    await advanceDeposits(deps);
    expect(await available(db, accountId)).toBe(0n);

    // The refused submission claimed no log: the transfer itself is real, and the indexer credits what it was.
    await indexTreasuryTransfers(deps);
    await advanceDeposits(deps);
    expect(await available(db, accountId)).toBe(5n * USDC);
  });

  it("doesn't let a stranger claim or block someone else's transfer", async () => {
    const { wallet, accountId, txHash } = await depositor(8n * USDC);
    const stranger = await chain.fundedWallet(0n);
    const strangerId = await createAccount(db, stranger.address);
    await expect(
      submitDeposit(deps, {
        accountId: strangerId,
        walletAddress: stranger.address,
        chainId: chain.config.chainId,
        txHash,
      }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(await rowsOf(db, txHash)).toEqual([]);

    await chain.mine(2);
    const mine = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash,
    });
    expect(mine.state).toBe('credited');
    expect(await available(db, accountId)).toBe(8n * USDC);
    expect(await available(db, strangerId)).toBe(0n);
  });

  it('rejects a submitted transfer that a reorg removed (reorged), and never credits it', async () => {
    const snapshot = await chain.rpc('evm_snapshot');
    const { wallet, accountId, txHash } = await depositor(40n * USDC);
    const seen = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash,
    });
    expect(seen).toMatchObject({ state: 'seen', confirmations: 1 });

    expect(await chain.rpc('evm_revert', [snapshot])).toBe(true);
    await chain.mine(5);
    // Missing, but maybe only from a lagging node: it waits (uncredited) for the grace period first.
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 0 });
    expect(await getDeposit(deps, accountId, seen.id)).toMatchObject({ state: 'seen' });
    clock.advance(REORG_GRACE_MS);
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 1 });
    expect(await getDeposit(deps, accountId, seen.id)).toMatchObject({
      state: 'rejected',
      rejection: 'reorged',
      confirmations: 0,
    });
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 0 });
    expect(await available(db, accountId)).toBe(0n);
  });

  it('rejects an indexed transfer that a reorg removed', async () => {
    const snapshot = await chain.rpc('evm_snapshot');
    const { accountId, txHash } = await depositor(6n * USDC);
    await indexTreasuryTransfers(deps);
    const [row] = await rowsOf(db, txHash);
    expect(row).toMatchObject({ state: 'seen', source: 'indexer', accountId });

    await chain.rpc('evm_revert', [snapshot]);
    await chain.mine(5);
    await indexTreasuryTransfers(deps);
    clock.advance(REORG_GRACE_MS);
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 1 });
    expect(await rowsOf(db, txHash)).toMatchObject([{ state: 'rejected', rejection: 'reorged' }]);
    expect(await available(db, accountId)).toBe(0n);
  });

  it('revives a reorged deposit when the same transaction is mined again at the same place', async () => {
    const wallet = await chain.fundedWallet(4n * USDC);
    const accountId = await createAccount(db, wallet.address);
    const snapshot = await chain.rpc('evm_snapshot');
    const raw = await chain.signTransfer(wallet, chain.config.treasuryAddress, 4n * USDC);
    const txHash = await chain.sendRaw(raw);
    await chain.client.waitForTransactionReceipt({ hash: txHash, pollingInterval: 50 });
    const input = { accountId, walletAddress: wallet.address, chainId: chain.config.chainId, txHash };
    const seen = await submitDeposit(deps, input);
    await chain.rpc('evm_revert', [snapshot]);
    await chain.mine(3);
    clock.advance(REORG_GRACE_MS);
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 1 });

    await chain.sendRaw(raw);
    await chain.client.waitForTransactionReceipt({ hash: txHash, pollingInterval: 50 });
    await indexTreasuryTransfers(deps);
    expect(await getDeposit(deps, accountId, seen.id)).toMatchObject({ state: 'seen', rejection: null });
    await chain.mine(2);
    expect(await submitDeposit(deps, input)).toMatchObject({ id: seen.id, state: 'credited' });
    expect(await available(db, accountId)).toBe(4n * USDC);
  });

  /**
   * A reorg that drops the transfer's block, after which the very same signed transaction is mined again in a
   * later block behind another treasury transfer, so its log index changes.
   */
  async function remineBehindAnother() {
    const wallet = await chain.fundedWallet(9n * USDC);
    const accountId = await createAccount(db, wallet.address);
    const other = await chain.fundedWallet(1n * USDC);
    const snapshot = await chain.rpc('evm_snapshot');
    const raw = await chain.signTransfer(wallet, chain.config.treasuryAddress, 9n * USDC);
    const txHash = await chain.sendRaw(raw);
    await chain.client.waitForTransactionReceipt({ hash: txHash, pollingInterval: 50 });
    const seen = await submitDeposit(deps, {
      accountId,
      walletAddress: wallet.address,
      chainId: chain.config.chainId,
      txHash,
    });
    expect(seen).toMatchObject({ state: 'seen', logIndex: 0 });

    await chain.rpc('evm_revert', [snapshot]);
    await chain.mine(2);
    await chain.rpc('evm_setAutomine', [false]);
    try {
      const first = await chain.signTransfer(other, chain.config.treasuryAddress, 1n * USDC, 5_000_000_000n);
      await chain.sendRaw(first);
      await chain.sendRaw(raw);
      await chain.mine(1);
    } finally {
      await chain.rpc('evm_setAutomine', [true]);
    }
    const receipt = await chain.client.getTransactionReceipt({ hash: txHash });
    expect(receipt.logs[0]?.logIndex).toBe(1);
    return { accountId, txHash, seen, receipt };
  }

  it('follows a transfer re-mined in another block to its new place, and credits it once', async () => {
    const { accountId, txHash, seen, receipt } = await remineBehindAnother();
    expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 0 });
    expect(await getDeposit(deps, accountId, seen.id)).toMatchObject({
      state: 'seen',
      logIndex: 1,
      blockNumber: receipt.blockNumber.toString(),
    });
    await indexTreasuryTransfers(deps);
    await chain.mine(2);
    expect(await advanceDeposits(deps)).toMatchObject({ credited: 1, rejected: 0 });
    expect(await rowsOf(db, txHash)).toMatchObject([{ id: seen.id, state: 'credited', logIndex: 1 }]);
    expect(await available(db, accountId)).toBe(9n * USDC);
  });

  it('credits a re-mined transfer once when the indexer found it at its new place first', async () => {
    const { accountId, txHash, seen } = await remineBehindAnother();
    await indexTreasuryTransfers(deps);
    expect(await rowsOf(db, txHash)).toHaveLength(2);
    await chain.mine(2);
    expect(await advanceDeposits(deps)).toMatchObject({ credited: 1, rejected: 1 });
    const rows = await rowsOf(db, txHash);
    expect(rows.find((r) => r.id === seen.id)).toMatchObject({ state: 'rejected', rejection: 'reorged' });
    expect(rows.filter((r) => r.state === 'credited')).toMatchObject([{ logIndex: 1, source: 'indexer' }]);
    expect(await available(db, accountId)).toBe(9n * USDC);
  });

  it('credits exactly once under 100 concurrent submissions, the indexer and concurrent advances', async () => {
    const { wallet, accountId, txHash } = await depositor(42n * USDC);
    await chain.mine(3);
    const input = { accountId, walletAddress: wallet.address, chainId: chain.config.chainId, txHash };
    const [submissions] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, () => submitDeposit(deps, input))),
      indexTreasuryTransfers(deps),
      ...Array.from({ length: 4 }, () => advanceDeposits(deps)),
    ]);
    expect(new Set(submissions.map((s) => s.id)).size).toBe(1);
    expect(await rowsOf(db, txHash)).toMatchObject([{ state: 'credited' }]);
    const [row] = await rowsOf(db, txHash);
    const credits = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.idempotencyKey, row ? depositIdempotencyKey(row) : ''));
    expect(credits).toEqual([{ n: 1 }]);
    expect(await available(db, accountId)).toBe(42n * USDC);
  });

  it('indexes transfers made outside the dashboard, and keeps unknown senders until they sign in', async () => {
    const known = await depositor(10n * USDC);
    const unknownWallet = await chain.fundedWallet(7n * USDC);
    const unknown = await chain.transfer(unknownWallet, chain.config.treasuryAddress, 7n * USDC);
    await chain.mine(3);

    const { found } = await indexTreasuryTransfers(deps);
    expect(found).toBeGreaterThanOrEqual(2);
    await advanceDeposits(deps);
    expect(await rowsOf(db, known.txHash)).toMatchObject([
      { state: 'credited', source: 'indexer', accountId: known.accountId },
    ]);
    expect(await available(db, known.accountId)).toBe(10n * USDC);
    expect(await rowsOf(db, unknown.transactionHash)).toMatchObject([
      { state: 'unattributed', accountId: null, amountMicros: 7n * USDC },
    ]);
    // A second scan finds nothing new and loses nothing.
    await indexTreasuryTransfers(deps);
    expect(await rowsOf(db, unknown.transactionHash)).toHaveLength(1);

    const newcomer = await createAccount(db, unknownWallet.address);
    expect(
      await attributeDeposits(deps, { accountId: newcomer, walletAddress: unknownWallet.address }),
    ).toEqual({
      attributed: 1,
    });
    expect(await advanceDeposits(deps)).toMatchObject({ credited: 1 });
    expect(await available(db, newcomer)).toBe(7n * USDC);
    const page = await listDeposits(deps, newcomer, { limit: 10 });
    expect(page.items).toMatchObject([
      { state: 'credited', source: 'indexer', amountMicros: String(7n * USDC) },
    ]);
  });

  it('gives a transfer to an account created after the indexer found it, on its next scan', async () => {
    const wallet = await chain.fundedWallet(2n * USDC);
    const receipt = await chain.transfer(wallet, chain.config.treasuryAddress, 2n * USDC);
    await chain.mine(2);
    await indexTreasuryTransfers(deps);
    expect(await rowsOf(db, receipt.transactionHash)).toMatchObject([{ state: 'unattributed' }]);
    const accountId = await createAccount(db, wallet.address);
    expect(await indexTreasuryTransfers(deps)).toMatchObject({ attributed: 1 });
    expect(await advanceDeposits(deps)).toMatchObject({ credited: 1 });
    expect(await available(db, accountId)).toBe(2n * USDC);
  });

  describe('transfers from addresses the platform controls (probe class 6)', () => {
    /** The reconciliation metric of the clock's day, refreshed from the raw records first. */
    async function reconciliationToday() {
      const day = clock.now().toISOString().slice(0, 10);
      const from = new Date(`${day}T00:00:00Z`);
      await refreshMetricRollups(db, { from, to: new Date(from.getTime() + 86_400_000) });
      const series = await getMetricSeries(
        db,
        clock,
        'reconciliation',
        { from: day, to: day, granularity: 'day' },
        { simulated: false },
      );
      expect(series.rows).toHaveLength(1);
      return series.rows[0];
    }

    function treasury() {
      const account = chain.config.treasuryAccount;
      if (!account) throw new Error('the test chain signs with its treasury');
      return account;
    }

    it('a treasury transfer to itself credits nobody, is recorded as platform_sender, and is not counted as backed by the chain (probe class 6)', async () => {
      const before = await reconciliationToday();
      const self = treasury();
      // Even an account holding the treasury wallet (anyone, on the local chain: its key is public).
      const treasuryId = await createAccount(db, self.address);
      const receipt = await chain.transfer(self, chain.config.treasuryAddress, 50n * USDC);
      expect(receipt.status).toBe('success');
      await chain.mine(3);

      const claim = await submitDeposit(deps, {
        accountId: treasuryId,
        walletAddress: self.address,
        chainId: chain.config.chainId,
        txHash: receipt.transactionHash,
        expectedAmountMicros: 50n * USDC,
      });
      expect(claim).toMatchObject({
        state: 'rejected',
        rejection: 'platform_sender',
        rejectionMessage: expect.stringMatching(/^Rejected: .*address Backfill itself controls/),
        amountMicros: String(50n * USDC),
        fromAddress: self.address.toLowerCase(),
        creditedAt: null,
      });
      expect(await getDeposit(deps, treasuryId, claim.id)).toMatchObject({
        state: 'rejected',
        rejection: 'platform_sender',
      });
      // A repeat answers the same refusal.
      const again = await submitDeposit(deps, {
        accountId: treasuryId,
        walletAddress: self.address,
        chainId: chain.config.chainId,
        txHash: receipt.transactionHash,
      });
      expect(again.id).toBe(claim.id);

      // The indexer records the transfer itself, owned by nobody, with the same reason.
      await indexTreasuryTransfers(deps);
      await advanceDeposits(deps);
      expect(await attributeDeposits(deps, { accountId: treasuryId, walletAddress: self.address })).toEqual({
        attributed: 0,
      });
      await advanceDeposits(deps);
      const rows = await rowsOf(db, receipt.transactionHash);
      expect(rows).toHaveLength(2);
      expect(rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            source: 'dashboard',
            accountId: treasuryId,
            logIndex: null,
            state: 'rejected',
            rejection: 'platform_sender',
          }),
          expect.objectContaining({
            source: 'indexer',
            accountId: null,
            logIndex: expect.any(Number),
            state: 'rejected',
            rejection: 'platform_sender',
            amountMicros: 50n * USDC,
          }),
        ]),
      );
      for (const row of rows) expect(row.ledgerTransactionId).toBeNull();
      expect(await available(db, treasuryId)).toBe(0n);

      // The reconciliation counts nothing of it: no ledger credit, nothing "backed by the chain".
      const after = await reconciliationToday();
      expect(after?.depositsLedgerMicros).toBe(before?.depositsLedgerMicros);
      expect(after?.depositsOnchainMicros).toBe(before?.depositsOnchainMicros);
      expect(after?.depositsUnreconciledMicros).toBe('0');
    });

    it('never credits a transfer from another platform wallet, nor one recorded as open before the check existed (probe class 6)', async () => {
      // LOCAL CHAIN ONLY: development account 0 deploys and mints the test USDC; the platform holds its key.
      const deployer = devAccount(LOCAL_DEPLOYER_INDEX);
      const minted = await chain.transfer(deployer, chain.config.treasuryAddress, 3n * USDC);
      await chain.mine(3);
      await indexTreasuryTransfers(deps);
      expect(await rowsOf(db, minted.transactionHash)).toMatchObject([
        { state: 'rejected', rejection: 'platform_sender', accountId: null, source: 'indexer' },
      ]);
      // Not unattributed: an account signing in with that wallet later gets nothing.
      const deployerId = await createAccount(db, deployer.address);
      expect(
        await attributeDeposits(deps, { accountId: deployerId, walletAddress: deployer.address }),
      ).toEqual({ attributed: 0 });
      await indexTreasuryTransfers(deps);
      await advanceDeposits(deps);
      expect(await rowsOf(db, minted.transactionHash)).toMatchObject([{ state: 'rejected' }]);
      expect(await available(db, deployerId)).toBe(0n);

      // A row left open by an earlier version (recorded as `seen` for some account) is refused where credits
      // happen, before anything is posted.
      const self = treasury();
      const receipt = await chain.transfer(self, chain.config.treasuryAddress, 11n * USDC);
      await chain.mine(3);
      const legacyOwner = await createAccount(db);
      const [log] = receipt.logs;
      await recordTransfer(db, clock, {
        chainId: chain.config.chainId,
        txHash: receipt.transactionHash,
        logIndex: log?.logIndex ?? 0,
        fromAddress: self.address.toLowerCase() as `0x${string}`,
        amountMicros: 11n * USDC,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        accountId: legacyOwner,
        source: 'indexer',
        confirmationsRequired: chain.config.confirmations,
      });
      expect(await rowsOf(db, receipt.transactionHash)).toMatchObject([{ state: 'seen' }]);
      expect(await advanceDeposits(deps)).toEqual({ credited: 0, rejected: 1 });
      expect(await rowsOf(db, receipt.transactionHash)).toMatchObject([
        { state: 'rejected', rejection: 'platform_sender', ledgerTransactionId: null },
      ]);
      expect(await available(db, legacyOwner)).toBe(0n);
      const after = await reconciliationToday();
      expect(after?.depositsUnreconciledMicros).toBe('0');
    });
  });

  it('shows an account only its own deposits, newest first, page by page', async () => {
    const accountId = await createAccount(db);
    const walletAddress = `0x${randomBytes(20).toString('hex')}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000);
      const txHash = `0x${randomBytes(32).toString('hex')}`;
      ids.push((await submitDeposit(deps, { accountId, walletAddress, chainId: 8453, txHash })).id);
    }
    const first = await listDeposits(deps, accountId, { limit: 2 });
    expect(first.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listDeposits(deps, accountId, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    await expect(listDeposits(deps, accountId, { limit: 2, cursor: 'nonsense' })).rejects.toMatchObject({
      code: 'bad_request',
    });

    const other = await createAccount(db);
    expect(await listDeposits(deps, other, { limit: 10 })).toEqual({ items: [], nextCursor: null });
    await expect(getDeposit(deps, other, ids[0] ?? '')).rejects.toMatchObject({ code: 'not_found' });
    await expect(getDeposit(deps, accountId, 'not-a-uuid')).rejects.toMatchObject({ code: 'not_found' });
    expect((await getDeposit(deps, accountId, ids[0] ?? '')).id).toBe(ids[0]);
    expect(
      await db
        .select({ n: sql<number>`count(*)::int` })
        .from(deposits)
        .where(and(eq(deposits.accountId, accountId), eq(deposits.rejection, 'wrong_chain'))),
    ).toEqual([{ n: 3 }]);
  });
});
