import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { MarketPage } from './pages/market-page';
import { NodePage } from './pages/node-page';
import { MarketApi } from './support/market-api';

/** WCAG 2.0 and 2.1, levels A and AA: what the accessibility bar (style rule 14) promises. */
export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, naming the rule,
 * its impact and every offending element. The full result is attached to the test report on failure.
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  testInfo: TestInfo,
  label = new URL(page.url()).pathname,
): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(A11Y_TAGS).analyze();
  const blocking = results.violations.filter((v) => v.impact && BLOCKING_IMPACTS.has(v.impact));
  if (blocking.length > 0) {
    await testInfo.attach(`axe violations on ${label}`, {
      body: JSON.stringify(blocking, null, 2),
      contentType: 'application/json',
    });
  }
  const report = blocking.map((violation) => {
    const targets = violation.nodes.map(
      (node) =>
        `    ${node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' ')}`,
    );
    return [`${violation.id} (${violation.impact}): ${violation.help}`, ...targets].join('\n');
  });
  expect(report, `serious or critical axe violations on ${label}`).toEqual([]);
}

/**
 * The page in light and dark at its own width, then opened again at 375 px: no serious violation, and nothing wider
 * than the phone (tables scroll in their own box). The viewport is restored and the theme follows the system
 * again afterwards.
 */
async function expectGoodEverywhere(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  const viewport = page.viewportSize();
  for (const width of [viewport?.width ?? 1280, 375]) {
    if (width === 375) {
      // Opened again at 375 px, as a phone opens it: a page resized from the desktop keeps what it measured
      // there (charts, the virtual log), which is not what a phone shows. Live pages never go network-idle
      // (their event stream stays open), so that wait is bounded.
      await page.setViewportSize({ width: 375, height: 812 });
      await page.reload({ waitUntil: 'load' });
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
          message: `${label}: no wider than 375 px`,
          timeout: 5_000,
        })
        .toBeLessThanOrEqual(375);
    }
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${scheme}\\b`));
      await expectNoSeriousA11yViolations(page, testInfo, `${label} (${width} px, ${scheme})`);
    }
  }
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: null });
}

interface Axe {
  /** Checks the fixture's page; `label` names the state in the failure message. */
  expectNoSeriousViolations(label?: string): Promise<void>;
  /** Light and dark, at the page's width and at 375 px (no sideways scrolling there). */
  expectGoodEverywhere(label: string): Promise<void>;
}

interface Fixtures {
  axe: Axe;
  api: MarketApi;
  marketPage: MarketPage;
  nodePage: NodePage;
}

export const test = base.extend<Fixtures>({
  axe: async ({ page }, provide, testInfo) => {
    await provide({
      expectNoSeriousViolations: (label) => expectNoSeriousA11yViolations(page, testInfo, label),
      expectGoodEverywhere: (label) => expectGoodEverywhere(page, testInfo, label),
    });
  },
  api: async ({ page }, provide) => {
    await provide(new MarketApi(page.request));
  },
  marketPage: async ({ page }, provide) => {
    await provide(new MarketPage(page));
  },
  nodePage: async ({ page }, provide) => {
    await provide(new NodePage(page));
  },
});

export { expect };
