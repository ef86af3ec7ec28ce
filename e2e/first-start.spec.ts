import { metricSeriesSchema, metricsSummarySchema } from '@/lib/metrics/schemas';
import { expect, test } from './fixtures';

/**
 * A new user's first start: the stack was started fresh (`rm -rf DATA_DIR && npm start`, playwright.config.ts)
 * with the default history length, and e2e/stack.setup.ts has waited for its history. Here: it took at most
 * three minutes from the start of generation, it covers more than a year, and the home page, the market and
 * /metrics agree with each other and with the API — one network, not a history beside an empty market.
 */

const DAY_MS = 86_400_000;

test.describe('first start', () => {
  test('a year of history in at most three minutes, every month of it on /metrics', async ({
    page,
    request,
  }) => {
    const summary = metricsSummarySchema.parse(await (await request.get('/api/v1/metrics')).json());
    const history = summary.history;
    expect(history?.state).toBe('complete');
    if (!history?.finishedAt) throw new Error('the history did not complete');
    const seconds = (Date.parse(history.finishedAt) - Date.parse(history.startedAt)) / 1000;
    test.info().annotations.push({ type: 'history', description: `${history.jobs} jobs in ${seconds} s` });
    expect(seconds, 'seconds from the start of generation to the full history').toBeLessThanOrEqual(180);
    expect(Date.parse(history.toAt) - Date.parse(history.fromAt)).toBeGreaterThan(365 * DAY_MS);

    // Every month of the span has paid usage, none is missing: the whole history is in the rollups.
    const response = await request.get(
      `/api/v1/metrics/paid-gpu-hours?granularity=month&from=${history.fromAt.slice(0, 10)}&to=${history.toAt.slice(0, 10)}`,
    );
    const series = metricSeriesSchema.parse(await response.json());
    expect(series.rows.length).toBeGreaterThanOrEqual(13);
    for (const row of series.rows) {
      expect(row.paidGpuHours, `paid GPU-hours of ${row.period}`).not.toBeNull();
      expect(Number(row.paidGpuHours), `paid GPU-hours of ${row.period}`).toBeGreaterThan(0);
      expect(row.simulated).toBe(true);
    }
    await page.goto('/metrics');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText(/Generating the simulated network/)).toHaveCount(0);
  });

  test('the home page, the market and /metrics show one network', async ({ page, api, request }) => {
    const offers = await api.summary();
    // Job success on the market comes from the same attempts as the metrics.
    const listed = await api.offers('limit=100');
    expect(listed.data.some((o) => o.jobSuccessRate !== null && o.jobsFinished > 0)).toBe(true);

    await expect
      .poll(
        async () => {
          const metrics = metricsSummarySchema.parse(await (await request.get('/api/v1/metrics')).json());
          const now = await api.summary();
          // Verified GPUs online: the market's summary and the metrics' headline count the same nodes.
          return now.verifiedGpusOnline === metrics.headline.verifiedGpusOnline;
        },
        { timeout: 30_000 },
      )
      .toBe(true);

    // The home page shows what both say.
    const metrics = metricsSummarySchema.parse(await (await request.get('/api/v1/metrics')).json());
    await page.goto('/');
    const usage = page.getByRole('region', { name: 'Paid usage' });
    await expect(usage).toBeVisible();
    await expect(usage.getByText(/Generating the simulated network/)).toHaveCount(0);
    const now = page.getByRole('main').getByRole('region', { name: 'The network now' });
    const free = now
      .locator('dl > div')
      .filter({ has: page.getByRole('term').filter({ hasText: /^GPUs free to rent$/ }) });
    const shown = Number((await free.getByRole('definition').first().textContent())?.replaceAll(',', ''));
    expect(shown).toBeLessThanOrEqual(offers.gpusOnline);
    expect(metrics.headline.jobsEnded).toBeGreaterThan(0);
    expect(metrics.headline.paidGpuHours).toBeGreaterThan(0);
  });
});
