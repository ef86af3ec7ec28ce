import { cudaRank } from '@/lib/market/cuda';
import type { OfferDto, OfferPage } from '@/lib/market/offer-schemas';
import { expect, test } from './fixtures';
import { MarketPage, type FilterSelect, type SortColumn } from './pages/market-page';
import { watchForReloads } from './support/browser';

const SORTABLE: SortColumn[] = ['Free', 'VRAM', '$/GPU-hr', '$/work unit', 'Reliability'];

/** The value each sort key orders by, to check the API's order independently of the table. */
const SORT_VALUE: Record<string, (offer: OfferDto) => number> = {
  price: (o) => Number(o.priceMicros),
  price_per_work: (o) => Number(o.pricePerWorkMicros),
  reliability: (o) => o.reliability,
  vram: (o) => o.vramGb,
  free_gpus: (o) => o.freeGpus,
  bandwidth: (o) => o.bandwidthMbps,
  cpu_cores: (o) => o.cpuCores,
  ram: (o) => o.ramGb,
  disk: (o) => o.diskGb,
  cuda: (o) => cudaRank(o.cudaVersion),
};

/** The sort key behind each sortable header. */
const SORT_OF: Record<SortColumn, string> = {
  '$/GPU-hr': 'price',
  '$/work unit': 'price_per_work',
  Reliability: 'reliability',
  VRAM: 'vram',
  Free: 'free_gpus',
  Network: 'bandwidth',
  CPU: 'cpu_cores',
  RAM: 'ram',
  Disk: 'disk',
  CUDA: 'cuda',
};

function expectSorted(page: OfferPage, sort: string, direction: 'ascending' | 'descending') {
  const value = SORT_VALUE[sort];
  if (!value) throw new Error(`unknown sort ${sort}`);
  const values = page.data.map(value);
  const sorted = [...values].sort((a, b) => (direction === 'ascending' ? a - b : b - a));
  expect(values, `offers sorted by ${sort} ${direction}`).toEqual(sorted);
}

test.describe('market', () => {
  test('filters rewrite the URL in place and the rows match the API', async ({
    page,
    marketPage: market,
  }) => {
    await market.goto();
    await market.expectView('');
    const expectNoReload = await watchForReloads(page);

    await test.step('GPU model checkboxes', async () => {
      await market.gpuCheckbox('A100 80GB').click();
      await expect(market.gpuCheckbox('A100 80GB')).toBeChecked();
      await market.expectView('gpu=a100-80gb');
      await market.gpuCheckbox('H100 80GB').click();
      // Lists keep the catalogue's order, whatever order they were ticked in.
      await market.expectView('gpu=h100-80gb,a100-80gb');
    });

    await test.step('Min free GPUs', async () => {
      await market.chooseOption('Min free GPUs', '4+');
      await expect(market.select('Min free GPUs')).toHaveValue('4');
      await market.expectView('gpu=h100-80gb,a100-80gb&minGpus=4');
    });

    await test.step('Verification: verified only', async () => {
      await market.chooseOption('Verification', 'Verified only');
      await market.expectView('gpu=h100-80gb,a100-80gb&minGpus=4&verified=true');
    });

    await test.step('max price (debounced text input)', async () => {
      await market.maxPriceInput.fill('2.5');
      await market.expectView('gpu=h100-80gb,a100-80gb&minGpus=4&maxPrice=2.5&verified=true');
    });

    await test.step('regions', async () => {
      await market.regionCheckbox('EU West (Ireland)').click();
      await market.expectView('gpu=h100-80gb,a100-80gb&region=eu-west&minGpus=4&maxPrice=2.5&verified=true');
      await market.regionCheckbox('US East (Virginia)').click();
      const result = await market.expectView(
        'gpu=h100-80gb,a100-80gb&region=us-east,eu-west&minGpus=4&maxPrice=2.5&verified=true',
      );
      expect(result.data.length, 'the combined filters still match some offers').toBeGreaterThan(0);
      for (const offer of result.data) {
        expect(['h100-80gb', 'a100-80gb']).toContain(offer.gpuModel);
        expect(['us-east', 'eu-west']).toContain(offer.region);
        expect(offer.freeGpus).toBeGreaterThanOrEqual(4);
        expect(offer.verified).toBe(true);
        expect(Number(offer.priceMicros)).toBeLessThanOrEqual(2_500_000);
      }
    });

    await test.step('unticking a model', async () => {
      await market.gpuCheckbox('A100 80GB').click();
      await expect(market.gpuCheckbox('A100 80GB')).not.toBeChecked();
      await market.expectView('gpu=h100-80gb&region=us-east,eu-west&minGpus=4&maxPrice=2.5&verified=true');
    });

    await test.step('Clear filters resets every control', async () => {
      await market.clearFiltersButton.click();
      await market.expectView('');
      await expect(market.gpuCheckbox('H100 80GB')).not.toBeChecked();
      await expect(market.regionCheckbox('US East (Virginia)')).not.toBeChecked();
      await expect(market.select('Min free GPUs')).toHaveValue('');
      await expect(market.select('Verification')).toHaveValue('');
      await expect(market.maxPriceInput).toHaveValue('');
      await expect(market.clearFiltersButton).toBeDisabled();
    });

    await test.step('no full page load happened', expectNoReload);
  });

  test('sortable headers sort on the server, set aria-sort and keep the filters', async ({
    page,
    marketPage: market,
  }) => {
    await market.goto('verified=true');
    await market.expectView('verified=true');
    await expect(market.columnHeader('$/GPU-hr')).toHaveAttribute('aria-sort', 'ascending');
    const expectNoReload = await watchForReloads(page);

    const steps: [SortColumn, string, string, 'ascending' | 'descending'][] = [
      ['Reliability', 'reliability', 'verified=true&sort=reliability', 'descending'],
      ['Reliability', 'reliability', 'verified=true&sort=reliability&order=asc', 'ascending'],
      ['VRAM', 'vram', 'verified=true&sort=vram', 'descending'],
      ['$/work unit', 'price_per_work', 'verified=true&sort=price_per_work', 'ascending'],
      ['Free', 'free_gpus', 'verified=true&sort=free_gpus', 'descending'],
      ['$/GPU-hr', 'price', 'verified=true', 'ascending'],
      ['$/GPU-hr', 'price', 'verified=true&order=desc', 'descending'],
    ];
    for (const [column, sort, query, direction] of steps) {
      await test.step(`${column} → ${direction}`, async () => {
        await market.sortButton(column).click();
        const result = await market.expectView(query);
        expectSorted(result, sort, direction);
        await expect(market.columnHeader(column)).toHaveAttribute('aria-sort', direction);
        for (const other of SORTABLE.filter((c) => c !== column)) {
          await expect(market.columnHeader(other)).not.toHaveAttribute('aria-sort');
        }
        await expect(market.table).toHaveAccessibleName(
          `GPU offers, sorted by ${sort.replace(/_/g, ' ')} (${direction})`,
        );
      });
    }
    await test.step('no full page load happened', expectNoReload);
  });

  test('a shared URL reproduces the view, first page server-rendered', async ({ browser, api }) => {
    const query = 'gpu=h100-80gb,a100-80gb&minGpus=4&sort=reliability';
    const expected = await api.offers(query);
    const first = expected.data[0];
    expect(first, 'the shared view lists offers').toBeDefined();

    // A new context: no cookies, storage or cache from the page that made the link.
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const market = new MarketPage(page);

      await test.step('the HTML already holds the first page', async () => {
        const response = await page.request.get(`/market?${query}`);
        expect(response.status()).toBe(200);
        const html = await response.text();
        expect(html).toContain(`data-node-id="${first?.nodeId}"`);
        expect(html).toContain(`Showing ${expected.data.length} offers.`);
      });

      await test.step('the controls reflect the URL', async () => {
        const offerRequests: string[] = [];
        page.on('request', (request) => {
          if (new URL(request.url()).pathname === '/api/v1/offers') offerRequests.push(request.url());
        });
        await market.goto(query);
        await expect(market.gpuCheckbox('H100 80GB')).toBeChecked();
        await expect(market.gpuCheckbox('A100 80GB')).toBeChecked();
        await expect(market.gpuCheckbox('H200 141GB')).not.toBeChecked();
        await expect(market.select('Min free GPUs')).toHaveValue('4');
        await expect(market.select('Verification')).toHaveValue('');
        await expect(market.columnHeader('Reliability')).toHaveAttribute('aria-sort', 'descending');
        await expect(market.columnHeader('$/GPU-hr')).not.toHaveAttribute('aria-sort');
        await market.expectView(query);
        // The server's first page is reused after hydration instead of being fetched again.
        expect(offerRequests, 'offer requests from the browser on first load').toEqual([]);
      });
    } finally {
      await context.close();
    }
  });

  test('pages forward with a cursor, back to the first page, and through history', async ({
    page,
    marketPage: market,
  }) => {
    await market.goto();
    const firstPage = await market.expectView('');
    const cursor = firstPage.nextCursor;
    expect(cursor, 'the demo network has more than one page of offers').toBeTruthy();
    await expect(market.firstPageButton).toBeDisabled();
    const expectNoReload = await watchForReloads(page);

    const secondQuery = `cursor=${cursor}`;
    await test.step('Next page → adds the cursor and shows the API’s second page', async () => {
      await market.nextPageButton.click();
      const secondPage = await market.expectView(secondQuery);
      const firstIds = new Set(firstPage.data.map((o) => o.nodeId));
      expect(secondPage.data.length).toBeGreaterThan(0);
      expect(secondPage.data.filter((o) => firstIds.has(o.nodeId))).toEqual([]);
      await expect(market.firstPageButton).toBeEnabled();
    });

    await test.step('← First page returns', async () => {
      await market.firstPageButton.click();
      await market.expectView('');
      await expect(market.firstPageButton).toBeDisabled();
    });

    await test.step('browser Back and Forward move between the pages', async () => {
      await page.goBack();
      await market.expectView(secondQuery);
      await page.goForward();
      await market.expectView('');
      await page.goBack();
      await market.expectView(secondQuery);
    });

    await test.step('sorting from a later page starts again at the first', async () => {
      await market.sortButton('Reliability').click();
      await market.expectView('sort=reliability');
    });

    await test.step('no full page load happened', expectNoReload);
  });

  test('host filters and sorts: CPU cores, RAM, disk, CUDA and network, each column shown while used', async ({
    page,
    marketPage: market,
  }) => {
    await market.goto();
    await market.expectView('');
    // By default the host's CPU, RAM, disk and CUDA stay out of the way.
    for (const column of ['CPU', 'RAM', 'Disk', 'CUDA'] as const) {
      await expect(market.columnHeader(column)).toHaveCount(0);
    }
    const expectNoReload = await watchForReloads(page);

    const steps: [FilterSelect, string, string, SortColumn, (o: OfferDto) => boolean][] = [
      ['Min RAM', '128 GB+', 'minRam=128', 'RAM', (o) => o.ramGb >= 128],
      ['Min CPU cores', '32+', 'minCpuCores=32', 'CPU', (o) => o.cpuCores >= 32],
      ['Min disk', '1 TB+', 'minDisk=1000', 'Disk', (o) => o.diskGb >= 1000],
      ['Min CUDA', '12.8+', 'minCuda=12.8', 'CUDA', (o) => cudaRank(o.cudaVersion) >= 1208],
    ];
    for (const [label, option, query, column, holds] of steps) {
      await test.step(`${label} ${option}`, async () => {
        await market.chooseOption(label, option);
        const result = await market.expectView(query);
        expect(result.data.length, `some offers have ${label} ${option}`).toBeGreaterThan(0);
        for (const offer of result.data) expect(holds(offer), `${offer.nodeId} ${label}`).toBe(true);
        await expect(market.columnHeader(column), 'the filtered column is shown').toBeVisible();

        await market.sortButton(column).click();
        const sorted = await market.expectView(`${query}&sort=${SORT_OF[column]}`);
        expectSorted(sorted, SORT_OF[column], 'descending');
        await expect(market.columnHeader(column)).toHaveAttribute('aria-sort', 'descending');

        await market.clearFiltersButton.click();
        await market.expectView(`sort=${SORT_OF[column]}`);
        await expect(market.columnHeader(column), 'the sorted column stays shown').toBeVisible();
        await market.sortButton('$/GPU-hr').click();
        await market.expectView('');
        await expect(market.columnHeader(column), 'neither sorted nor filtered: hidden').toHaveCount(0);
      });
    }

    await test.step('network: shown by choice, sorted by bandwidth, fastest first', async () => {
      await expect(market.columnHeader('Network')).toHaveCount(0);
      await (await market.columnCheckbox('Network')).check();
      await market.sortButton('Network').click();
      expectSorted(await market.expectView('sort=bandwidth'), 'bandwidth', 'descending');
    });
    await test.step('no full page load happened', expectNoReload);
  });

  test('column choice: kept across visits, server-rendered, and the default fits 1280 px', async ({
    page,
    marketPage: market,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await market.goto();
    await market.expectView('');

    await test.step('the default columns fit beside the filters without scrolling', async () => {
      const box = market.table.locator('xpath=..');
      const { scrollWidth, clientWidth } = await box.evaluate((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      }));
      expect(scrollWidth, 'the table is no wider than its box at 1280 px').toBeLessThanOrEqual(clientWidth);
      await expect(market.headers).toHaveText([
        'GPU',
        /^Free/,
        /^VRAM/,
        /^\$\/GPU-hr/,
        /^\$\/work unit/,
        /^Reliability/,
        'Job success',
        'Verified',
        'Region',
      ]);
    });

    await test.step('adding RAM and CUDA, removing Job success', async () => {
      await (await market.columnCheckbox('RAM')).check();
      await (await market.columnCheckbox('CUDA')).check();
      await (await market.columnCheckbox('Job success')).uncheck();
      await expect(market.columnHeader('RAM')).toBeVisible();
      await expect(market.columnHeader('CUDA')).toBeVisible();
      await expect(market.table.getByRole('columnheader', { name: 'Job success' })).toHaveCount(0);
      await expect(await market.columnCheckbox('GPU'), 'GPU is always shown').toBeDisabled();
    });

    await test.step('a later visit renders the same columns on the server', async () => {
      const html = await (await page.request.get('/market')).text();
      const headers = [...html.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map(([, cell]) =>
        (cell ?? '').replace(/<[^>]+>/g, ''),
      );
      expect(
        headers.some((h) => h.startsWith('RAM')),
        'RAM in the server-rendered table',
      ).toBe(true);
      expect(
        headers.some((h) => h.startsWith('CUDA')),
        'CUDA in the server-rendered table',
      ).toBe(true);
      expect(headers, 'Job success not in the server-rendered table').not.toContain('Job success');
      await market.goto();
      await expect(market.columnHeader('RAM')).toBeVisible();
      await expect(market.table.getByRole('columnheader', { name: 'Job success' })).toHaveCount(0);
    });

    await test.step('the choice survives opening an offer and coming Back', async () => {
      const first = (await market.rowNodeIds())[0] ?? '';
      await market.rowLink(first).click();
      await expect(page).toHaveURL(new RegExp(`/market/${first}$`));
      await page.goBack();
      await expect(market.columnHeader('RAM')).toBeVisible();
      await expect(market.table.getByRole('columnheader', { name: 'Job success' })).toHaveCount(0);
    });

    await test.step('Default columns restores the first view', async () => {
      await (await market.openColumns()).getByRole('button', { name: 'Default columns' }).click();
      await expect(market.columnHeader('RAM')).toHaveCount(0);
      await expect(market.table.getByRole('columnheader', { name: 'Job success' })).toBeVisible();
    });
  });

  test('filters that match nothing show the empty state', async ({ marketPage: market }) => {
    await market.goto();
    await market.expectView('');
    await market.maxPriceInput.fill('0.01');
    await market.expectView('maxPrice=0.01');
    await expect(market.emptyState).toHaveText(
      'Nothing is available with these filters right now. Try a higher price or fewer constraints.',
    );
    await expect(market.table).toHaveCount(0);
    await expect(market.nextPageButton).toBeDisabled();
    await market.clearFiltersButton.click();
    await market.expectView('');
  });

  test('a malformed URL shows the API error naming the field', async ({ page, marketPage: market }) => {
    const apiAnswer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/offers');
    await market.goto('maxPrice=cheap');
    expect((await apiAnswer).status()).toBe(400);
    await expect(market.status).toHaveText('Could not load offers.');
    await expect(market.errorAlert).toContainText('Invalid query: maxPrice');
    await expect(market.errorAlert.getByRole('listitem')).toHaveText([
      'maxPrice: must be a decimal USDC amount such as 2.5',
    ]);
    await expect(market.maxPriceInput).toHaveValue('cheap');
    await expect(market.table).toHaveCount(0);

    await test.step('correcting the field recovers', async () => {
      await market.maxPriceInput.fill('2.5');
      await market.expectView('maxPrice=2.5');
      await expect(market.errorAlert).toHaveCount(0);
    });
  });
});
