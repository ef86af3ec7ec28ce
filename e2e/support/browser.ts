import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Resolves once React has hydrated `locator`'s element (it then carries React's props), so a click or key
 * press is handled by the app rather than lost on the server-rendered markup.
 */
export async function waitForHydration(locator: Locator): Promise<void> {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((key) => key.startsWith('__reactProps$'))), {
      message: 'the page hydrates',
      intervals: [50, 100, 250],
    })
    .toBe(true);
}

/**
 * Presses `key` (Tab or Shift+Tab) until `target` has focus; fails after `max` presses. Only the keyboard
 * moves focus; the check reads `document.activeElement`.
 */
export async function pressUntilFocused(
  page: Page,
  target: Locator,
  key: 'Tab' | 'Shift+Tab' = 'Tab',
  max = 80,
): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(key);
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`${key} pressed ${max} times without reaching ${target.toString()}`);
}

/**
 * Counts full document loads from now on. Filter, sort and page changes must go through the History API,
 * so they never request a document; the marker in `window` would not survive a reload either.
 */
export async function watchForReloads(page: Page): Promise<() => Promise<void>> {
  let documents = 0;
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) documents++;
  });
  await page.evaluate(() => {
    (window as unknown as { __e2eMarker?: number }).__e2eMarker = 1;
  });
  return async () => {
    expect(documents, 'document requests since the page loaded').toBe(0);
    const marker = await page.evaluate(() => (window as unknown as { __e2eMarker?: number }).__e2eMarker);
    expect(marker, 'the page was not reloaded').toBe(1);
  };
}
