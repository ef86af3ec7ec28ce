import { expect, test } from './fixtures';
import { pressUntilFocused } from './support/browser';

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
