import { expect, type APIResponse, type Locator, type Page } from '@playwright/test';
import type { JobDetailView } from '@/lib/jobs/schemas';

/** The signed-in account's jobs API, read with the browser context's cookies. */
export class JobsApi {
  constructor(private readonly page: Page) {}

  get(path: string): Promise<APIResponse> {
    return this.page.request.get(path);
  }

  async job(id: string): Promise<JobDetailView> {
    const response = await this.page.request.get(`/api/v1/jobs/${id}`);
    expect(response.status(), `GET /api/v1/jobs/${id}`).toBe(200);
    return (await response.json()) as JobDetailView;
  }

  async receiptSigner(): Promise<string> {
    const response = await this.page.request.get('/api/v1/receipts/signer');
    expect(response.status(), 'GET /api/v1/receipts/signer').toBe(200);
    return ((await response.json()) as { address: string }).address;
  }
}

/** A job's monitor (`/jobs/<id>`): header, progress, cost, timeline, attempts, telemetry, logs, receipt. */
export class JobMonitorPage {
  readonly main: Locator;
  readonly heading: Locator;
  readonly header: Locator;
  readonly liveIndicator: Locator;
  readonly progress: Locator;
  readonly costCard: Locator;
  readonly timeline: Locator;
  readonly attemptsTable: Locator;
  readonly attemptRows: Locator;
  readonly telemetryCard: Locator;
  readonly logViewport: Locator;
  readonly logLines: Locator;
  readonly downloadLogs: Locator;
  readonly receiptCard: Locator;
  readonly downloadReceipt: Locator;
  readonly cancelButton: Locator;
  readonly simulateFailureButton: Locator;
  readonly api: JobsApi;

  constructor(readonly page: Page) {
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1 });
    this.header = this.main.locator('header').first();
    this.liveIndicator = this.header
      .getByRole('status')
      .filter({ hasText: /^(Live|Connecting…|Reconnecting…|Finished)$/ });
    this.progress = this.main.getByRole('progressbar', { name: 'Job progress' });
    this.costCard = this.card('Cost');
    this.timeline = this.main.getByRole('list', { name: 'Status timeline' });
    this.attemptsTable = this.main.getByRole('table', { name: 'Attempts, first to last' });
    this.attemptRows = this.attemptsTable.locator('tbody > tr');
    this.telemetryCard = this.card('GPU telemetry');
    this.logViewport = this.main.getByRole('region', { name: 'Job log, newest at the bottom' });
    this.logLines = this.logViewport.locator('[data-log-line]');
    this.downloadLogs = this.main.getByRole('link', { name: 'Download logs' });
    this.receiptCard = this.card('Receipt');
    this.downloadReceipt = this.receiptCard.getByRole('link', { name: 'Download receipt (JSON)' });
    this.cancelButton = this.header.getByRole('button', { name: 'Cancel job' });
    this.simulateFailureButton = this.header.getByRole('button', { name: /Simulate host failure/ });
    this.api = new JobsApi(page);
  }

  async goto(id: string): Promise<void> {
    await this.page.goto(`/jobs/${id}`);
  }

  /** The job id of the monitor on screen, from the URL. */
  jobId(): string {
    const id = new URL(this.page.url()).pathname.split('/').at(-1);
    if (!id) throw new Error(`not a job page: ${this.page.url()}`);
    return id;
  }

  /** A card is a section introduced by its level-2 heading. */
  card(title: string): Locator {
    return this.main
      .locator('section')
      .filter({ has: this.page.getByRole('heading', { level: 2, name: title, exact: true }) });
  }

  /** The state badge's text in the header ("Running", "Succeeded", …). */
  stateBadge(state: string): Locator {
    return this.header.getByText(state, { exact: true });
  }

  /** The value (0–1000) the native progress bar shows. */
  async progressValue(): Promise<number> {
    return this.progress.evaluate((el) => (el as HTMLProgressElement).value);
  }

  attemptRow(number: number): Locator {
    return this.attemptsTable.locator(`tbody > tr[data-attempt="${number}"]`);
  }

  /** A value of the cost card ("Charged", "Pending", "Budget", "Still held", "Released"). */
  cost(label: string): Locator {
    return this.costCard
      .locator('dl > div')
      .filter({ has: this.page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
      .getByRole('definition');
  }
}
