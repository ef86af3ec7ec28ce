import { expect, type Locator, type Page } from '@playwright/test';
import type { OfferPage } from '@/lib/market/offer-schemas';
import { waitForHydration } from '@/e2e/support/browser';
import { MarketApi } from '@/e2e/support/market-api';

/** Re-check often: a settled view usually arrives within a few hundred milliseconds. */
const POLL_INTERVALS = [50, 100, 250];

/** Sortable column headers of the offer table, as their buttons are named. */
export type SortColumn =
  '$/GPU-hr' | '$/work unit' | 'Reliability' | 'VRAM' | 'Free' | 'Network' | 'CPU' | 'RAM' | 'Disk' | 'CUDA';

/** Single-choice filters (native selects), by label. */
export type FilterSelect =
  | 'Min free GPUs'
  | 'Min VRAM per GPU'
  | 'Min reliability (30 days)'
  | 'Verification'
  | 'Interconnect'
  | 'Min network'
  | 'Min CPU cores'
  | 'Min RAM'
  | 'Min disk'
  | 'Min CUDA';

/** The market page (`/market`): filters, the offer table, its status line and paging. */
export class MarketPage {
  readonly main: Locator;
  /** The filter form the user can see: the sidebar on wide screens, the "Filters" disclosure on narrow. */
  readonly filters: Locator;
  readonly filtersDisclosure: Locator;
  readonly status: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly emptyState: Locator;
  readonly errorAlert: Locator;
  readonly firstPageButton: Locator;
  readonly nextPageButton: Locator;
  readonly clearFiltersButton: Locator;
  readonly maxPriceInput: Locator;
  /** The "Columns (n of m)" disclosure above the table, and the headers the table shows. */
  readonly columnsMenu: Locator;
  readonly headers: Locator;
  private readonly busyRegion: Locator;
  private readonly api: MarketApi;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main');
    this.filters = this.main.getByRole('search', { name: 'Filter offers' });
    this.filtersDisclosure = this.main.getByText('Filters', { exact: true });
    this.status = this.main.getByRole('status');
    this.table = this.main.getByRole('table', { name: /^GPU offers/ });
    this.rows = this.table.locator('tbody > tr');
    this.emptyState = this.main.getByText(/^Nothing is available with these filters/);
    this.errorAlert = this.main.getByRole('alert');
    const pages = this.main.getByRole('navigation', { name: 'Pages' });
    this.firstPageButton = pages.getByRole('button', { name: '← First page' });
    this.nextPageButton = pages.getByRole('button', { name: 'Next page →' });
    this.clearFiltersButton = this.filters.getByRole('button', { name: 'Clear filters' });
    this.maxPriceInput = this.filters.getByRole('textbox', { name: 'Max $/GPU-hr' });
    this.columnsMenu = this.main.locator('details', { has: this.page.getByText(/^Columns \(/) });
    this.headers = this.table.getByRole('columnheader');
    this.busyRegion = this.main.locator('[aria-busy]');
    this.api = new MarketApi(page.request);
  }

  /** Opens `/market?<query>` and waits until the filters respond to input. */
  async goto(query = ''): Promise<void> {
    await this.page.goto(query ? `/market?${query}` : '/market');
    await waitForHydration(this.main.locator('form[role="search"]').last());
  }

  gpuCheckbox(name: string): Locator {
    return this.filters
      .getByRole('group', { name: 'GPU model' })
      .getByRole('checkbox', { name, exact: true });
  }

  regionCheckbox(name: string): Locator {
    return this.filters.getByRole('group', { name: 'Region' }).getByRole('checkbox', { name, exact: true });
  }

  select(label: FilterSelect): Locator {
    return this.filters.getByRole('combobox', { name: label, exact: true });
  }

  sortButton(column: SortColumn): Locator {
    return this.table.getByRole('button', { name: column, exact: true });
  }

  columnHeader(column: SortColumn): Locator {
    return this.table.getByRole('columnheader', { name: column, exact: true });
  }

  /** Opens the column-choice menu (if closed) and returns it. */
  async openColumns(): Promise<Locator> {
    if (!(await this.columnsMenu.evaluate((d) => (d as HTMLDetailsElement).open))) {
      await this.columnsMenu.locator('summary').click();
    }
    return this.columnsMenu;
  }

  /** The column-choice checkbox of one column, with the menu opened. */
  async columnCheckbox(label: string): Promise<Locator> {
    return (await this.openColumns()).getByRole('checkbox', { name: label, exact: true });
  }

  /** The row of one node, and the link in it that opens the offer page. */
  row(nodeId: string): Locator {
    return this.table.locator(`tbody > tr[data-node-id="${nodeId}"]`);
  }

  rowLink(nodeId: string): Locator {
    return this.row(nodeId).getByRole('link');
  }

  async chooseOption(label: FilterSelect, option: string): Promise<void> {
    await this.select(label).selectOption({ label: option });
  }

  async rowNodeIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-node-id') ?? ''));
  }

  /** The URL's query, as ordered key/value pairs (so `,` and `%2C` read the same). */
  async expectQuery(query: string): Promise<void> {
    const expected = [...new URLSearchParams(query)];
    await expect
      .poll(() => [...new URL(this.page.url()).searchParams], {
        message: `the URL query is "${query}"`,
        intervals: POLL_INTERVALS,
      })
      .toEqual(expected);
    expect(new URL(this.page.url()).pathname).toBe('/market');
  }

  /**
   * The view for `query` has settled and equals the API's answer to the same query: URL, the idle status
   * line, a table that is no longer busy, and the same node ids in the same order. Returns that answer.
   */
  async expectView(query: string): Promise<OfferPage> {
    await this.expectQuery(query);
    const laterPage = new URLSearchParams(query).has('cursor');
    const viewOf = (page: OfferPage) => {
      const count = page.data.length;
      return {
        status:
          count === 0
            ? 'No offers match these filters.'
            : `Showing ${count} offer${count === 1 ? '' : 's'}${laterPage ? ' (later page)' : ''}.`,
        busy: 'false',
        nodeIds: page.data.map((offer) => offer.nodeId),
      };
    };
    // The market is live: a node can be listed or unlisted (a lease, a benchmark) between the browser's
    // request and ours. The table must equal an answer the API gave for this query while we watched: asked
    // again on every poll, so the check neither misses a change nor demands a refetch the page need not make.
    const answers: OfferPage[] = [await this.api.offers(query)];
    let matched: OfferPage | undefined;
    await expect
      .poll(
        async () => {
          const table = {
            status: await this.status.textContent(),
            busy:
              (await this.busyRegion.count()) > 0 ? await this.busyRegion.getAttribute('aria-busy') : 'false',
            nodeIds: await this.rowNodeIds(),
          };
          matched = answers.find((answer) => JSON.stringify(viewOf(answer)) === JSON.stringify(table));
          if (matched) return 'the table is an answer of the API';
          answers.push(await this.api.offers(query));
          return { table, latestAnswer: viewOf(answers.at(-1) as OfferPage) };
        },
        { message: `the table shows what GET /api/v1/offers?${query} answers`, intervals: POLL_INTERVALS },
      )
      .toBe('the table is an answer of the API');
    const expected = matched as OfferPage;
    const count = expected.data.length;
    if (count === 0) await expect(this.emptyState).toBeVisible();
    else await expect(this.emptyState).toBeHidden();
    return expected;
  }
}
