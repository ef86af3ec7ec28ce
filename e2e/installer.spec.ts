import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JobDetailView } from '@/lib/jobs/schemas';
import type { AgentReleaseView } from '@/lib/agent/release-view';
import { expect, test } from './fixtures';
import { SupplierPage } from './pages/supplier-page';
import { captureOutput, REPO_ROOT } from './support/agent-run';
import { newCustomer } from './support/new-customer';
import { countingWorkload } from './support/counting-workload';

/**
 * The acceptance test: from a directory that contains no checkout, the one-line Node.js command the
 * supplier page shows — copied exactly, run by a shell — downloads the bundled agent from the `npm start`
 * stack, checks its sha256, registers the machine and runs a job pinned to it to success.
 *
 * The shell gets no path into the repository (its node_modules/.bin is taken off PATH, HOME and the working
 * directory are fresh temporary directories), so only Node.js, curl and sha256sum are there, as on a
 * supplier's machine. The machine declares one L4 (the process runner; no nvidia-smi here) in a region where
 * the demo fleet lists L4s — the data-plane spec keeps its own L4 agents in one where it lists none — at a
 * price no other job would choose; the job is pinned to the node, so it runs there however the node is
 * verified.
 */
const WAIT = { register: 60_000, jobDone: 150_000 };
const WORK_UNITS = 4;
/** Counts to the job's work, half a second a unit, then prints its result. */
const WORKLOAD = countingWorkload('counted by the installed agent');

interface RunningInstall {
  child: ChildProcess;
  output: string[];
  dirs: string[];
}

let install: RunningInstall | null = null;

/** Runs the command line exactly as shown, with `bash -c`, in its own process group. */
function runInShell(command: string, cwd: string, home: string): RunningInstall {
  const pathWithoutCheckout = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !path.resolve(dir).startsWith(REPO_ROOT))
    .join(path.delimiter);
  const child = spawn('bash', ['-c', command], {
    cwd,
    env: { PATH: pathWithoutCheckout, HOME: home, LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, output: captureOutput(child, 'install command'), dirs: [cwd, home] };
}

/** SIGTERM to the whole group (the shell, the agent, its workloads), SIGKILL after five seconds. */
async function stopInstall(): Promise<void> {
  const running = install;
  install = null;
  if (!running) return;
  const { child } = running;
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal('SIGTERM');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
    ]);
    if (!stopped) signal('SIGKILL');
  }
  await Promise.all(running.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

test.describe('installing the agent without a checkout', () => {
  test.afterEach(async ({}, testInfo) => {
    if (install && testInfo.status !== testInfo.expectedStatus) {
      const text = install.output.join('\n');
      await testInfo.attach('install command output', { body: text, contentType: 'text/plain' });
      console.log(`--- install command output ---\n${text}\n--- end ---`);
    }
    await stopInstall();
  });
  test.afterAll(stopInstall);

  test('the supplier page’s one-line Node.js command installs, registers and runs a pinned job', async ({
    page,
    baseURL,
    axe,
  }) => {
    test.setTimeout(300_000);
    const origin = new URL(baseURL ?? '').origin;
    // A new supplier (and customer of its own node), signed in in this page's browser context.
    const key = await newCustomer(page.request, origin);
    const auth = { authorization: `Bearer ${key}` };

    const release = (await (await page.request.get('/api/v1/agent/release')).json()) as AgentReleaseView;
    await test.step('the stack serves the bundled agent with its sha256 and version', async () => {
      expect(release.downloadUrl).toBe(`${origin}/agent/backfill-agent.mjs`);
      expect(release.packageUrl).toBe(`${origin}/agent/backfill-agent.tgz`);
      const digest = await page.request.get('/agent/backfill-agent.mjs.sha256');
      expect(await digest.text()).toBe(`${release.sha256}  backfill-agent.mjs\n`);
      const head = await page.request.head('/agent/backfill-agent.mjs');
      expect(head.status()).toBe(200);
      expect(head.headers()['etag']).toBe(`"${release.sha256}"`);
      expect(head.headers()['x-backfill-agent-version']).toBe(release.version);
    });

    const offers = (await (await page.request.get('/api/v1/offers?gpu=l4-24gb&limit=200')).json()) as {
      data: { region: string }[];
    };
    const region = offers.data[0]?.region;
    if (!region) throw new Error('the demo fleet lists no L4; pick another isolation for this test');

    const supplier = new SupplierPage(page);
    let command = '';
    await test.step('create a token on /supplier and read the Node.js install command', async () => {
      await supplier.goto();
      await supplier.regionSelect.selectOption(region);
      await supplier.priceInput.fill('20');
      await supplier.runner('Process').check();
      await supplier.declareGpus.check();
      await supplier.gpuModelSelect.selectOption('l4-24gb');
      await supplier.gpuCountInput.fill('1');
      await supplier.createTokenButton.click();
      const installs = supplier.addNodeCard.getByRole('list', { name: 'Ways to install the agent' });
      await expect(installs.getByRole('heading', { level: 4 })).toHaveText([
        'Node.js 20 or later, one file',
        'npx, as an npm package',
        'Docker image',
        'systemd service',
        'From a checkout of the repository',
      ]);
      const shown = (name: string) =>
        supplier.addNodeCard.getByRole('region', { name }).locator('code').textContent();
      command = (await shown('Install command: Node.js')) ?? '';
      expect(command).toMatch(
        new RegExp(
          `^curl -fsSL ${origin}/agent/backfill-agent\\.mjs -o backfill-agent\\.mjs && ` +
            `echo "${release.sha256}  backfill-agent\\.mjs" \\| sha256sum -c - && ` +
            `node backfill-agent\\.mjs --api ${origin} --token bfr_\\S+ --region ${region} --price 20\\.00 ` +
            '--runner process --gpus l4-24gb:1 --cuda 12\\.4$',
        ),
      );
      // The other ways carry the same digest, from the same server.
      expect(await shown('Install command: npx')).toContain(
        `echo "${release.packageSha256}  backfill-agent.tgz"`,
      );
      expect(await shown('Install command: Docker')).toContain(`--build-arg AGENT_SHA256=${release.sha256}`);
      expect(await shown('Install command: systemd')).toContain(`echo "${release.sha256}  `);
      await expect(supplier.newNodeStatus).toHaveText('Waiting for the node to register…');
      await axe.expectNoSeriousViolations('supplier, the install commands');
    });

    let nodeId = '';
    const work = await mkdtemp(path.join(os.tmpdir(), 'backfill-install-'));
    const home = await mkdtemp(path.join(os.tmpdir(), 'backfill-install-home-'));
    await test.step('run it with bash in an empty directory: downloaded, checked, registered', async () => {
      expect(await readdir(work)).toEqual([]);
      install = runInShell(command, work, home);
      const running = install;
      await expect
        .poll(
          () => {
            if (running.child.exitCode !== null)
              throw new Error(`the command exited before registering:\n${running.output.join('\n')}`);
            return /registered as node ([0-9a-f-]{36})/.exec(running.output.join('\n'))?.[1] ?? '';
          },
          { timeout: WAIT.register, message: 'the agent registers' },
        )
        .not.toBe('');
      nodeId = /registered as node ([0-9a-f-]{36})/.exec(running.output.join('\n'))?.[1] ?? '';
      expect(running.output).toContain('backfill-agent.mjs: OK');
      expect(running.output.some((line) => line.includes(`Backfill agent ${release.version}`))).toBe(true);
      expect(await readdir(work)).toEqual(['backfill-agent.mjs']);
      await expect(supplier.newNodeStatus).toHaveText(/registered|verified/, { timeout: WAIT.register });
      const node = (await supplier.api.nodes()).find((n) => n.id === nodeId);
      expect(node).toMatchObject({ gpuModel: 'l4-24gb', region, agent: { version: release.version } });
      await expect(supplier.nodeCard(nodeId)).toContainText(`Runs agent ${release.version}.`);
    });

    await test.step('a job pinned to the node runs there and succeeds', async () => {
      const launched = await page.request.post('/api/v1/jobs', {
        headers: { ...auth, 'idempotency-key': `installer-${Date.now()}` },
        data: {
          name: 'e2e installed agent',
          template: 'custom',
          image: 'node:20-slim',
          command: ['node', '-e', WORKLOAD],
          workUnits: WORK_UNITS,
          requirements: { gpuModels: ['l4-24gb'], gpuCount: 1, nodeId },
          budgetMicros: '2000000',
        },
      });
      expect(launched.status(), await launched.text()).toBe(201);
      const { id: jobId } = (await launched.json()) as { id: string };
      const job = async () =>
        (await (await page.request.get(`/api/v1/jobs/${jobId}`, { headers: auth })).json()) as JobDetailView;
      await expect
        .poll(
          async () => {
            const { state } = await job();
            if (state === 'failed' || state === 'cancelled' || state === 'out_of_budget')
              throw new Error(`the job ended ${state}`);
            return state;
          },
          { timeout: WAIT.jobDone, intervals: [1_000], message: 'the job succeeds' },
        )
        .toBe('succeeded');
      const done = await job();
      expect(done.attempts.map((a) => [a.nodeId, a.state])).toEqual([[nodeId, 'completed']]);
      expect(done.progressUnits).toBe(WORK_UNITS);
      const logs = await (await page.request.get(`/api/v1/jobs/${jobId}/logs`, { headers: auth })).text();
      expect(logs).toContain('counted by the installed agent');
    });
  });
});
