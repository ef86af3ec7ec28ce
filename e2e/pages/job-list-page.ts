import { expect, type Locator, type Page } from '@playwright/test';

/** "My jobs" (`/jobs`): filters, the table, "Load more", and the empty and signed-out states. */
export class JobListPage {
  readonly main: Locator;
  readonly filters: Locator;
  readonly stateSelect: Locator;
  readonly templateSelect: Locator;
  readonly status: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly launchLink: Locator;
  readonly signInPrompt: Locator;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main');
    this.filters = this.main.getByRole('search', { name: 'Filter jobs' });
    this.stateSelect = this.filters.getByRole('combobox', { name: 'State' });
    this.templateSelect = this.filters.getByRole('combobox', { name: 'Template' });
    this.status = this.main.getByRole('status');
    this.table = this.main.getByRole('table', { name: 'My jobs, newest first' });
    this.rows = this.table.locator('tbody > tr');
    this.launchLink = this.main.getByRole('link', { name: 'Launch a job' }).first();
    this.signInPrompt = this.main.getByRole('heading', { level: 2, name: 'Sign in to see your jobs' });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(query ? `/jobs?${query}` : '/jobs');
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText('Jobs');
  }

  row(jobId: string): Locator {
    return this.table.locator(`tbody > tr[data-job-id="${jobId}"]`);
  }
}
