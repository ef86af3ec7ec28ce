import { expect, test } from './fixtures';
import { BillingPage } from './pages/billing-page';
import { SupplierPage } from './pages/supplier-page';
import { pressUntilFocused } from './support/browser';
import { DEV_ACCOUNTS } from './support/injected-wallet';

test('the market works from the keyboard alone', async ({ page, marketPage: market }) => {
  await market.goto();
  await market.expectView('');
  const skipLink = page.getByRole('link', { name: 'Skip to content' });

  await test.step('"Skip to content" is the first tab stop and shows itself', async () => {
    await page.keyboard.press('Tab');
    await expect(skipLink).toBeFocused();
    const box = await skipLink.boundingBox();
    expect(box?.width ?? 0, 'the focused skip link is visible, not 1 px').toBeGreaterThan(20);
  });

  await test.step('tick a GPU model with Space', async () => {
    const checkbox = market.gpuCheckbox('L40S 48GB');
    await pressUntilFocused(page, checkbox);
    await expect(checkbox).toHaveCSS('outline-style', 'solid');
    await page.keyboard.press('Space');
    await expect(checkbox).toBeChecked();
    await market.expectView('gpu=l40s-48gb');
    await expect(checkbox).toBeFocused();
  });

  const firstRowLink = market.rows.first().getByRole('link');

  await test.step('sort with Enter on a column header', async () => {
    await pressUntilFocused(page, firstRowLink);
    // Back one stop from the first row: the last sortable header.
    await page.keyboard.press('Shift+Tab');
    await expect(market.sortButton('Reliability')).toBeFocused();
    await page.keyboard.press('Enter');
    await market.expectView('gpu=l40s-48gb&sort=reliability');
    await expect(market.columnHeader('Reliability')).toHaveAttribute('aria-sort', 'descending');
    await expect(market.sortButton('Reliability')).toBeFocused();
  });

  await test.step('open an offer with Enter on its row link', async () => {
    const nodeId = await market.rows.first().getAttribute('data-node-id');
    await page.keyboard.press('Tab');
    await expect(firstRowLink).toBeFocused();
    await expect(firstRowLink).toHaveCSS('outline-style', 'solid');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/market/${nodeId}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('L40S 48GB');
  });
});

test('adding a node works from the keyboard alone', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const billing = new BillingPage(page);
  await billing.goto();
  await billing.testAccountSelect.selectOption(DEV_ACCOUNTS[3]);
  await pressUntilFocused(page, billing.signInButton('local test wallet'));
  await page.keyboard.press('Enter');
  await billing.expectSignedInAs(DEV_ACCOUNTS[3]);

  const supplier = new SupplierPage(page);
  await supplier.goto();

  await test.step('type a price, pick the process runner with the arrow keys, declare GPUs with Space', async () => {
    await pressUntilFocused(page, supplier.priceInput);
    await page.keyboard.type('1.5');
    await pressUntilFocused(page, supplier.runner('Docker'));
    await expect(supplier.runner('Docker')).toHaveCSS('outline-style', 'solid');
    await page.keyboard.press('ArrowDown');
    await expect(supplier.runner('Process')).toBeChecked();
    await pressUntilFocused(page, supplier.declareGpus);
    await page.keyboard.press('Space');
    await expect(supplier.declareGpus).toBeChecked();
    await expect(supplier.gpuModelSelect).toHaveValue('rtx-4090-24gb');
  });

  await test.step('a wrong price is refused and focused', async () => {
    await supplier.priceInput.fill('free');
    await pressUntilFocused(page, supplier.createTokenButton);
    await page.keyboard.press('Enter');
    await expect(supplier.priceInput).toBeFocused();
    await expect(supplier.priceInput).toHaveAttribute('aria-invalid', 'true');
    await expect(supplier.priceInput).toHaveAccessibleDescription(/Enter a price in USD per GPU-hour/);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('1.5');
  });

  await test.step('Enter creates the token; the command is copied with the keyboard', async () => {
    await pressUntilFocused(page, supplier.createTokenButton);
    await page.keyboard.press('Enter');
    await expect(supplier.agentCommand).toContainText('--price 1.50 --runner process --gpus rtx-4090-24gb:1');
    await pressUntilFocused(page, supplier.copyCommandButton);
    await page.keyboard.press('Enter');
    await expect(supplier.addNodeCard.getByRole('status').filter({ hasText: /^Copied/ })).toHaveText(
      'Copied to the clipboard.',
    );
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toBe(await supplier.agentCommand.textContent());
    await expect(supplier.newNodeStatus).toHaveText('Waiting for the node to register…');
  });
});
