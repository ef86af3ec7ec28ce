import { expect, type APIResponse, type Locator, type Page } from '@playwright/test';
import type { SessionResponse } from '@/lib/auth/schemas';
import type { BalanceView, ChainInfo, LedgerEntryView } from '@/lib/billing/schemas';
import type { DepositView } from '@/lib/deposits/schemas';
import { waitForHydration } from '@/e2e/support/browser';

/** "0x7099…79C8", as the UI shortens addresses. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** "$1,250.00" from micro-USDC, as the UI formats money (two decimals, half up). */
export function usd(micros: bigint): string {
  const cents = (micros + 5_000n) / 10_000n;
  return `$${(cents / 100n).toLocaleString('en-US')}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/**
 * The signed-in account's API, read with the browser context's cookies, so it answers for whoever the page
 * signed in as. Expectations are checked against these answers rather than against copies of the data.
 */
export class AccountApi {
  constructor(private readonly page: Page) {}

  private async json<T>(path: string): Promise<T> {
    const response = await this.page.request.get(path);
    expect(response.status(), `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  get(path: string): Promise<APIResponse> {
    return this.page.request.get(path);
  }

  session(): Promise<SessionResponse> {
    return this.json('/api/v1/auth/session');
  }

  chain(): Promise<ChainInfo> {
    return this.json('/api/v1/chain');
  }

  async availableMicros(): Promise<bigint> {
    return BigInt((await this.json<BalanceView>('/api/v1/balance')).availableMicros);
  }

  async deposits(): Promise<DepositView[]> {
    return (await this.json<{ items: DepositView[] }>('/api/v1/deposits?limit=100')).items;
  }

  deposit(id: string): Promise<DepositView> {
    return this.json(`/api/v1/deposits/${id}`);
  }

  async ledger(): Promise<LedgerEntryView[]> {
    return (await this.json<{ items: LedgerEntryView[] }>('/api/v1/ledger?limit=100')).items;
  }
}

/** The billing page (`/billing`): sign-in, balance, deposit form and progress, deposit history, ledger. */
export class BillingPage {
  readonly main: Locator;
  readonly header: Locator;
  readonly signedInAs: Locator;
  readonly signOutButton: Locator;
  readonly signInLink: Locator;
  readonly signInCard: Locator;
  readonly signInSteps: Locator;
  readonly signInError: Locator;
  readonly testChainNotice: Locator;
  readonly testAccountSelect: Locator;
  readonly depositCard: Locator;
  readonly amountInput: Locator;
  readonly depositButton: Locator;
  readonly depositSteps: Locator;
  readonly confirmations: Locator;
  readonly depositStatus: Locator;
  readonly depositsCard: Locator;
  readonly depositsTable: Locator;
  readonly ledgerCard: Locator;
  readonly ledgerTable: Locator;
  readonly downloadCsv: Locator;
  readonly withdrawCard: Locator;
  readonly api: AccountApi;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main');
    this.header = page.getByRole('banner');
    this.signedInAs = this.header.getByText(/^Signed in as /);
    this.signOutButton = this.header.getByRole('button', { name: 'Sign out' });
    this.signInLink = this.header.getByRole('link', { name: 'Sign in' });
    this.signInCard = this.card('Sign in with your wallet');
    this.signInSteps = this.signInCard.getByRole('list', { name: 'Sign-in steps' });
    this.signInError = this.signInCard.getByRole('alert');
    this.testChainNotice = this.main.getByRole('note').filter({ hasText: 'Local test chain.' });
    this.testAccountSelect = this.signInCard.getByRole('combobox', { name: 'Test account' });
    this.depositCard = this.card('Deposit USDC');
    this.amountInput = this.depositCard.getByRole('textbox', { name: 'Amount (USDC)' });
    this.depositButton = this.depositCard.getByRole('button', { name: 'Deposit', exact: true });
    this.depositSteps = this.depositCard.getByRole('list', { name: 'Deposit steps' });
    this.confirmations = this.depositCard.getByRole('progressbar');
    this.depositStatus = this.depositCard.getByRole('status');
    this.depositsCard = this.card('Deposits');
    this.depositsTable = this.depositsCard.getByRole('table', { name: 'Deposits, newest first' });
    this.ledgerCard = this.card('Ledger');
    this.ledgerTable = this.ledgerCard.getByRole('table', { name: 'Ledger entries, newest first' });
    this.downloadCsv = this.ledgerCard.getByRole('link', { name: 'Download CSV' });
    this.withdrawCard = this.card('Withdraw unused balance');
    this.api = new AccountApi(page);
  }

  /** A card is a section introduced by its level-2 heading. */
  card(title: string): Locator {
    return this.main
      .locator('section')
      .filter({ has: this.page.getByRole('heading', { level: 2, name: title, exact: true }) });
  }

  /** Opens `/billing` and waits until its wallet part has loaded and responds. */
  async goto(): Promise<void> {
    await this.page.goto('/billing');
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Billing');
    // The wallet part renders once the page's scripts have loaded: with three transacting specs, their agents
    // and the fleet on two cores, a CI run once took 9 s to serve them.
    await expect(this.signInCard.or(this.depositCard)).toBeVisible({ timeout: 30_000 });
    await waitForHydration(this.signInCard.or(this.depositCard).getByRole('button').first());
  }

  /** The button that signs in with a wallet, e.g. the injected test wallet or the local test wallet. */
  signInButton(walletName: string): Locator {
    return this.signInCard.getByRole('button', { name: `Sign in with ${walletName}`, exact: true });
  }

  /** The value of one of the balance cards ("Available", "Reserved", "Runway"). */
  stat(label: 'Available' | 'Reserved' | 'Runway'): Locator {
    return this.main
      .locator('dl > div')
      .filter({ has: this.page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
      .getByRole('definition')
      .first();
  }

  depositRow(id: string): Locator {
    return this.depositsTable.locator(`tbody > tr[data-deposit-id="${id}"]`);
  }

  ledgerRow(id: string): Locator {
    return this.ledgerTable.locator(`tbody > tr[data-ledger-entry-id="${id}"]`);
  }

  async expectSignedInAs(address: string): Promise<void> {
    await expect(this.signedInAs).toHaveText(`Signed in as ${shortAddress(address)}`);
    await expect(this.depositCard).toBeVisible();
    expect((await this.api.session()).account?.address).toBe(address);
  }

  /** Fills the amount and sends the deposit; the caller watches the progress. */
  async startDeposit(amount: string): Promise<void> {
    await this.amountInput.fill(amount);
    await this.depositButton.click();
  }

  /**
   * Waits until the deposit in progress is credited, reading the confirmation bar all the way; returns every
   * confirmation count it showed, in order.
   */
  async watchUntilCredited(amountText: string): Promise<number[]> {
    const seen: number[] = [];
    await expect(this.confirmations).toBeVisible({ timeout: 30_000 });
    await expect
      .poll(
        async () => {
          const value = await this.confirmations
            .evaluate((el) => (el as HTMLProgressElement).value, undefined, { timeout: 1_000 })
            .catch(() => null);
          if (value !== null && seen.at(-1) !== value) seen.push(value);
          return (await this.depositStatus.textContent()) ?? '';
        },
        { message: 'the deposit is credited', timeout: 60_000, intervals: [100] },
      )
      .toBe(`Credited: ${amountText} added to your available balance.`);
    // The bar and the status update in the same render; a poll can read the bar just before it and the
    // status just after. The bar as it stands once credited is its last reading.
    const last = await this.confirmations.evaluate((el) => (el as HTMLProgressElement).value);
    if (seen.at(-1) !== last) seen.push(last);
    return seen;
  }
}
