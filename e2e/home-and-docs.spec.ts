import { expect, test } from './fixtures';
import { waitForHydration } from './support/browser';

test.describe('home', () => {
  test('shows the demo banner and the network figures the API serves', async ({ page, api }) => {
    const summary = await api.summary();
    await page.goto('/');
    await expect(page.getByRole('note')).toContainText('Simulated demo network.');
    const stats = page.getByRole('main').getByRole('region', { name: 'The network now' });
    const verified = stats.locator('dl > div').filter({
      has: page.getByRole('term').filter({ hasText: /^Verified GPUs online$/ }),
    });
    await expect(verified.getByRole('definition').first()).toHaveText(
      summary.verifiedGpusOnline.toLocaleString('en-US'),
    );
    expect(summary.simulated).toBe(true);

    await page.getByRole('main').getByRole('link', { name: 'Rent GPUs' }).click();
    await expect(page).toHaveURL(/\/market$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('GPU market');
  });

  test('every page links the site icon, which is served (no favicon 404s)', async ({ page, request }) => {
    await page.goto('/');
    const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');
  });

  test('the market opens node pages when asked, without prefetching every row', async ({ page }) => {
    const prefetched: string[] = [];
    page.on('request', (r) => {
      if (/\/market\/[0-9a-f-]{36}/.test(r.url())) prefetched.push(r.url());
    });
    await page.goto('/market');
    const first = page.getByRole('table').getByRole('link').first();
    await expect(first).toBeVisible();
    await waitForHydration(first);
    // Next.js prefetches visible links once hydrated, when the browser is idle: give it that chance.
    await page.waitForTimeout(1_500);
    expect(prefetched, 'node pages fetched before any was opened').toEqual([]);
  });

  test('the theme toggle cycles light → dark → system and is remembered', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    const toggle = page.getByRole('banner').getByRole('button', { name: /^Theme: / });
    await waitForHydration(toggle);
    const html = page.locator('html');
    await expect(toggle).toHaveAccessibleName('Theme: system. Switch to light.');
    await expect(html).toHaveClass(/\blight\b/);

    await toggle.click();
    await expect(toggle).toHaveAccessibleName('Theme: light. Switch to dark.');
    await expect(html).toHaveClass(/\blight\b/);

    await toggle.click();
    await expect(toggle).toHaveAccessibleName('Theme: dark. Switch to system.');
    await expect(html).toHaveClass(/\bdark\b/);
    await expect(html).toHaveCSS('color-scheme', 'dark');

    await test.step('the choice survives a reload', async () => {
      await page.reload();
      await expect(html).toHaveClass(/\bdark\b/);
      await expect(toggle).toHaveAccessibleName('Theme: dark. Switch to system.');
      await waitForHydration(toggle);
    });

    await toggle.click();
    await expect(toggle).toHaveAccessibleName('Theme: system. Switch to light.');
    await expect(html).toHaveClass(/\blight\b/);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('the main links fold into a menu that opens and navigates', async ({ page }) => {
    await page.goto('/');
    const header = page.getByRole('banner');
    const menu = header.locator('summary', { hasText: 'Menu' });
    await expect(menu).toBeVisible();
    await expect(header.getByRole('link', { name: 'Metrics' })).toHaveCount(0);
    await menu.click();
    const nav = header.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText([
      'Market',
      'Metrics',
      'Jobs',
      'Supplier',
      'Billing',
      'Account',
      'API',
    ]);
    await nav.getByRole('link', { name: 'Metrics' }).click();
    await expect(page).toHaveURL(/\/metrics$/);
    await expect(page.getByRole('banner').getByRole('navigation', { name: 'Main' })).toBeHidden();
  });
});

test.describe('API reference', () => {
  test('/docs/api lists GET /api/v1/offers with its parameters', async ({ page }) => {
    const openapi = (await (await page.request.get('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    const documented = (openapi.paths['/api/v1/offers']?.get?.parameters ?? []).map((p) => p.name);

    await page.goto('/docs/api');
    await expect(page.getByRole('link', { name: '/api/v1/openapi.json' })).toBeVisible();
    const operation = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: /^GET\s*\/api\/v1\/offers$/ }) });
    await expect(operation).toHaveCount(1);
    const parameters = operation.getByRole('table', { name: 'Parameters' });
    const names = parameters.getByRole('row').locator('td:first-child');
    const expected = [
      'gpu',
      'minGpus',
      'minVram',
      'region',
      'maxPrice',
      'minReliability',
      'verified',
      'verifiedWithin',
      'interconnect',
      'minBandwidth',
      'minCpuCores',
      'minRam',
      'minDisk',
      'minCuda',
      'sort',
      'order',
      'cursor',
      'limit',
      // A header: a client that kept the ETag is answered 304 when nothing changed.
      'If-None-Match',
    ];
    await expect(names).toHaveText(documented);
    expect([...documented].sort()).toEqual([...expected].sort());
    await expect(operation).toContainText('400');
  });
});

test.describe('API reference, for people', () => {
  test('/docs/api: contents that navigate, authentication, and a copyable example of every operation', async ({
    page,
    context,
  }) => {
    const openapi = (await (await page.request.get('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(openapi.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    await page.goto('/docs/api');
    const main = page.getByRole('main');
    // Markdown rendered: no backtick is left in the text.
    expect(await main.innerText()).not.toContain('`');
    await expect(main.getByRole('heading', { level: 2, name: 'Authentication' })).toBeVisible();
    await expect(main.getByRole('table', { name: 'API key scopes' }).getByRole('row')).toHaveCount(5);

    const contents = page.getByRole('navigation', { name: 'Contents' });
    await contents.getByRole('link', { name: 'POST Launch a job' }).click();
    await expect(page).toHaveURL(/#launchJob$/);
    const launch = page
      .getByRole('article')
      .filter({ has: page.getByRole('heading', { name: /^POST\s*\/api\/v1\/jobs$/ }) });
    await expect(launch).toBeInViewport();
    await expect(launch).toContainText('API key with “jobs”, or a wallet session');

    await expect(main.getByText('Examples: curl, TypeScript, Python', { exact: true })).toHaveCount(
      operations,
    );
    await launch.getByText('Examples: curl, TypeScript, Python').click();
    const curl = launch.getByRole('region', { name: 'POST /api/v1/jobs: curl example' });
    await expect(curl).toContainText('-H "Idempotency-Key: $(uuidgen)"');
    await expect(launch.getByRole('region', { name: 'POST /api/v1/jobs: Python example' })).toContainText(
      'client.request("POST", "/api/v1/jobs"',
    );
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await waitForHydration(launch.getByRole('button', { name: 'Copy the curl example' }));
    await launch.getByRole('button', { name: 'Copy the curl example' }).click();
    await expect(launch.getByRole('status').filter({ hasText: 'Copied' })).toHaveText(
      'Copied to the clipboard.',
    );
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe((await curl.innerText()).trim());
  });
});

test.describe('API contract, from the browser', () => {
  test('bad queries answer 400 naming every offending parameter', async ({ page }) => {
    await page.goto('/docs/api');
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/v1/offers?minGpus=0&bogus=1');
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: (await response.json()) as { error: { code: string; fields?: { field: string }[] } },
      };
    });
    expect(answer.status).toBe(400);
    expect(answer.type).toContain('application/json');
    expect(answer.body.error.code).toBe('bad_request');
    expect(answer.body.error.fields?.map((f) => f.field).sort()).toEqual(['bogus', 'minGpus']);
  });

  test('unknown API paths answer the JSON error envelope', async ({ page }) => {
    const response = await page.request.get('/api/v1/no-such-thing');
    expect(response.status()).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  test('/api/v1/openapi.json is an OpenAPI 3.1 document', async ({ page }) => {
    const response = await page.request.get('/api/v1/openapi.json');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/json');
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/offers', '/api/v1/offers/summary', '/api/v1/nodes/{id}']),
    );
  });
});
