import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { formatMetricCell } from '@/components/metrics/format';
import { headlineGroups, homeHeadlines } from '@/components/metrics/headline';
import { METRIC_IDS, type Granularity } from '@/lib/metrics/definitions';
import {
  metricSeriesSchema,
  metricsSummarySchema,
  type MetricSeries,
  type MetricsSummary,
} from '@/lib/metrics/schemas';
import { expect, test } from './fixtures';

/**
 * The public metrics page and the home page's paid-usage figures, checked against the public API they are
 * served from: every figure on the page must be one a client of `GET /api/v1/metrics…` can fetch.
 *
 * The stack's simulated history is complete before this file runs (e2e/stack.setup.ts), but its worker
 * refreshes the rollups every half minute and the live network keeps moving, so figures
 * that move with a refresh (the headline figures, the rows of the running period) are compared only when the
 * page and the answer reflect the same refresh (`refreshedAt`); the headline is read again when a refresh
 * lands in between.
 */

/** The view with the most rows on a short generated history: everything, by week. */
const VIEW = '/metrics?range=all&granularity=week';
const ATTEMPTS = 3;

async function summary(request: APIRequestContext): Promise<MetricsSummary> {
  const response = await request.get('/api/v1/metrics');
  expect(response.status(), 'GET /api/v1/metrics').toBe(200);
  return metricsSummarySchema.parse(await response.json());
}

/** Label → value of every figure in a `<dl>` of stat cards. */
async function statValues(region: Locator): Promise<Record<string, string>> {
  return region
    .locator('dl > div')
    .evaluateAll((cards) =>
      Object.fromEntries(
        cards.map((card) => [
          card.querySelector('dt')?.textContent?.trim() ?? '',
          card.querySelector('dd')?.textContent?.trim() ?? '',
        ]),
      ),
    );
}

/** The header and body cells of a table, as text. */
async function tableText(table: Locator): Promise<{ head: string[]; rows: string[][] }> {
  return table.evaluate((t) => ({
    head: [...t.querySelectorAll('thead th')].map((c) => c.textContent?.trim() ?? ''),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? ''),
    ),
  }));
}

interface SectionOnPage {
  id: string;
  csv: string;
  json: string;
  /** Null when the section has no table (a metric with no rows in the range). */
  table: { head: string[]; rows: string[][] } | null;
}

/** The refresh instant the page shows (a <time>; none before the first refresh). */
async function pageRefreshedAt(page: Page): Promise<string | null> {
  const time = page.getByRole('main').locator('p time').first();
  return (await time.count()) ? await time.getAttribute('datetime') : null;
}

async function readHeadline(
  page: Page,
): Promise<{ refreshedAt: string | null; headline: Record<string, string> }> {
  const headline = await statValues(page.getByRole('main').getByRole('region', { name: 'Headline figures' }));
  return { refreshedAt: await pageRefreshedAt(page), headline };
}

async function readSections(page: Page): Promise<{ refreshedAt: string | null; sections: SectionOnPage[] }> {
  const main = page.getByRole('main');
  const sections: SectionOnPage[] = [];
  for (const id of METRIC_IDS) {
    const section = main.locator(`section#${id}`);
    const csv = await section.getByRole('link', { name: /^Download CSV/ }).getAttribute('href');
    const json = await section.getByRole('link', { name: /^JSON/ }).getAttribute('href');
    const table = section.locator('details table');
    sections.push({
      id,
      csv: csv ?? '',
      json: json ?? '',
      table: (await table.count()) ? await tableText(table) : null,
    });
  }
  return { refreshedAt: await pageRefreshedAt(page), sections };
}

/** First day of the period holding `day` (weeks start on Monday): its row still grows with every refresh. */
function openPeriodStart(granularity: Granularity, day: string): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

function flatHeadline(s: MetricsSummary): Record<string, string> {
  return Object.fromEntries(
    headlineGroups(s.headline).flatMap((g) => g.figures.map((f) => [f.label, f.value])),
  );
}

/** The rows of a series as its table writes them. */
function expectedCells(series: MetricSeries): string[][] {
  return series.rows.map((row) => series.columns.map((column) => formatMetricCell(column, row[column.key])));
}

test.describe('network metrics', () => {
  test('/metrics: every metric with its methodology, CSV and JSON equal to its table; headline figures from the API', async ({
    page,
    request,
    axe,
  }) => {
    // Generous: a page load took a minute on a loaded 2-core machine right after the history completed.
    test.setTimeout(240_000);
    const reference = await summary(request);
    expect(reference.metrics.map((m) => m.id)).toEqual([...METRIC_IDS]);

    await test.step('the headline figures are the API’s, read at the same refresh', async () => {
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const before = await summary(request);
        await (attempt === 1 ? page.goto(VIEW) : page.reload());
        const reading = await readHeadline(page);
        const after = await summary(request);
        // Compared with a summary read at the page's refresh; the live verified count may move in between,
        // so either side of the page load will do.
        const candidates = [before, after]
          .filter((s) => s.refreshedAt === reading.refreshedAt)
          .map(flatHeadline);
        if (candidates.some((c) => JSON.stringify(c) === JSON.stringify(reading.headline))) return;
        if (attempt === ATTEMPTS)
          expect(candidates, `headline figures at refresh ${reading.refreshedAt ?? 'none'}`).toContainEqual(
            reading.headline,
          );
      }
    });

    await test.step('each table equals its JSON; the CSV has the same header and rows', async () => {
      const reading = await readSections(page);
      let openCompared = 0;
      let openSkipped = 0;
      for (const section of reading.sections) {
        const response = await request.get(section.json);
        expect(response.status(), section.json).toBe(200);
        const answer = metricSeriesSchema.parse(await response.json());
        expect(answer.metric.id, section.json).toBe(section.id);
        if (answer.rows.length === 0) {
          expect(section.table, `${section.id}: no rows, no table`).toBeNull();
        } else {
          expect(section.table?.head, `${section.id} table header`).toEqual(
            answer.columns.map((c) => c.label),
          );
          // Rows of periods that have ended are final; the running period's move with every refresh, so
          // they are compared when the page and the answer read the same refresh.
          const periodColumn = answer.columns.findIndex((c) => c.key === 'period');
          const open = openPeriodStart(answer.granularity, answer.to);
          const isOpen = (cells: readonly string[]) => (cells[periodColumn] ?? '') >= open;
          const expected = expectedCells(answer);
          const shown = section.table?.rows ?? [];
          expect(
            shown.filter((r) => !isOpen(r)),
            `${section.id}: rows of ended periods`,
          ).toEqual(expected.filter((r) => !isOpen(r)));
          if (answer.refreshedAt === reading.refreshedAt) {
            expect(shown.filter(isOpen), `${section.id}: rows of the running period`).toEqual(
              expected.filter(isOpen),
            );
            openCompared++;
          } else {
            openSkipped++;
          }
        }

        const csv = await request.get(section.csv);
        expect(csv.status(), section.csv).toBe(200);
        expect(csv.headers()['content-type']).toContain('text/csv');
        const [header, ...lines] = (await csv.text()).split(/\r?\n/).filter((line) => line !== '');
        const keys = answer.columns.map((c) => c.key);
        expect(header, `${section.id} CSV header`).toBe(keys.join(','));
        // The CSV is the JSON's rows as text; rows of ended periods cannot have moved between the two reads.
        const periodKey = keys.indexOf('period');
        const open = openPeriodStart(answer.granularity, answer.to);
        const ended = (cells: readonly string[]) => (cells[periodKey] ?? '') < open;
        const jsonRows = answer.rows.map((row) => keys.map((k) => (row[k] == null ? '' : String(row[k]))));
        expect(
          lines.map((line) => line.split(',')).filter(ended),
          `${section.id} CSV rows of ended periods`,
        ).toEqual(jsonRows.filter(ended));

        if (section.id === 'paid-gpu-hours')
          expect(
            answer.rows.some((r) => Number(r.paidGpuMs) > 0),
            'the generated history has paid GPU-time',
          ).toBe(true);
      }
      test.info().annotations.push({
        type: 'running periods',
        description: `compared in ${openCompared} metrics, skipped in ${openSkipped} (a refresh in between)`,
      });
    });

    const main = page.getByRole('main');
    await test.step('each section: title, methodology, downloads and the table behind the chart', async () => {
      for (const info of reference.metrics) {
        const section = main.locator(`section#${info.id}`);
        await expect(section.getByRole('heading', { level: 2 })).toHaveText(info.title);
        await expect(section.getByRole('heading', { name: 'Methodology' })).toBeVisible();
        await expect(section.getByText(info.methodology, { exact: true })).toBeVisible();
        await expect(section.getByRole('link', { name: /^Download CSV/ })).toHaveAttribute(
          'download',
          /\.csv$/,
        );
        const table = section.locator('details table');
        if (await table.count())
          await expect(table.locator('caption')).toHaveText(new RegExp(`^${info.title}, `));
      }
      await expect(page.getByRole('note').filter({ hasText: 'Simulated demo network.' })).toBeVisible();
      await expect(main.getByRole('note').filter({ hasText: 'Simulated data.' })).toBeVisible();
      await expect(main.getByRole('link', { name: 'All', exact: true })).toHaveAttribute(
        'aria-current',
        'true',
      );
      await expect(main.getByRole('link', { name: 'By week' })).toHaveAttribute('aria-current', 'true');
    });

    await test.step('the cohort heatmap has a row per cohort with a percentage in each lived month', async () => {
      const heatmap = main.getByRole('region', { name: 'Cohort retention heatmap' }).getByRole('table');
      const rows = heatmap.locator('tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      await expect(rows.first().locator('td').first()).toHaveText(/^\d+\.\d%$/);
    });

    await test.step('charts load only when their section scrolls into view', async () => {
      const last = main.locator('section#reconciliation [data-chart-state]');
      await expect(last).toHaveAttribute('data-chart-state', 'waiting');
      await last.scrollIntoViewIfNeeded();
      await expect(last.locator('.recharts-wrapper svg').first()).toBeVisible();
    });

    await test.step('axe: light and dark themes with every table open, then 375 px wide', async () => {
      // Draw every chart and open every table, so axe sees everything a reader can reach.
      for (const slot of await main.locator('[data-chart-state]').all()) await slot.scrollIntoViewIfNeeded();
      await expect(main.locator('[data-chart-state] .recharts-wrapper')).toHaveCount(
        await main.locator('[data-chart-state]').count(),
      );
      await main.locator('details').evaluateAll((all) => all.forEach((d) => d.setAttribute('open', '')));
      const html = page.locator('html');
      // The theme follows the system by default, so switching the emulated scheme switches it in place.
      await page.emulateMedia({ colorScheme: 'light' });
      await expect(html).toHaveClass(/\blight\b/);
      await axe.expectNoSeriousViolations('/metrics (light)');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(html).toHaveClass(/\bdark\b/);
      await axe.expectNoSeriousViolations('/metrics (dark)');
      await page.setViewportSize({ width: 375, height: 812 });
      await axe.expectNoSeriousViolations('/metrics 375 px (dark)');
      await page.emulateMedia({ colorScheme: 'light' });
      await expect(html).toHaveClass(/\blight\b/);
      await axe.expectNoSeriousViolations('/metrics 375 px (light)');
    });
  });

  test('/: the paid-usage figures are the API’s headline figures, and lead to /metrics', async ({
    page,
    request,
  }) => {
    let matched = false;
    for (let attempt = 1; attempt <= ATTEMPTS && !matched; attempt++) {
      const before = await summary(request);
      await (attempt === 1 ? page.goto('/') : page.reload());
      const shown = await statValues(page.getByRole('main').getByRole('region', { name: 'Paid usage' }));
      const after = await summary(request);
      const expected = [before, after].map((s) =>
        Object.fromEntries(homeHeadlines(s.headline).map((f) => [`${f.label}, ${f.window}`, f.value])),
      );
      matched = expected.some((e) => JSON.stringify(e) === JSON.stringify(shown));
      if (!matched && attempt === ATTEMPTS) expect(expected).toContainEqual(shown);
    }

    await page.getByRole('main').getByRole('link', { name: 'Open the network metrics' }).click();
    await expect(page).toHaveURL(/\/metrics$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Network metrics');
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }),
    ).toBeVisible();
  });
});
