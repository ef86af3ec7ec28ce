import { readFile } from 'node:fs/promises';
import { verifyMessage } from 'viem';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { expect, test } from './fixtures';
import { BillingPage } from './pages/billing-page';
import { JobLaunchPage } from './pages/job-launch-page';
import { JobListPage } from './pages/job-list-page';
import { JobMonitorPage } from './pages/job-monitor-page';
import { pressUntilFocused, waitForHydration, watchForReloads } from './support/browser';
import { DEV_ACCOUNTS } from './support/injected-wallet';

/**
 * FLEET TIMINGS. Everything below that waits on the simulated fleet depends on how it is configured:
 * heartbeats (HEARTBEAT_INTERVAL_MS, 5 s by default), the lost-after window (NODE_LOST_AFTER_MS, 30 s),
 * the scheduler tick (SCHEDULER_INTERVAL_MS, 1 s) and the virtual runner's real-time rate (a render job does
 * about 240 frames per A100-hour, ×3.2 on an H100/H200) with a checkpoint every 20 s of work. The job below
 * is sized to run about two minutes on those GPUs; the waits leave room for a slow CI machine.
 */
const FLEET = {
  /** Frames of the render job: about 100 s on one H100/H200 at the reference rate. */
  renderFrames: Number(process.env.E2E_RENDER_FRAMES ?? 20),
  /** From launch until the job runs on a node and reports progress and logs. */
  firstProgressMs: 60_000,
  /** Work done (and a checkpoint saved) on the first node before it is killed, so the failover resumes. */
  beforeKillMs: 90_000,
  /** From the kill until the job runs on another node: the lost-after window plus scheduling. */
  failoverMs: 120_000,
  /** From the failover until the job has finished. */
  finishMs: 240_000,
};

/** What `ms` of metered time costs at a price per GPU-hour (micro-USDC, rounded down, as the API settles). */
function costOfMetered(ms: number, pricePerGpuHourMicros: string, gpus: number): bigint {
  return (BigInt(ms) * BigInt(pricePerGpuHourMicros) * BigInt(gpus)) / 3_600_000n;
}

test.describe('jobs', () => {
  test('signed out, the jobs pages ask for a sign-in and the wizard still quotes', async ({ page }) => {
    const list = new JobListPage(page);
    await list.goto();
    await expect(list.signInPrompt).toBeVisible();
    const launch = new JobLaunchPage(page);
    await launch.goto();
    await test.step('by keyboard: arrow keys pick a template, Enter moves on and focus follows', async () => {
      await pressUntilFocused(page, launch.template('Batch LLM inference'));
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await expect(launch.template('Render')).toBeChecked();
      await pressUntilFocused(page, launch.nextButton);
      await page.keyboard.press('Enter');
      await launch.expectStep(2, 'Workload');
      await expect(launch.stepHeading).toBeFocused();
      await expect(launch.field('Work (frames)')).toHaveValue('24');
    });
    await test.step('a wrong field stops "Next" and is announced', async () => {
      await launch.field('Work (frames)').fill('0');
      await launch.nextButton.click();
      await launch.expectStep(2, 'Workload');
      // The API's own schema says what is wrong, in its words, before anything is sent.
      await expect(launch.errorSummary).toContainText('Must be at least 1.');
      await expect(launch.field('Work (frames)')).toBeFocused();
      await expect(launch.field('Work (frames)')).toHaveAttribute('aria-invalid', 'true');
      await expect(launch.field('Work (frames)')).toHaveAccessibleDescription(/Must be at least 1\./);
      await launch.field('Work (frames)').fill('24');
    });
    expect(await launch.settledQuote()).toBeGreaterThanOrEqual(0);
    await expect(launch.quote).toContainText('Sign in to compare the budget with your balance.');
  });

  test('"Launch on this node" opens the wizard pinned to that node, and it can be unpinned', async ({
    page,
    api,
  }) => {
    const node = await api.node(await api.firstNodeId());
    await page.goto(`/market/${node.id}`);
    const link = page.getByRole('main').getByRole('link', { name: 'Launch on this node' });
    await expect(link).toHaveAccessibleDescription(
      'Opens the launch wizard with the job pinned to this node.',
    );
    await link.click();
    await expect(page).toHaveURL(
      `/jobs/new?${new URLSearchParams({ nodeId: node.id, gpuModel: node.hardware.gpuModel, gpuCount: '1', region: node.region })}`,
    );
    const launch = new JobLaunchPage(page);
    await waitForHydration(launch.nextButton);
    await launch.nextButton.click();
    await launch.nextButton.click();
    await launch.expectStep(3, 'Hardware');
    await expect(launch.pinNote).toContainText(`Pinned to node ${node.name}.`);
    await expect(launch.gpuCheckbox(node.hardware.gpuName)).toBeChecked();
    await expect(launch.field('Region')).toHaveValue(node.region);
    await expect(launch.field('GPUs on one node')).toHaveValue('1');
    await launch.pinNote.getByRole('button', { name: /^Unpin/ }).click();
    await expect(launch.pinNote).toHaveCount(0);
  });

  test('launch a render job, watch it live, survive a lost host, and verify its receipt', async ({
    page,
    axe,
  }) => {
    // Signing in, a deposit, a two-minute job and a failover with a 30 s lost-after window.
    test.setTimeout(FLEET.firstProgressMs + FLEET.beforeKillMs + FLEET.failoverMs + FLEET.finishMs + 120_000);
    const address = DEV_ACCOUNTS[2];
    const billing = new BillingPage(page);

    await test.step('sign in with the local test wallet and deposit 20 USDC', async () => {
      await billing.goto();
      await billing.testAccountSelect.selectOption(address);
      await billing.signInButton('local test wallet').click();
      await billing.expectSignedInAs(address);
      await billing.startDeposit('20');
      await billing.watchUntilCredited('$20.00');
    });

    const launch = new JobLaunchPage(page);
    const name = `e2e render ${Date.now()}`;
    await test.step('the wizard: render template, a small workload, fast GPUs, a budget, a live quote', async () => {
      await launch.goto();
      await launch.expectStep(1, 'Template');
      await launch.template('Render').check();
      await launch.nextButton.click();

      await launch.expectStep(2, 'Workload');
      await launch.field('Job name').fill(name);
      await launch.field('Work (frames)').fill(String(FLEET.renderFrames));
      await launch.nextButton.click();

      await launch.expectStep(3, 'Hardware');
      await launch.gpuCheckbox('H100 80GB').check();
      await launch.gpuCheckbox('H200 141GB').check();
      const matching = await launch.settledQuote();
      expect(matching, 'offers match the job now').toBeGreaterThan(0);
      // A range, or one figure when both ends agree.
      await expect(launch.estimateCost).toHaveText(/^\$[\d.,]+( – \$[\d.,]+)?$/);
      await expect(launch.bestOptions.locator('tbody > tr').first()).toBeVisible();
      await launch.nextButton.click();

      await launch.expectStep(4, 'Budget & review');
      await launch.field('Budget cap (USDC)').fill('5');
      await launch.settledQuote();
      await expect(launch.quote).toContainText('covers this budget of $5.00');
      await launch.launchButton.click();
      // The launch answers, then the job page's own scripts load: with three transacting specs, their agents and
      // the fleet on two cores, a CI run once took 13 s to serve them.
      await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    });

    const monitor = new JobMonitorPage(page);
    const jobId = monitor.jobId();
    await expect(monitor.heading).toHaveText(name);
    const noReload = await watchForReloads(page);

    let first: JobDetailView['attempts'][number] | undefined;
    await test.step('progress and logs arrive live, without a reload', async () => {
      await expect(monitor.liveIndicator).toHaveText('Live', { timeout: 15_000 });
      await expect(monitor.stateBadge('Running')).toBeVisible({ timeout: FLEET.firstProgressMs });
      await expect.poll(() => monitor.progressValue(), { timeout: FLEET.firstProgressMs }).toBeGreaterThan(0);
      await expect(monitor.logLines.first()).toBeVisible();
      await expect(monitor.logViewport).toContainText('rendered frame', { timeout: FLEET.firstProgressMs });
      await expect(
        monitor.telemetryCard.getByRole('table', { name: /^Latest reading per GPU/ }),
      ).toBeVisible();
      await noReload();
    });

    await test.step('once a checkpoint is saved, the demo operator takes the host down, after confirming', async () => {
      // FLEET TIMING: the virtual runner saves a checkpoint every 20 s of work. Kill once work beyond the
      // checkpoint has been reported too, so the lost host has heartbeat-backed time that must not be charged.
      await expect
        .poll(
          async () => {
            const { checkpointUnits, progressUnits, currentAttempt } = await monitor.api.job(jobId);
            return (
              checkpointUnits > 0 && progressUnits > checkpointUnits && (currentAttempt?.pendingMs ?? 0) > 0
            );
          },
          { timeout: FLEET.beforeKillMs },
        )
        .toBe(true);
      const job = await monitor.api.job(jobId);
      first = job.currentAttempt ?? undefined;
      expect(first?.state).toBe('running');
      // On the local chain the development accounts are the demo's operators (SIMULATION_OPERATORS unset), so
      // this wallet gets the switch; it asks before it acts, and the dialog's own button takes the host down.
      await monitor.simulateFailureButton.click();
      const confirm = page.getByRole('dialog', { name: /^Take down / });
      await expect(confirm).toBeVisible();
      await confirm.getByRole('button', { name: 'Yes, take the host down' }).click();
      await expect(confirm).toBeHidden();
      await expect(monitor.header.getByRole('status').filter({ hasText: /is down\./ })).toBeVisible();
    });

    await test.step('a second attempt runs on another node, resuming from the checkpoint', async () => {
      // FLEET TIMING: NODE_LOST_AFTER_MS of silence, then a scheduler tick and the new node's heartbeat.
      await expect(monitor.attemptRows).toHaveCount(2, { timeout: FLEET.failoverMs });
      await expect(monitor.attemptRow(1)).toContainText('Host lost');
      const second = monitor.attemptRow(2);
      await expect(second).not.toHaveAttribute('data-node-id', first?.nodeId ?? '');
      await expect(monitor.timeline).toContainText(/Requeued/);
      await expect(monitor.timeline).toContainText(/Resumes from \d+ frames/);
      await noReload();
    });

    await test.step('it finishes: state Succeeded, the stream ends', async () => {
      await expect(monitor.stateBadge('Succeeded')).toBeVisible({ timeout: FLEET.finishMs });
      await expect(monitor.liveIndicator).toHaveText('Finished');
      await expect(monitor.timeline).toContainText('Succeeded');
      await expect(monitor.cancelButton).toHaveCount(0);
    });

    await test.step('the charge is the sum of the attempts, and forfeited time is not charged', async () => {
      const job = await monitor.api.job(jobId);
      expect(job.state).toBe('succeeded');
      expect(job.attempts).toHaveLength(2);
      const sum = job.attempts.reduce((total, a) => total + BigInt(a.chargedMicros), 0n);
      expect(BigInt(job.chargedMicros)).toBe(sum);
      // A failover to a node at another price says so beside the cost; at the same price it says nothing.
      const [one, two] = job.attempts;
      const moved = page.getByRole('note').filter({ hasText: /^Attempt 2 runs on/ });
      if (one?.pricePerGpuHourMicros === two?.pricePerGpuHourMicros) await expect(moved).toHaveCount(0);
      else await expect(moved).toContainText(`Attempt 2 runs on ${two?.nodeName ?? ''} at`);
      for (const a of job.attempts) {
        expect(BigInt(a.chargedMicros), `attempt ${a.number}: supplier + fee`).toBe(
          BigInt(a.supplierMicros) + BigInt(a.feeMicros),
        );
        // Exactly the heartbeat-backed, metered time is charged; forfeited time is not in it.
        expect(BigInt(a.chargedMicros), `attempt ${a.number}: metered time only`).toBe(
          costOfMetered(a.meteredMs, a.pricePerGpuHourMicros, a.gpuIndexes.length),
        );
      }
      const lost = job.attempts[0];
      expect(lost?.state).toBe('host_lost');
      expect(lost?.forfeitedMs ?? 0, 'the lost host forfeited the time since its checkpoint').toBeGreaterThan(
        0,
      );
      expect(BigInt(job.chargedMicros) + BigInt(job.releasedMicros)).toBe(BigInt(job.budgetMicros));
      await expect(monitor.attemptRows).toHaveCount(2);
    });

    await test.step('the receipt downloads and its signature verifies', async () => {
      await expect(monitor.downloadReceipt).toBeVisible({ timeout: 15_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), monitor.downloadReceipt.click()]);
      const file = JSON.parse(await readFile(await download.path(), 'utf8')) as {
        payload: string;
        signer: `0x${string}`;
        signature: `0x${string}`;
      };
      const valid = await verifyMessage({
        address: file.signer,
        message: file.payload,
        signature: file.signature,
      });
      expect(valid, 'the receipt is signed by its signer').toBe(true);
      expect(file.signer.toLowerCase()).toBe((await monitor.api.receiptSigner()).toLowerCase());
      const receipt = JSON.parse(file.payload) as { jobId: string; attempts: unknown[] };
      expect(receipt.jobId).toBe(jobId);
      expect(receipt.attempts).toHaveLength(2);
      await expect(monitor.receiptCard.getByTestId('receipt-signer')).toHaveText(file.signer);
      await monitor.receiptCard.getByRole('button', { name: 'Check the signature here' }).click();
      await expect(monitor.receiptCard.getByRole('status')).toContainText('Valid');
    });

    await test.step('the logs download holds both attempts', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), monitor.downloadLogs.click()]);
      const text = await readFile(await download.path(), 'utf8');
      expect(text).toContain('#1 ');
      expect(text).toContain('#2 ');
    });

    await axe.expectGoodEverywhere('job monitor, finished');

    await test.step('the job is in "my jobs", and the finished filter keeps it', async () => {
      const list = new JobListPage(page);
      await list.goto('state=finished&template=render');
      await expect(list.stateSelect).toHaveValue('finished');
      await expect(list.row(jobId)).toContainText('Succeeded');
      await expect(list.row(jobId)).toContainText(name);
      await axe.expectGoodEverywhere('jobs list, signed in');
    });
  });
});
