import { expect, test } from './fixtures';

/** `$1.23`, as the app prints micro-USDC below $1,000. */
const usd = (micros: string) => `$${(Number(micros) / 1_000_000).toFixed(2)}`;

test.describe('offer page', () => {
  test('opens from a market row and shows hardware, uptime, verification and price', async ({
    page,
    api,
    marketPage: market,
    nodePage,
  }) => {
    await market.goto('verified=true');
    const offers = await market.expectView('verified=true');
    const offer = offers.data[0];
    if (!offer) throw new Error('no verified offers listed');
    const node = await api.node(offer.nodeId);
    const hw = node.hardware;

    await test.step('the row link opens the offer page', async () => {
      await expect(market.rowLink(offer.nodeId)).toHaveText(`${offer.gpuCount}× ${offer.gpuName}`);
      await market.rowLink(offer.nodeId).click();
      await expect(page).toHaveURL(new RegExp(`/market/${offer.nodeId}$`));
      await expect(nodePage.heading).toHaveText(`${hw.gpuCount}× ${hw.gpuName}`);
      await expect(page).toHaveTitle(`${hw.gpuCount}× ${hw.gpuName} in ${node.regionName} · Backfill`);
    });

    await test.step('hardware', async () => {
      expect(await nodePage.hardwareFacts()).toMatchObject({
        GPUs: `${hw.gpuCount}× ${hw.gpuName}`,
        'VRAM per GPU': `${hw.vramGb} GB`,
        Interconnect: hw.interconnect === 'nvlink' ? 'NVLink' : 'PCIe',
        'CPU cores': String(hw.cpuCores),
        RAM: `${hw.ramGb} GB`,
        CUDA: hw.cudaVersion,
        Region: node.regionName,
      });
      // The live demand rents GPUs while the test runs, so the count is checked for its form and range (a
      // node rented whole meanwhile is off the market: "none — not offered while busy").
      const free = (await nodePage.hardwareFacts())['Free now'] ?? '';
      const match = /^(\d+) of (\d+) GPUs?$/.exec(free);
      if (match) {
        expect(Number(match[2])).toBe(hw.gpuCount);
        expect(Number(match[1])).toBeLessThanOrEqual(hw.gpuCount);
      } else expect(free).toBe('none — not offered while busy');
    });

    await test.step('uptime chart and its table', async () => {
      await nodePage.expectUptimeChartDrawn();
      await expect(nodePage.uptimeCard).toContainText(`Reliability ${(node.reliability * 100).toFixed(1)}%`);
      await nodePage.uptimeCard.getByText('Uptime by day (table)').click();
      await expect(nodePage.uptimeTable.getByRole('row')).toHaveCount(node.uptime30d.length + 1);
    });

    await test.step('verification record', async () => {
      expect(node.verification.history.length, 'a verified node has a record').toBeGreaterThan(0);
      const rows = nodePage.verificationTable.getByRole('row');
      await expect(rows).toHaveCount(node.verification.history.length + 1);
      await expect(rows.nth(1)).toContainText(
        node.verification.history[0]?.result === 'pass' ? 'Pass' : 'Fail',
      );
    });

    await test.step('price against the market', async () => {
      const { p10PriceMicros, medianPriceMicros, p90PriceMicros } = node.market;
      if (!p10PriceMicros || !medianPriceMicros || !p90PriceMicros) throw new Error('no market band');
      await expect(nodePage.priceCard).toContainText(`This node asks ${usd(node.priceMicros)}/GPU-hr`);
      await expect(nodePage.priceCard).toContainText(
        `Market P10 ${usd(p10PriceMicros)} · median ${usd(medianPriceMicros)} · P90 ${usd(p90PriceMicros)}.`,
      );
    });

    await test.step('launching on this node opens the wizard pinned to it', async () => {
      await expect(nodePage.launchButton).toHaveAttribute('href', new RegExp(`nodeId=${node.id}`));
      await expect(nodePage.launchButton).toHaveAccessibleDescription(
        'Opens the launch wizard with the job pinned to this node.',
      );
    });

    await test.step('the breadcrumb returns to the market', async () => {
      await nodePage.backToMarket.click();
      await expect(page).toHaveURL(/\/market$/);
      await expect(market.table).toBeVisible();
    });
  });

  test('an unknown node answers 404 with "Not found"', async ({ page }) => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-node-id']) {
      await test.step(`/market/${id}`, async () => {
        const response = await page.goto(`/market/${id}`);
        expect(response?.status()).toBe(404);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
        await expect(page.getByRole('main').getByRole('link', { name: 'Browse the market' })).toBeVisible();
      });
    }
  });
});
