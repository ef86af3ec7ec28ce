import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { BillingPage } from './pages/billing-page';
import { JobLaunchPage } from './pages/job-launch-page';
import { JobListPage } from './pages/job-list-page';
import { MarketPage } from './pages/market-page';
import { NodePage } from './pages/node-page';
import { SupplierPage } from './pages/supplier-page';
import type { MarketApi } from './support/market-api';

interface Target {
  name: string;
  /** Opens the page and waits until it is settled (data shown, charts drawn, nothing busy). */
  open(page: Page, api: MarketApi): Promise<void>;
  /** A page so long that axe needs well over the default test time on a small machine. */
  long?: boolean;
}

const TARGETS: Target[] = [
  {
    name: 'home /',
    open: async (page) => {
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    },
  },
  {
    name: 'market /market',
    open: async (page) => {
      const market = new MarketPage(page);
      await market.goto();
      await market.expectView('');
    },
  },
  {
    name: 'market error state /market?maxPrice=cheap',
    open: async (page) => {
      const market = new MarketPage(page);
      await market.goto('maxPrice=cheap');
      await expect(market.errorAlert).toContainText('maxPrice');
    },
  },
  {
    name: 'offer page /market/<id>',
    open: async (page, api) => {
      const nodePage = new NodePage(page);
      await nodePage.goto(await api.firstNodeId());
      await nodePage.expectUptimeChartDrawn();
    },
  },
  {
    name: 'billing, signed out /billing',
    open: async (page) => {
      const billing = new BillingPage(page);
      await billing.goto();
      await expect(billing.signInCard).toBeVisible();
    },
  },
  {
    name: 'jobs, signed out /jobs',
    open: async (page) => {
      const jobs = new JobListPage(page);
      await jobs.goto();
      await expect(jobs.signInPrompt).toBeVisible();
    },
  },
  {
    name: 'supplier console, signed out /supplier',
    open: async (page) => {
      const supplier = new SupplierPage(page);
      await supplier.goto();
      await expect(supplier.signInPrompt).toBeVisible();
    },
  },
  {
    name: 'launch wizard, signed out, with a live quote /jobs/new',
    open: async (page) => {
      const launch = new JobLaunchPage(page);
      await launch.goto();
      await launch.nextButton.click();
      await launch.expectStep(2, 'Workload');
      await launch.settledQuote();
    },
  },
  {
    name: 'launch wizard pinned to a node /jobs/new?nodeId=…',
    open: async (page, api) => {
      const node = await api.node(await api.firstNodeId());
      const launch = new JobLaunchPage(page);
      await launch.goto(
        new URLSearchParams({
          nodeId: node.id,
          gpuModel: node.hardware.gpuModel,
          gpuCount: '1',
          region: node.region,
        }).toString(),
      );
      for (let step = 0; step < 3; step++) await launch.nextButton.click();
      await launch.expectStep(4, 'Budget & review');
      await launch.settledQuote();
    },
  },
  {
    name: 'job monitor, signed out /jobs/<id>',
    open: async (page) => {
      await page.goto('/jobs/00000000-0000-4000-8000-000000000000');
      await expect(page.getByRole('heading', { level: 2, name: 'Sign in to see this job' })).toBeVisible();
    },
  },
  {
    name: 'metrics /metrics',
    open: async (page) => {
      await page.goto('/metrics');
      await expect(
        page.getByRole('heading', { name: 'Reconciliation with the chain', level: 2 }),
      ).toBeVisible();
    },
  },
  {
    name: 'account, signed out /account',
    open: async (page) => {
      await page.goto('/account');
      await expect(
        page.getByRole('main').getByRole('button', { name: 'Sign in with your wallet' }),
      ).toBeVisible();
    },
  },
  {
    name: 'monthly statement, signed out /billing/statements/<month>',
    open: async (page) => {
      await page.goto(`/billing/statements/${new Date().toISOString().slice(0, 7)}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Statement for /);
      await expect(
        page.getByRole('main').getByRole('button', { name: 'Sign in with your wallet' }),
      ).toBeVisible();
    },
  },
  {
    name: 'sign in /signin',
    open: async (page) => {
      await page.goto('/signin?next=%2Fmarket');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
    },
  },
  {
    name: 'not found /no-such-page',
    open: async (page) => {
      await page.goto('/no-such-page');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    },
  },
  {
    name: 'API reference /docs/api',
    // Every operation with its examples: axe takes 10–15 s a theme on 2 cores.
    long: true,
    open: async (page) => {
      await page.goto('/docs/api');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    },
  },
];

type Scheme = 'light' | 'dark';

/**
 * Switches the theme the way a visitor's system does: the default theme follows `prefers-color-scheme`, and
 * next-themes re-themes the open page (the class on <html>, transitions suspended) when it changes. Each page
 * is therefore loaded once and checked in both themes.
 */
async function switchScheme(page: Page, scheme: Scheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  const html = page.locator('html');
  await expect(html).toHaveClass(new RegExp(`\\b${scheme}\\b`));
  await expect(html).toHaveCSS('color-scheme', scheme);
}

test.describe('axe, light and dark theme', () => {
  TARGETS.forEach((target, i) => {
    // Half the pages load in dark and switch to light, so a first paint in either theme stays covered.
    const schemes: [Scheme, Scheme] = i % 2 === 0 ? ['light', 'dark'] : ['dark', 'light'];
    test(`${target.name}: no serious violations`, async ({ page, api, axe }) => {
      test.slow(target.long === true);
      await page.emulateMedia({ colorScheme: schemes[0] });
      await target.open(page, api);
      for (const scheme of schemes) {
        await switchScheme(page, scheme);
        await axe.expectNoSeriousViolations(`${target.name} (${scheme})`);
      }
    });
  });

  /** Every page on a phone: nothing wider than the screen (tables scroll in their own box), axe in both themes. */
  test.describe('every page at 375 px', () => {
    test.use({ viewport: { width: 375, height: 812 } });
    TARGETS.forEach((target, i) => {
      const schemes: [Scheme, Scheme] = i % 2 === 0 ? ['dark', 'light'] : ['light', 'dark'];
      test(`${target.name}: no sideways scrolling, no serious violations`, async ({ page, api, axe }) => {
        test.slow(target.long === true);
        await page.emulateMedia({ colorScheme: schemes[0] });
        await target.open(page, api);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${target.name}: the page is ${width} px wide at 375 px`).toBeLessThanOrEqual(375);
        for (const scheme of schemes) {
          await switchScheme(page, scheme);
          await axe.expectNoSeriousViolations(`${target.name} 375 px (${scheme})`);
        }
      });
    });
  });

  test.describe('375 px wide', () => {
    test.use({ viewport: { width: 375, height: 812 } });

    test('market: filters in a disclosure, no serious violations', async ({
      page,
      marketPage: market,
      axe,
    }) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await market.goto();
      await market.expectView('');
      await switchScheme(page, 'light');

      await test.step('closed disclosure, sidebar hidden', async () => {
        await expect(market.filtersDisclosure).toBeVisible();
        await expect(market.filters).toHaveCount(0);
        await axe.expectNoSeriousViolations('market 375 px, filters closed (light)');
        await switchScheme(page, 'dark');
        await axe.expectNoSeriousViolations('market 375 px, filters closed (dark)');
      });

      await test.step('open disclosure: one filter form, and it works', async () => {
        await market.filtersDisclosure.click();
        await expect(market.filters).toBeVisible();
        await market.gpuCheckbox('RTX 4090 24GB').click();
        await market.expectView('gpu=rtx-4090-24gb');
        await axe.expectNoSeriousViolations('market 375 px, filters open (dark)');
        await switchScheme(page, 'light');
        await axe.expectNoSeriousViolations('market 375 px, filters open (light)');
      });
    });
  });
});
