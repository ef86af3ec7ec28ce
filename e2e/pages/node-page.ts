import { expect, type Locator, type Page } from '@playwright/test';

/** An offer page (`/market/<nodeId>`): hardware, uptime, price against the market, verification. */
export class NodePage {
  readonly heading: Locator;
  readonly backToMarket: Locator;
  readonly hardwareCard: Locator;
  readonly uptimeCard: Locator;
  /** The bar chart is decorative (the same numbers are in the "Uptime by day" table), so no role. */
  readonly uptimeChart: Locator;
  readonly uptimeTable: Locator;
  readonly priceCard: Locator;
  readonly verificationCard: Locator;
  readonly verificationTable: Locator;
  readonly launchButton: Locator;

  constructor(readonly page: Page) {
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1 });
    this.backToMarket = main
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: '← Market' });
    this.hardwareCard = this.card('Hardware');
    this.uptimeCard = this.card('Uptime, last 30 days');
    this.uptimeChart = this.uptimeCard.locator('[data-chart="uptime"]');
    this.uptimeTable = this.uptimeCard.getByRole('table', { name: 'Daily uptime' });
    this.priceCard = this.card('Price against the market');
    this.verificationCard = this.card('Verification record');
    this.verificationTable = this.verificationCard.getByRole('table', {
      name: 'Verification history, newest first',
    });
    this.launchButton = main.getByRole('link', { name: 'Launch on this node' });
  }

  async goto(nodeId: string): Promise<void> {
    await this.page.goto(`/market/${nodeId}`);
  }

  /** The uptime chart: drawn on the server, one bar per day with data. */
  async expectUptimeChartDrawn(): Promise<void> {
    await expect(this.uptimeChart).toBeVisible();
    expect(await this.uptimeChart.locator('rect').count()).toBeGreaterThan(0);
  }

  /** A card is a section introduced by its level-2 heading. */
  card(title: string): Locator {
    return this.page
      .getByRole('main')
      .locator('section')
      .filter({ has: this.page.getByRole('heading', { level: 2, name: title, exact: true }) });
  }

  /** The hardware card's description list as label → value. */
  async hardwareFacts(): Promise<Record<string, string>> {
    const terms = await this.hardwareCard.getByRole('term').allTextContents();
    const values = await this.hardwareCard.getByRole('definition').allTextContents();
    expect(values).toHaveLength(terms.length);
    return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? '']));
  }
}
