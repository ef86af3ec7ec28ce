import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { microsToDecimal } from '@/lib/money';
import { expect, test } from './fixtures';
import { BillingPage } from './pages/billing-page';
import { JobLaunchPage } from './pages/job-launch-page';
import { JobMonitorPage } from './pages/job-monitor-page';
import { SupplierPage, usdPrecise } from './pages/supplier-page';
import { waitForHydration } from './support/browser';
import { captureOutput } from './support/agent-run';
import {
  DEV_ACCOUNTS,
  TEST_WALLET_NAME,
  anvilRpc,
  installInjectedWallet,
  usdcBalance,
} from './support/injected-wallet';

/**
 * The supplier's whole path on the `npm start` stack: add a node on /supplier, run the printed agent command
 * (process runner, GPUs declared), watch it register and pass its benchmark, find it verified on the
 * market, rent it for a render job (inputs uploaded in the wizard, outputs downloaded and checked against
 * the receipt), see the job's earnings, withdraw them on-chain and download both CSVs.
 *
 * TIMINGS. The e2e stack benchmarks with BENCHMARK_REFERENCE_MS = 15 s (playwright.config.ts); a challenge
 * goes out on the scheduler tick after the node's first heartbeat. The reference renderer does a frame in about a quarter of a second;
 * payouts are confirmed after two local blocks (a block a second); incentive epochs last a minute there and
 * are closed by a loop that runs every minute.
 */
const WAIT = {
  register: 60_000,
  verify: 90_000,
  jobDone: 120_000,
  earnings: 60_000,
  payout: 90_000,
  incentives: 180_000,
};

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Frames of the reference renderer's default scene (a quarter of a second each on one core, paced to 2 s). */
const RENDER_FRAMES = 6;

const EARNINGS_CSV_HEADER =
  'date,at,kind,node_id,node_name,job_id,amount,currency,usd_value,usd_price,ledger_transaction_id';
const PAYOUTS_CSV_HEADER =
  'payout_id,requested_at,confirmed_at,state,amount,currency,usd_value,chain_id,to_address,tx_hash,explorer_url,failure_reason';

/** The agent started by the test, its temporary HOME (so its state directory is fresh) and its output. */
let agent: { child: ChildProcess; home: string; output: string[] } | null = null;

/** Runs the command exactly as printed: split into words, `npm` from the repository root. */
async function runAgent(command: string): Promise<void> {
  const [program, ...args] = command.split(' ');
  expect(program).toBe('npm');
  const home = await mkdtemp(path.join(os.tmpdir(), 'backfill-agent-e2e-'));
  // The test box has no GPU: the agent answers the e2e stack's development-size GPU proof with the
  // development CPU path (a real machine would use the default engine, the proof kernel on its GPU).
  const child = spawn('npm', [...args, '--benchmark', 'cpu'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home },
    // Its own process group, so the whole tree (npm, tsx, the agent, its workloads) can be stopped at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  agent = { child, home, output: captureOutput(child, 'agent') };
}

/** Resolves with the agent's exit status or signal once it exits (never, while it runs). */
function agentExit(): Promise<string> {
  const running = agent;
  if (!running) return Promise.resolve('not started');
  const { child } = running;
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(String(child.exitCode ?? child.signalCode));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));
}

/** SIGTERM to the agent's process group, then SIGKILL if it has not stopped within five seconds. */
async function stopAgent(): Promise<void> {
  const running = agent;
  agent = null;
  if (!running) return;
  const { child, home } = running;
  const group = child.pid;
  if (group !== undefined && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-group, name);
      } catch {
        // Already gone.
      }
    };
    signal('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!stopped) signal('SIGKILL');
  }
  await rm(home, { recursive: true, force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** On failure, the agent's output goes into the report and the test's output. */
async function attachAgentOutput(testInfo: TestInfo): Promise<void> {
  if (!agent || testInfo.status === testInfo.expectedStatus) return;
  const text = agent.output.join('\n');
  await testInfo.attach('agent output', { body: text, contentType: 'text/plain' });
  console.log(`--- agent output ---\n${text}\n--- end of agent output ---`);
}

async function download(page: Page, link: Locator): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFile(await file.path(), 'utf8');
}

test.describe('supplier', () => {
  test.afterEach(async ({}, testInfo) => {
    await attachAgentOutput(testInfo);
    await stopAgent();
  });
  test.afterAll(stopAgent);

  test('add a node, run the agent, watch it verify, earn from a job, withdraw on-chain and export CSVs', async ({
    page,
    context,
    axe,
    nodePage,
  }) => {
    test.setTimeout(480_000);
    const address = DEV_ACCOUNTS[8];
    await installInjectedWallet(context, { address });
    const billing = new BillingPage(page);

    await test.step('sign in with the injected wallet and deposit 20 USDC for the job', async () => {
      await billing.goto();
      await billing.signInButton(TEST_WALLET_NAME).click();
      await billing.expectSignedInAs(address);
      await billing.startDeposit('20');
      await billing.watchUntilCredited('$20.00');
    });

    const supplier = new SupplierPage(page);
    const nodesBefore = new Set((await supplier.api.nodes()).map((n) => n.id));
    let command = '';
    await test.step('create a token for a process-runner test box with one declared RTX 4090', async () => {
      await supplier.goto();
      await supplier.regionSelect.selectOption('eu-west');
      // The price starts from the market: the band of the chosen model, and its median in one click.
      await supplier.gpuModelSelect.selectOption('rtx-4090-24gb');
      const summary = (await (await page.request.get('/api/v1/offers/summary')).json()) as {
        models: { gpuModel: string; medianPriceMicros: string | null }[];
      };
      const median = summary.models.find((m) => m.gpuModel === 'rtx-4090-24gb')?.medianPriceMicros;
      if (!median) throw new Error('no RTX 4090 offers in the demo market');
      const suggestion = supplier.addNodeCard.getByTestId('price-suggestion');
      await expect(suggestion).toContainText('Market now for RTX 4090');
      await suggestion.getByRole('button', { name: 'Use the median' }).click();
      await expect(supplier.priceInput).toHaveValue(microsToDecimal(BigInt(median)));
      await supplier.priceInput.fill('3.60');
      await supplier.runner('Process').check();
      await supplier.declareGpus.check();
      await supplier.gpuCountInput.fill('1');
      await supplier.createTokenButton.click();
      await expect(supplier.agentCommand).toBeVisible();
      command = (await supplier.agentCommand.textContent()) ?? '';
      const origin = new URL(page.url()).origin;
      expect(command).toMatch(
        new RegExp(
          `^npm run agent -- --api ${origin} --token bfr_\\S+ --region eu-west --price 3\\.60 --runner process --gpus rtx-4090-24gb:1 --cuda 12\\.4$`,
        ),
      );
      await expect(supplier.addNodeCard).toContainText('The token works once and expires at');
      await expect(supplier.newNodeStatus).toHaveText('Waiting for the node to register…');
    });

    await test.step('run the printed command', async () => {
      await runAgent(command);
    });

    let nodeId = '';
    await test.step('the node registers, is benchmarked and verified', async () => {
      // An agent that stops before registering (a refused flag, say) fails the step at once, with its output.
      await Promise.race([
        expect(supplier.newNodeStatus).toHaveText(/registered|verified/, { timeout: WAIT.register }),
        agentExit().then((code) => {
          throw new Error(
            `the agent exited (${code}) before its node registered:\n${agent?.output.join('\n')}`,
          );
        }),
      ]);
      const node = (await supplier.api.nodes()).find((n) => !nodesBefore.has(n.id));
      if (!node) throw new Error('no new node in GET /api/v1/supplier/nodes');
      nodeId = node.id;
      expect(node).toMatchObject({
        gpuModel: 'rtx-4090-24gb',
        gpuCount: 1,
        region: 'eu-west',
        priceMicros: '3600000',
      });
      await expect(supplier.nodeCard(nodeId)).toBeVisible();
      await expect(supplier.newNodeStatus).toHaveText(`${node.name} is verified and listed on the market.`, {
        timeout: WAIT.verify,
      });
      await expect(supplier.newNodeSteps.getByRole('listitem')).toHaveText(
        Array.from({ length: 4 }, () => /\(done\)/),
      );
      const verified = (await supplier.api.nodes()).find((n) => n.id === nodeId);
      expect(verified?.verification).toMatchObject({ state: 'verified', method: 'benchmark' });
      await expect(supplier.nodeCard(nodeId)).toContainText('✓ Verified');
      await expect(supplier.nodeCard(nodeId)).toContainText('Last check: passed a timed hardware benchmark');
    });

    await test.step('the market lists it with a verified badge', async () => {
      await nodePage.goto(nodeId);
      await expect(nodePage.heading).toHaveText('1× RTX 4090 24GB');
      await expect(
        page
          .getByRole('main')
          .getByText(/✓ Verified/)
          .first(),
      ).toBeVisible();
      await expect(nodePage.launchButton).toBeVisible();
    });

    const launch = new JobLaunchPage(page);
    await test.step('launch a render job pinned to it: the reference renderer, uploaded with progress', async () => {
      await nodePage.launchButton.click();
      await expect(page).toHaveURL(/\/jobs\/new\?/);
      await waitForHydration(launch.nextButton);
      await launch.template('Render').check();
      await launch.nextButton.click();
      await launch.expectStep(2, 'Workload');
      await launch.field('Job name').fill(`e2e supplier ${Date.now()}`);
      await expect(launch.field('Command')).toHaveValue('node $(BACKFILL_INPUT_DIR)/render.mjs');
      await launch.main.getByRole('button', { name: 'Attach the reference renderer' }).click();
      const inputs = launch.main.getByRole('list', { name: 'Attached input files' });
      for (const name of ['render.mjs', 'scene.json']) {
        const row = inputs.locator(`li[data-input="${name}"]`);
        // Each file shows its progress while it uploads, then that the marketplace checked it.
        await expect(row).toBeVisible();
        await expect(row).toContainText('Uploaded and checked', { timeout: 30_000 });
      }
      await launch.field('Work (frames)').fill(String(RENDER_FRAMES));
      // Paced, so the run spans several heartbeats: only heartbeat-backed time is metered and paid.
      await launch.main.getByRole('button', { name: 'Add a variable' }).click();
      await launch.main.getByLabel('Name of variable 1').fill('RENDER_SLEEP_MS_PER_FRAME');
      await launch.main.getByLabel('Value of variable 1').fill('2000');
      await launch.nextButton.click();
      await launch.expectStep(3, 'Hardware');
      await expect(launch.pinNote).toContainText('Pinned to node');
      await launch.nextButton.click();
      await launch.expectStep(4, 'Budget & review');
      await launch.field('Budget cap (USDC)').fill('2');
      await launch.settledQuote();
      await launch.launchButton.click();
      await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    });

    const monitor = new JobMonitorPage(page);
    const jobId = monitor.jobId();
    await test.step('it runs on the node and succeeds', async () => {
      await expect(monitor.stateBadge('Succeeded')).toBeVisible({ timeout: WAIT.jobDone });
      const job = await monitor.api.job(jobId);
      expect(job.attempts.map((a) => a.nodeId)).toEqual([nodeId]);
      await expect(monitor.logViewport).toContainText('rendered frame');
      expect(job.inputs.map((i) => i.name).sort()).toEqual(['render.mjs', 'scene.json']);
    });

    await test.step('its frames are listed with their digests and download byte for byte', async () => {
      const job = await monitor.api.job(jobId);
      expect(job.outputs.map((o) => o.name)).toEqual(
        Array.from({ length: RENDER_FRAMES }, (_, i) => `frame-${String(i).padStart(4, '0')}.png`),
      );
      const first = job.outputs[0];
      if (!first) throw new Error('no outputs');
      const row = page.locator(`tr[data-output="${first.name}"]`);
      await expect(row).toContainText(first.sha256);
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('link', { name: `Download ${first.name}` }).click(),
      ]);
      const bytes = await readFile(await file.path());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.sha256);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    });

    await test.step('the receipt carries the node’s verification evidence and the outputs’ digests', async () => {
      await expect(monitor.receiptCard).toBeVisible({ timeout: 15_000 });
      const signed = await monitor.api.job(jobId);
      for (const output of signed.outputs)
        await expect(monitor.receiptCard.locator(`tr[data-digest="${output.name}"]`)).toContainText(
          output.sha256,
        );
      const evidence = monitor.receiptCard.getByRole('table', { name: /^Hardware evidence per attempt/ });
      const row = evidence.locator(`tbody > tr[data-node-id="${nodeId}"]`);
      await expect(row).toContainText('verified');
      await expect(row).toContainText(/Pass\s+score [\d.]+, at least [\d.]+ needed \(reference [\d.]+\)/);
      await expect(row).toContainText(/\d+ passed · 0 failed/);
    });

    const job = await monitor.api.job(jobId);
    const supplierShare = job.attempts.reduce((sum, a) => sum + BigInt(a.supplierMicros), 0n);
    expect(supplierShare, 'the job paid the node').toBeGreaterThan(0n);

    let payable = 0n;
    await test.step('its paid earnings show on /supplier, per node and in total', async () => {
      await supplier.goto();
      const paidByNode = async () =>
        BigInt((await supplier.api.earnings()).nodes.find((n) => n.nodeId === nodeId)?.paidMicros ?? '0');
      await expect.poll(paidByNode, { timeout: WAIT.earnings }).toBe(supplierShare);
      const report = await supplier.api.earnings();
      payable = BigInt(report.balances.payableMicros);
      expect(payable, 'the job’s share is payable').toBeGreaterThanOrEqual(supplierShare);
      await page.reload();
      await expect(supplier.stat('Paid jobs (USDC)')).toHaveText(
        usdPrecise(BigInt(report.totals.paidMicros)),
      );
      await expect(supplier.stat('Payable')).toHaveText(usdPrecise(payable));
      await expect(supplier.earningsByNode.locator(`tbody > tr[data-node-id="${nodeId}"]`)).toContainText(
        usdPrecise(supplierShare),
      );
      await expect(supplier.nodeFact(nodeId, 'Earned today')).toContainText(
        `${usdPrecise(supplierShare)} paid`,
      );
    });

    const chain = await billing.api.chain();
    const usdc = chain.usdcAddress as `0x${string}`;
    const walletBefore = await usdcBalance(usdc, address);
    await test.step('withdraw all of it to the wallet and watch the payout confirm on-chain', async () => {
      await supplier.withdrawButton.click();
      await expect(supplier.payoutSteps).toBeVisible();
      await expect(supplier.payoutStatus).toHaveText(
        `Confirmed: ${usdPrecise(payable)} sent to your wallet.`,
        {
          timeout: WAIT.payout,
        },
      );
      await expect(supplier.payoutSteps.getByRole('listitem')).toHaveText(
        Array.from({ length: 4 }, () => /\(done\)/),
      );
    });

    const [payout] = await supplier.api.payouts();
    if (!payout?.txHash) throw new Error('no confirmed payout with a transaction');
    const txHash = payout.txHash;
    await test.step('the history shows it with its transaction, and the chain agrees', async () => {
      expect(payout).toMatchObject({
        state: 'confirmed',
        amountMicros: payable.toString(),
      });
      expect(payout.toAddress.toLowerCase(), 'paid to the signed-in wallet').toBe(address.toLowerCase());
      const row = supplier.payoutRow(payout.id);
      await expect(row).toContainText('Confirmed');
      await expect(row).toContainText(usdPrecise(payable));
      if (payout.explorerUrl) await expect(row.getByRole('link')).toHaveAttribute('href', payout.explorerUrl);
      else await expect(row.locator('code')).toHaveAttribute('title', txHash);
      const receipt = await anvilRpc('eth_getTransactionReceipt', [txHash]);
      expect('result' in receipt && (receipt.result as { status?: string } | null)?.status).toBe('0x1');
      expect(await usdcBalance(usdc, address)).toBe(walletBefore + payable);
      await expect(supplier.stat('Payable')).toHaveText('$0.00');
    });

    await test.step('the earnings CSV has the job’s paid row', async () => {
      const csv = (await download(page, supplier.downloadEarningsCsv)).trim().split('\n');
      expect(csv[0]).toBe(EARNINGS_CSV_HEADER);
      const rows = csv.filter((line) => line.includes(`,paid,${nodeId},`) && line.includes(`,${jobId},`));
      expect(rows.length, 'a paid row for the job').toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatch(/,USDC,[\d.]+,1\.00,[0-9a-f-]{36}$/);
    });

    await test.step('the payouts CSV has the payout with its transaction', async () => {
      const csv = (await download(page, supplier.downloadPayoutsCsv)).trim().split('\n');
      expect(csv[0]).toBe(PAYOUTS_CSV_HEADER);
      const row = csv.find((line) => line.startsWith(`${payout.id},`));
      expect(row, 'a row for the payout').toBeDefined();
      expect(row).toContain(',confirmed,');
      expect(row?.toLowerCase()).toContain(`,${chain.chainId},${address},${txHash},`.toLowerCase());
    });

    await test.step('availability incentives arrive for the verified node, apart from paid work', async () => {
      await expect
        .poll(
          async () =>
            BigInt(
              (await supplier.api.earnings()).nodes.find((n) => n.nodeId === nodeId)?.incentiveMicros ?? '0',
            ),
          { timeout: WAIT.incentives, intervals: [5_000] },
        )
        .toBeGreaterThan(0n);
      await page.reload();
      await expect(supplier.stat('Incentives (network token)')).toHaveText(/^[\d,.]+ tokens?$/);
      await expect(supplier.earningsByNode.locator(`tbody > tr[data-node-id="${nodeId}"]`)).toContainText(
        usdPrecise(supplierShare),
      );
    });

    await test.step('axe, light and dark, and 375 px without sideways scrolling', async () => {
      await axe.expectGoodEverywhere('supplier, signed in with a node');
    });
  });
});
