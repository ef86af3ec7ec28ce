import { expect, type Locator, type Page } from '@playwright/test';
import { formatMoney } from '@/lib/money';
import type { PayoutView } from '@/lib/payouts/schemas';
import type { SupplierEarnings, SupplierNodeView } from '@/lib/supplier/schemas';
import { waitForHydration } from '@/e2e/support/browser';

/** Dollars as every page prints money (lib/money.ts). */
export const usdPrecise = (micros: bigint): string => formatMoney(micros);

/** The signed-in supplier's API, read with the browser context's cookies. */
export class SupplierApi {
  constructor(private readonly page: Page) {}

  private async json<T>(path: string): Promise<T> {
    const response = await this.page.request.get(path);
    expect(response.status(), `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  async nodes(): Promise<SupplierNodeView[]> {
    return (await this.json<{ items: SupplierNodeView[] }>('/api/v1/supplier/nodes?limit=100')).items;
  }

  earnings(): Promise<SupplierEarnings> {
    return this.json('/api/v1/supplier/earnings');
  }

  async payouts(): Promise<PayoutView[]> {
    return (await this.json<{ items: PayoutView[] }>('/api/v1/payouts?limit=100')).items;
  }
}

/** The supplier console (`/supplier`): add a node, my nodes, earnings, payouts. */
export class SupplierPage {
  readonly main: Locator;
  readonly signInPrompt: Locator;
  readonly addNodeCard: Locator;
  readonly regionSelect: Locator;
  readonly priceInput: Locator;
  readonly declareGpus: Locator;
  readonly gpuModelSelect: Locator;
  readonly gpuCountInput: Locator;
  readonly createTokenButton: Locator;
  readonly agentCommand: Locator;
  readonly copyCommandButton: Locator;
  readonly newNodeSteps: Locator;
  /** The one-line summary of the new node: waiting, registered and benchmarking, verified, failed. */
  readonly newNodeStatus: Locator;
  readonly nodesCard: Locator;
  readonly earningsCard: Locator;
  readonly downloadEarningsCsv: Locator;
  readonly earningsByNode: Locator;
  readonly payoutsCard: Locator;
  readonly withdrawButton: Locator;
  readonly payoutSteps: Locator;
  readonly payoutStatus: Locator;
  readonly payoutsTable: Locator;
  readonly downloadPayoutsCsv: Locator;
  readonly api: SupplierApi;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main');
    this.signInPrompt = this.main.getByRole('heading', {
      level: 2,
      name: 'Sign in to add nodes and get paid',
    });
    this.addNodeCard = this.card('Add a node');
    this.regionSelect = this.addNodeCard.getByRole('combobox', { name: 'Region' });
    this.priceInput = this.addNodeCard.getByRole('textbox', { name: 'Price (USD per GPU-hour)' });
    this.declareGpus = this.addNodeCard.getByRole('checkbox', {
      name: 'No nvidia-smi on this machine (test box): declare GPUs',
    });
    this.gpuModelSelect = this.addNodeCard.getByRole('combobox', { name: 'GPU model' });
    this.gpuCountInput = this.addNodeCard.getByRole('textbox', { name: 'GPU count' });
    this.createTokenButton = this.addNodeCard.getByRole('button', { name: 'Create registration token' });
    this.agentCommand = this.addNodeCard.getByRole('region', { name: 'Agent command' }).locator('code');
    this.copyCommandButton = this.addNodeCard.getByRole('button', { name: 'Copy command' });
    this.newNodeSteps = this.addNodeCard.getByRole('list', { name: 'New node steps' });
    this.newNodeStatus = this.addNodeCard
      .getByRole('status')
      .filter({ hasText: /register|benchmark|verified|expired/ });
    this.nodesCard = this.card('My nodes');
    this.earningsCard = this.card('Earnings');
    this.downloadEarningsCsv = this.earningsCard.getByRole('link', { name: 'Download earnings CSV' });
    this.earningsByNode = this.earningsCard.getByRole('table', { name: 'Earnings by node over the period' });
    this.payoutsCard = this.card('Payouts');
    this.withdrawButton = this.payoutsCard.getByRole('button', { name: 'Withdraw', exact: true });
    this.payoutSteps = this.payoutsCard.getByRole('list', { name: 'Payout steps' });
    this.payoutStatus = this.payoutsCard.getByRole('status').filter({ hasText: /^(Confirmed|Failed):/ });
    this.payoutsTable = this.payoutsCard.getByRole('table', { name: 'Payouts, newest first' });
    this.downloadPayoutsCsv = this.payoutsCard.getByRole('link', { name: 'Download payouts CSV' });
    this.api = new SupplierApi(page);
  }

  /** A card is a section introduced by its level-2 heading. */
  card(title: string): Locator {
    return this.main
      .locator('section')
      .filter({ has: this.page.getByRole('heading', { level: 2, name: title, exact: true }) });
  }

  /** Opens `/supplier` and waits until it responds (signed in: the token form; else the sign-in prompt). */
  async goto(query = ''): Promise<void> {
    await this.page.goto(query ? `/supplier?${query}` : '/supplier');
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Supplier');
    await expect(this.createTokenButton.or(this.signInPrompt)).toBeVisible();
    if (await this.createTokenButton.isVisible()) await waitForHydration(this.createTokenButton);
  }

  /** The runner choice, by the start of its label ("Docker", "Process"). */
  runner(name: 'Docker' | 'Process'): Locator {
    return this.addNodeCard.getByRole('radio', { name: new RegExp(`^${name}`) });
  }

  nodeCard(nodeId: string): Locator {
    return this.nodesCard.locator(`article[data-node-id="${nodeId}"]`);
  }

  /** A value of a fact in a node's card ("Status", "Uptime (30 days)", "Earned today", …). */
  nodeFact(nodeId: string, label: string): Locator {
    return this.nodeCard(nodeId)
      .locator('dl > div')
      .filter({ has: this.page.getByRole('term').filter({ hasText: new RegExp(`^${escape(label)}$`) }) })
      .getByRole('definition');
  }

  /** A figure of the earnings card ("Paid jobs (USDC)", "Payable", "Incentive balance", …). */
  stat(label: string): Locator {
    return this.earningsCard
      .locator('dl > div')
      .filter({ has: this.page.getByRole('term').filter({ hasText: new RegExp(`^${escape(label)}$`) }) })
      .getByRole('definition')
      .first();
  }

  payoutRow(id: string): Locator {
    return this.payoutsTable.locator(`tbody > tr[data-payout-id="${id}"]`);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
