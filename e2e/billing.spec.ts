import { readFile } from 'node:fs/promises';
import type { DepositView } from '@/lib/deposits/schemas';
import { expect, test } from './fixtures';
import { BillingPage, shortAddress, usd } from './pages/billing-page';
import { pressUntilFocused } from './support/browser';
import {
  DEV_ACCOUNTS,
  TEST_WALLET_NAME,
  installInjectedWallet,
  sendTestUsdc,
  usdcBalance,
} from './support/injected-wallet';

/**
 * Wallet sign-in, deposits and the ledger against the production build and its local chain (anvil, a block a
 * second). The chain outlives a single test, so money is checked as deltas; each test signs in with its own
 * development account so their deposits never mix.
 */
test.describe('billing', () => {
  // Each deposit waits for real blocks and confirmations.
  test.describe.configure({ timeout: 120_000 });

  test('a browser wallet signs in, deposits 250 USDC and sees it credited', async ({
    page,
    context,
    axe,
  }) => {
    const address = DEV_ACCOUNTS[1];
    await installInjectedWallet(context, { address });
    const billing = new BillingPage(page);
    await billing.goto();

    await test.step('signed out: a sign-in link in the header, the wallet on offer, the test-chain notice', async () => {
      await expect(billing.signInLink).toBeVisible();
      await expect(billing.testChainNotice).toContainText('no value');
      await expect(billing.signInButton(TEST_WALLET_NAME)).toBeVisible();
    });

    await test.step('sign in with the injected wallet', async () => {
      await billing.signInButton(TEST_WALLET_NAME).click();
      await billing.expectSignedInAs(address);
    });

    const chain = await billing.api.chain();
    const before = await billing.api.availableMicros();
    const ledgerBefore = new Set((await billing.api.ledger()).map((entry) => entry.id));
    await expect(billing.stat('Available')).toHaveText(usd(before));
    await expect(billing.stat('Runway')).toHaveText('No running jobs');

    await test.step('deposit 250 USDC and watch its confirmations arrive', async () => {
      await billing.startDeposit('250');
      await expect(billing.depositSteps).toBeVisible();
      const seen = await billing.watchUntilCredited('$250.00');
      await expect(billing.confirmations).toHaveAttribute('max', String(chain.confirmations));
      expect(seen.at(-1), 'the bar ends full').toBe(chain.confirmations);
      expect(seen, 'confirmations only go up').toEqual([...seen].sort((a, b) => a - b));
      await expect(billing.depositSteps.getByRole('listitem')).toHaveText(
        Array.from({ length: 6 }, () => /\(done\)/),
      );
    });

    let deposit: DepositView | undefined;
    await test.step('the balance is $250.00 higher, on the page and in the API', async () => {
      await expect(billing.stat('Available')).toHaveText(usd(before + 250_000_000n));
      expect(await billing.api.availableMicros()).toBe(before + 250_000_000n);
      deposit = (await billing.api.deposits())[0];
      expect(deposit).toMatchObject({ state: 'credited', amountMicros: '250000000', rejection: null });
    });

    await test.step('the deposit history shows it credited, with no explorer link on the local chain', async () => {
      if (!deposit) throw new Error('no deposit');
      const row = billing.depositRow(deposit.id);
      await expect(row).toContainText('Credited');
      await expect(row).toContainText('$250.00');
      await expect(row.locator('code')).toHaveAttribute('title', deposit.txHash);
      await expect(row.getByRole('link')).toHaveCount(0);
    });

    const entry = (await billing.api.ledger()).find(
      (e) => !ledgerBefore.has(e.id) && e.kind === 'deposit' && e.account === 'customer_available',
    );
    await test.step('the ledger shows the deposit posting', async () => {
      expect(entry?.amountMicros).toBe('250000000');
      if (!entry) return;
      await expect(billing.ledgerRow(entry.id)).toContainText('Deposit');
      await expect(billing.ledgerRow(entry.id)).toContainText('+$250.00');
    });

    await test.step('the CSV download holds the same posting', async () => {
      if (!entry) throw new Error('no ledger entry');
      const [download] = await Promise.all([page.waitForEvent('download'), billing.downloadCsv.click()]);
      const csv = await readFile(await download.path(), 'utf8');
      const line = csv.split('\n').find((l) => l.startsWith(`${entry.id},`));
      expect(line, 'a CSV line for the posting').toBeDefined();
      expect(line).toContain(entry.transactionId);
      expect(line).toContain(',deposit,customer_available,usdc,250000000,');
    });

    await test.step('withdraw $7.50 of the unused balance: the wallet holds exactly $7.50 more', async () => {
      const usdc = chain.usdcAddress as `0x${string}`;
      const walletBefore = await usdcBalance(usdc, address);
      const availableBefore = await billing.api.availableMicros();
      const card = billing.withdrawCard;
      await card.getByRole('textbox', { name: 'Amount (USDC, optional)' }).fill('7.50');
      await card.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await expect(card.getByRole('list', { name: 'Withdrawal steps' })).toBeVisible();
      await expect(card.getByRole('status')).toHaveText(/^Confirmed: \$7\.50 sent to your wallet\.$/, {
        timeout: 60_000,
      });
      expect(await usdcBalance(usdc, address)).toBe(walletBefore + 7_500_000n);
      expect(await billing.api.availableMicros()).toBe(availableBefore - 7_500_000n);
      await expect(billing.stat('Available')).toHaveText(usd(availableBefore - 7_500_000n));
      await expect(card.getByRole('table', { name: 'Withdrawals, newest first' })).toContainText('Confirmed');
    });

    await axe.expectNoSeriousViolations('billing, signed in after a deposit and a withdrawal');

    await test.step('this month’s statement: the deposit and the withdrawal, closing at the available balance', async () => {
      const month = new Date().toISOString().slice(0, 7);
      await billing.card('Monthly statements').getByRole('link', { name: 'Open the statement' }).click();
      await expect(page).toHaveURL(new RegExp(`/billing/statements/${month}$`));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Statement for \w+ \d{4}$/);
      const available = page.getByRole('table', { name: /^Available:/ });
      await expect(available.getByRole('row', { name: /^Deposit / })).toContainText('+$250.00');
      await expect(available.getByRole('row', { name: /^Withdrawal set aside / })).toContainText('−$7.50');
      await expect(available.getByRole('row', { name: /^Closing balance / })).toContainText(
        usd(await billing.api.availableMicros()),
      );
      const csv = await page.request.get(`/api/v1/statements/${month}?format=csv`);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect(await csv.text()).toContain(',withdrawal_reserve,customer_available,usdc,-7500000,');
      await axe.expectGoodEverywhere('the monthly statement');
    });
  });

  test("another wallet sees none of the first wallet's deposits or ledger", async ({
    browser,
    page,
    context,
  }, testInfo) => {
    const first = new BillingPage(page);
    await installInjectedWallet(context, { address: DEV_ACCOUNTS[4] });
    await first.goto();
    await first.signInButton(TEST_WALLET_NAME).click();
    await first.expectSignedInAs(DEV_ACCOUNTS[4]);
    const chain = await first.api.chain();

    const { id, txHash } = await test.step('the first wallet deposits 5 USDC', async () => {
      // Sent from the wallet outside the dashboard, then reported through the API as any client would.
      const hash = await sendTestUsdc(
        DEV_ACCOUNTS[4],
        chain.treasuryAddress as `0x${string}`,
        chain.usdcAddress as `0x${string}`,
        5_000_000n,
      );
      const answer = await page.evaluate(
        async (body) => {
          const response = await fetch('/api/v1/deposits', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: response.status, body: (await response.json()) as DepositView };
        },
        { chainId: chain.chainId, txHash: hash, expectedAmountMicros: '5000000' },
      );
      expect(answer.status, 'POST /api/v1/deposits').toBeLessThan(300);
      await expect
        .poll(async () => (await first.api.deposit(answer.body.id)).state, { timeout: 30_000 })
        .toBe('credited');
      await first.page.reload();
      await expect(first.depositRow(answer.body.id)).toContainText('Credited');
      return { id: answer.body.id, txHash: hash };
    });
    const firstTransactions = new Set((await first.api.ledger()).map((e) => e.transactionId));
    expect(firstTransactions.size).toBeGreaterThan(0);

    const otherContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    try {
      await installInjectedWallet(otherContext, { address: DEV_ACCOUNTS[5] });
      const second = new BillingPage(await otherContext.newPage());
      await second.goto();
      await second.signInButton(TEST_WALLET_NAME).click();
      await second.expectSignedInAs(DEV_ACCOUNTS[5]);

      await test.step('the page lists none of them', async () => {
        await expect(second.depositsCard).toContainText('No deposits yet');
        await expect(second.ledgerCard).toContainText('No ledger entries yet');
        await expect(second.main).not.toContainText(txHash.slice(0, 8));
      });

      await test.step('the API answers 404 for the first wallet’s deposit and lists nothing of it', async () => {
        expect((await second.api.get(`/api/v1/deposits/${id}`)).status()).toBe(404);
        expect((await second.api.deposits()).map((d) => d.id)).not.toContain(id);
        const leaked = (await second.api.ledger()).filter((e) => firstTransactions.has(e.transactionId));
        expect(leaked).toEqual([]);
        expect((await first.api.get(`/api/v1/deposits/${id}`)).status(), 'the owner still sees it').toBe(200);
      });
    } finally {
      await otherContext.close();
    }
  });

  test('signing out ends the session everywhere', async ({ page, context }) => {
    const address = DEV_ACCOUNTS[6];
    await installInjectedWallet(context, { address });
    const billing = new BillingPage(page);
    await billing.goto();
    await billing.signInButton(TEST_WALLET_NAME).click();
    await billing.expectSignedInAs(address);

    await billing.signOutButton.click();
    await expect(billing.signInLink).toBeVisible();
    await expect(billing.signInCard).toBeVisible();
    // The wallet stays connected, so signing in again is one click.
    await expect(
      billing.signInCard.getByRole('button', { name: `Sign in as ${shortAddress(address)}` }),
    ).toBeVisible();
    expect((await billing.api.session()).account).toBeNull();
    expect((await billing.api.get('/api/v1/balance')).status()).toBe(401);

    await test.step('still signed out after a reload and on other pages', async () => {
      await page.reload();
      await expect(billing.signInCard).toBeVisible();
      await page.goto('/market');
      await expect(billing.signInLink).toBeVisible();
    });
  });

  test('a declined signature is explained and signs nobody in', async ({ page, context }) => {
    await installInjectedWallet(context, { address: DEV_ACCOUNTS[7], rejectSignatures: true });
    const billing = new BillingPage(page);
    await billing.goto();
    await billing.signInButton(TEST_WALLET_NAME).click();
    await expect(billing.signInError).toContainText('You declined the request in your wallet.');
    await expect(billing.signInSteps.getByRole('listitem').nth(2)).toContainText('(failed)');
    await expect(billing.signInLink).toBeVisible();
    expect((await billing.api.session()).account).toBeNull();
  });

  test('the local test wallet works without a wallet extension, by keyboard, with a low-balance alert', async ({
    page,
    axe,
  }) => {
    const address = DEV_ACCOUNTS[3];
    const billing = new BillingPage(page);
    await billing.goto();

    await test.step('no extension: the local test wallet is offered and says what it is', async () => {
      await expect(billing.signInCard).toContainText('No wallet extension found');
      await expect(billing.signInCard).toContainText('holding test USDC with no value');
      await axe.expectNoSeriousViolations('billing, signed out');
    });

    await test.step('choose test account #3 and sign in with the keyboard', async () => {
      await billing.testAccountSelect.selectOption(address);
      const button = billing.signInButton('local test wallet');
      await pressUntilFocused(page, button);
      await page.keyboard.press('Enter');
      await billing.expectSignedInAs(address);
    });

    const before = await billing.api.availableMicros();
    await test.step('deposit 1.50 USDC with the keyboard', async () => {
      await pressUntilFocused(page, billing.amountInput);
      await page.keyboard.type('1.5');
      await page.keyboard.press('Enter');
      await billing.watchUntilCredited('$1.50');
      await expect(billing.stat('Available')).toHaveText(usd(before + 1_500_000n));
    });

    await test.step('a low-balance alert above the balance shows the banner; turning it off hides it', async () => {
      const threshold = billing.card('Low-balance alert');
      const banner = billing.main.getByRole('note').filter({ hasText: 'Low balance.' });
      await threshold.getByRole('textbox', { name: 'Alert below (USDC)' }).fill('1000000');
      await threshold.getByRole('button', { name: 'Save' }).click();
      await expect(threshold.getByRole('status')).toHaveText('Saved: alert below $1,000,000.00.');
      await expect(banner).toContainText('below your alert threshold of $1,000,000.00');
      await page.reload();
      await expect(banner).toBeVisible();
      // The local test wallet reconnects by itself after a reload, ready to deposit.
      await expect(billing.amountInput).toBeVisible();
      await threshold.getByRole('button', { name: 'Turn off' }).click();
      await expect(threshold.getByRole('status')).toHaveText('Low-balance alert turned off.');
      await expect(banner).toHaveCount(0);
      await threshold.getByRole('textbox', { name: 'Alert below (USDC)' }).fill('1000000');
      await threshold.getByRole('button', { name: 'Save' }).click();
      await expect(banner).toBeVisible();
    });

    await test.step('light and dark, and at 375 px wide without sideways scrolling', async () => {
      await axe.expectGoodEverywhere('billing, signed in, with a low-balance alert');
    });
  });
});
