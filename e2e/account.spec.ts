import { expect, test } from './fixtures';
import { shortAddress } from './pages/billing-page';
import { waitForHydration } from './support/browser';
import { DEV_ACCOUNTS, TEST_WALLET_NAME, installInjectedWallet } from './support/injected-wallet';

/**
 * Signing in from the header of any page (and back to it, query included) or from a page's own prompt (in a
 * dialog over it), then API keys on /account:
 * created with scopes and shown once, used as a bearer key within those scopes, revoked after a confirmation.
 */
test.describe('account', () => {
  test('sign in from the header and from a page, create a scoped API key, use it, revoke it', async ({
    page,
    context,
    axe,
  }) => {
    test.setTimeout(90_000);
    const address = DEV_ACCOUNTS[5];
    await installInjectedWallet(context, { address });
    const header = page.getByRole('banner');

    await test.step('signed out on a filtered market: the header signs in and comes back to the same view', async () => {
      await page.goto('/market?verified=true');
      const link = header.getByRole('link', { name: 'Sign in' });
      await waitForHydration(link);
      await link.click();
      await expect(page).toHaveURL(/\/signin\?next=%2Fmarket%3Fverified%3Dtrue$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
      await page.getByRole('button', { name: `Sign in with ${TEST_WALLET_NAME}`, exact: true }).click();
      await expect(page).toHaveURL(/\/market\?verified=true$/, { timeout: 30_000 });
      await expect(header.getByText('Signed in as')).toBeVisible();
    });

    await test.step('signed out on /account: the prompt signs in over the page, which stays /account', async () => {
      await header.getByRole('button', { name: 'Sign out' }).click();
      await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
      await page.goto('/account');
      const open = page.getByRole('main').getByRole('button', { name: 'Sign in with your wallet' });
      await waitForHydration(open);
      await open.click();
      const dialog = page.getByRole('dialog', { name: 'Sign in to Backfill' });
      await expect(dialog).toBeVisible();
      await axe.expectNoSeriousViolations('/account, sign-in dialog');
      // The wallet stayed connected through the sign-out: it signs in again as the same address.
      await dialog.getByRole('button', { name: `Sign in as ${shortAddress(address)}` }).click();
      await expect(header.getByText('Signed in as')).toBeVisible({ timeout: 30_000 });
      await expect(dialog).toBeHidden();
      await expect(page).toHaveURL(/\/account$/);
    });

    await header.getByRole('link', { name: 'Account' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account');
    const form = page.locator('section').filter({
      has: page.getByRole('heading', { name: 'Create an API key' }),
    });

    await test.step('a key needs a name and a scope, checked in the browser by the API schema', async () => {
      await waitForHydration(form.getByRole('button', { name: 'Create key' }));
      await form.getByRole('button', { name: 'Create key' }).click();
      await expect(form.getByRole('alert')).toContainText('Name');
      await form.getByLabel('Name').fill('notebook');
      for (const scope of ['read', 'jobs'])
        await form.getByRole('checkbox', { name: new RegExp(`^${scope} `) }).uncheck();
      await form.getByRole('button', { name: 'Create key' }).click();
      await expect(form.getByRole('alert')).toHaveText('Choose at least one scope.');
      await form.getByRole('checkbox', { name: /^read / }).check();
      await form.getByRole('checkbox', { name: /^jobs / }).check();
    });

    let key = '';
    await test.step('created: shown once, with its scopes', async () => {
      await form.getByRole('button', { name: 'Create key' }).click();
      const secret = page.getByTestId('new-api-key');
      await expect(secret).toHaveText(/^bfk_[A-Za-z0-9_-]{43}$/);
      key = (await secret.textContent()) ?? '';
      await axe.expectNoSeriousViolations('/account with a new key');
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await expect(secret).toHaveCount(0);
      const row = page.getByRole('row').filter({ hasText: 'notebook' });
      await expect(row).toContainText(key.slice(0, 12));
      await expect(row).toContainText('read, jobs');
      await expect(row).toContainText('Never');
      await expect(page.getByText(key)).toHaveCount(0);
    });

    await test.step('the key works within its scopes and is refused outside them', async () => {
      const bearer = { authorization: `Bearer ${key}` };
      expect((await page.request.get('/api/v1/jobs', { headers: bearer })).status()).toBe(200);
      const payout = await page.request.post('/api/v1/payouts', { headers: bearer, data: {} });
      expect(payout.status()).toBe(403);
      expect(((await payout.json()) as { error: { message: string } }).error.message).toContain('"billing"');
      await page.reload();
      const row = page.getByRole('row').filter({ hasText: 'notebook' });
      await expect(row).not.toContainText('Never');
    });

    await test.step('revoked after a confirmation, and refused from then on', async () => {
      const row = page.getByRole('row').filter({ hasText: 'notebook' });
      await row.getByRole('button', { name: 'Revoke notebook' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke “notebook”?' });
      await confirm.getByRole('button', { name: 'Keep the key' }).click();
      await expect(row).toContainText('Active');
      await row.getByRole('button', { name: 'Revoke notebook' }).click();
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await expect(row).toContainText('Revoked');
      const refused = await page.request.get('/api/v1/jobs', { headers: { authorization: `Bearer ${key}` } });
      expect(refused.status()).toBe(401);
    });

    await test.step('light and dark, and no sideways scrolling at 375 px', async () => {
      await axe.expectGoodEverywhere('/account, signed in with a revoked key');
    });
  });
});
