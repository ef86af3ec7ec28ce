import { expect, type Locator, type Page } from '@playwright/test';
import { waitForHydration } from '@/e2e/support/browser';

/** The launch wizard (`/jobs/new`): template, workload, hardware, budget and review, and the live quote. */
export class JobLaunchPage {
  readonly main: Locator;
  readonly stepHeading: Locator;
  readonly steps: Locator;
  readonly nextButton: Locator;
  readonly backButton: Locator;
  readonly launchButton: Locator;
  readonly errorSummary: Locator;
  readonly launchProblem: Locator;
  readonly quote: Locator;
  readonly quoteStatus: Locator;
  readonly matchingOffers: Locator;
  readonly estimateCost: Locator;
  readonly bestOptions: Locator;
  readonly pinNote: Locator;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main');
    this.stepHeading = this.main.getByRole('heading', { level: 2, name: /^Step \d of 4: / });
    this.steps = this.main.getByRole('list', { name: 'Launch steps' });
    this.nextButton = this.main.getByRole('button', { name: /^Next: / });
    this.backButton = this.main.getByRole('button', { name: 'Back', exact: true });
    this.launchButton = this.main.getByRole('button', { name: 'Launch job', exact: true });
    this.errorSummary = this.main.getByRole('alert').filter({ hasText: /^Please check/ });
    this.launchProblem = this.main
      .getByRole('alert')
      .filter({ hasText: /balance does not cover|Could not launch/ });
    this.quote = this.main.getByRole('region', { name: 'Live quote' });
    this.quoteStatus = this.quote.getByRole('status');
    this.matchingOffers = this.quote.getByTestId('matching-offers');
    this.estimateCost = this.quote.getByTestId('estimate-cost');
    this.bestOptions = this.quote.getByRole('table', { name: /^Best matching offers/ });
    this.pinNote = this.main.getByRole('note').filter({ hasText: /^Pinned to node/ });
  }

  /** Opens `/jobs/new?<query>` and waits until the wizard responds to input. */
  async goto(query = ''): Promise<void> {
    await this.page.goto(query ? `/jobs/new?${query}` : '/jobs/new');
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Launch a job');
    await waitForHydration(this.nextButton);
  }

  async expectStep(number: number, title: string): Promise<void> {
    await expect(this.stepHeading).toHaveText(`Step ${number} of 4: ${title}`);
  }

  /** A template's radio, by the template's name (its label also carries the description). */
  template(name: string): Locator {
    return this.main.getByRole('radio', { name: new RegExp(`^${name}`) });
  }

  /** A text input or select of the wizard, by its label. */
  field(label: string): Locator {
    return this.main.getByLabel(label, { exact: true });
  }

  gpuCheckbox(name: string): Locator {
    return this.main
      .getByRole('group', { name: 'GPU models' })
      .getByRole('checkbox', { name: new RegExp(`^${name}`) });
  }

  /** Waits for a settled quote (not updating) and returns how many offers match. */
  async settledQuote(): Promise<number> {
    await expect(this.quoteStatus).toHaveText('Quote for the job as it stands.', { timeout: 15_000 });
    return Number((await this.matchingOffers.textContent())?.replaceAll(',', ''));
  }
}
