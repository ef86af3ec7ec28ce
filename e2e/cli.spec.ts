import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from './fixtures';
import { waitForHydration } from './support/browser';
import { AgentRun, REPO_ROOT } from './support/agent-run';
import { newCustomer } from './support/new-customer';
import { RENDERER, renderScene } from './support/reference-render';

/**
 * From API key to terminal: a customer creates a key on /account, then the `backfill` CLI (the one-file build,
 * run with Node alone) and the Python package (standard library, `python3 -m backfill`) each log in with it,
 * launch the reference renderer from a spec file naming local inputs, watch it live to the end and download
 * its outputs, verified. Revoking the key in the browser makes both refuse.
 *
 * ISOLATION. The jobs are pinned to this spec's own agent (an L4 at 20 USDC per GPU-hour in a region where the
 * demo fleet lists one, so the data-plane spec's unpinned L4 job, which asks for a region without one, never
 * lands here). The agent has no GPU and answers the development-size proof with the CPU path.
 */
const FRAMES = 2;
const SCENE = renderScene({ width: 32, height: 24, samples: 8, frames: FRAMES });
const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'backfill.mjs');
const PYTHON_PACKAGE = path.join(REPO_ROOT, 'clients', 'python');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

test.describe('command line and Python package', () => {
  let agent: AgentRun | undefined;
  test.afterEach(async ({}, testInfo) => {
    if (agent && testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach('agent output', { body: agent.output.join('\n'), contentType: 'text/plain' });
    await agent?.stop();
  });

  test('a key made in the browser launches, watches and downloads from the CLI and from Python; revoked, both refuse', async ({
    page,
    baseURL,
    axe,
  }) => {
    test.setTimeout(300_000);
    const origin = new URL(baseURL ?? '').origin;
    const work = mkdtempSync(path.join(os.tmpdir(), 'backfill-cli-e2e-'));
    const build = spawnSync('npm', ['run', 'build:cli'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);

    /** One command of a client, with its own saved configuration, from a folder of its own. */
    const client = (name: 'cli' | 'python') => {
      const env = {
        PATH: process.env.PATH,
        HOME: work,
        BACKFILL_CONFIG: path.join(work, `${name}-config.json`),
        PYTHONPATH: PYTHON_PACKAGE,
        PYTHONDONTWRITEBYTECODE: '1',
      } as unknown as NodeJS.ProcessEnv;
      const [file, prefix] = name === 'cli' ? [process.execPath, [CLI]] : ['python3', ['-m', 'backfill']];
      return async (...args: string[]): Promise<Run> => {
        try {
          const { stdout, stderr } = await promisify(execFile)(file, [...prefix, ...args], {
            cwd: work,
            env,
            timeout: 180_000,
          });
          return { code: 0, stdout, stderr };
        } catch (error) {
          const failed = error as { code?: number; stdout?: string; stderr?: string };
          return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
        }
      };
    };
    const clients = { cli: client('cli'), python: client('python') };

    await newCustomer(page.request, origin);

    let key = '';
    await test.step('create a key on /account (read and jobs, the defaults)', async () => {
      await page.goto('/account');
      const form = page.locator('section').filter({
        has: page.getByRole('heading', { name: 'Create an API key' }),
      });
      await waitForHydration(form.getByRole('button', { name: 'Create key' }));
      await form.getByLabel('Name').fill('terminal');
      await form.getByRole('button', { name: 'Create key' }).click();
      const secret = page.getByTestId('new-api-key');
      await expect(secret).toHaveText(/^bfk_/);
      key = (await secret.textContent()) ?? '';
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await axe.expectNoSeriousViolations('/account after creating a key');
    });

    let nodeId = '';
    await test.step('a supplier agent of this test registers', async () => {
      const offers = (await (await page.request.get('/api/v1/offers?gpu=l4-24gb&limit=200')).json()) as {
        data: { region: string }[];
      };
      const region = offers.data.at(-1)?.region;
      if (!region) throw new Error('the demo fleet lists no L4; pick another isolation for this test');
      const token = await page.request.post('/api/v1/nodes/registration-tokens', {
        headers: { origin },
        data: {},
      });
      expect(token.status(), await token.text()).toBe(201);
      const { registrationToken } = (await token.json()) as { registrationToken: string };
      const started = await AgentRun.startProcessSupplier({
        api: origin,
        registrationToken,
        region,
        price: '20',
        stateDir: path.join(work, 'agent'),
      });
      agent = started;
      await expect
        .poll(() => /registered as node ([0-9a-f-]{36})/.exec(started.output.join('\n'))?.[1] ?? '', {
          timeout: 60_000,
          message: 'the agent registers',
        })
        .not.toBe('');
      nodeId = /registered as node ([0-9a-f-]{36})/.exec(started.output.join('\n'))?.[1] ?? '';
    });

    // A spec file as a customer writes one: the renderer and its scene are local files, uploaded by the client.
    const specFile = (name: string) => {
      const dir = path.join(work, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'render.mjs'), readFileSync(RENDERER));
      writeFileSync(path.join(dir, 'scene.json'), SCENE);
      writeFileSync(
        path.join(dir, 'job.json'),
        JSON.stringify({
          name: `e2e ${name} render`,
          template: 'render',
          image: 'node:20-slim',
          command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
          workUnits: FRAMES,
          inputs: [{ path: 'render.mjs' }, { path: 'scene.json' }],
          requirements: { gpuModels: ['l4-24gb'], gpuCount: 1, nodeId },
          budgetMicros: '2000000',
        }),
      );
      return path.join(dir, 'job.json');
    };

    const jobs: Record<string, string> = {};
    for (const name of ['cli', 'python'] as const) {
      const run = clients[name];
      await test.step(`${name}: log in, quote, launch and watch to the end, download the outputs`, async () => {
        const login = await run('login', '--api-url', origin, '--key', key);
        expect(login, login.stderr).toMatchObject({ code: 0 });
        expect(login.stdout).toMatch(/^Signed in to http:\/\/localhost:\d+ as 0x[0-9a-fA-F]{40}\n$/);

        const spec = specFile(name);
        const quote = await run('quote', spec);
        expect(quote, quote.stderr).toMatchObject({ code: 0 });
        expect(quote.stdout).toMatch(/^\d+ matching offer\(s\) now\.\n/);

        const launched = await run('launch', spec, '--watch');
        expect(launched, `${launched.stdout}\n${launched.stderr}`).toMatchObject({ code: 0 });
        const id = /^Launched job ([0-9a-f-]{36}) /m.exec(launched.stdout)?.[1] ?? '';
        expect(id).not.toBe('');
        jobs[name] = id;
        // Watched live: placed on this node, progress, then the end, in order.
        expect(launched.stdout).toMatch(
          / scheduled on [^\n]+\n[\s\S]* succeeded [^\n]*\nJob [0-9a-f-]{36} succeeded\n$/,
        );

        const listed = await run('outputs', id);
        expect(listed.stdout).toMatch(/^NAME\s+SIZE\s+SHA256\n/);
        const into = path.join(work, `${name}-outputs`);
        const downloaded = await run('outputs', id, '--download', into);
        expect(downloaded, downloaded.stderr).toMatchObject({ code: 0 });
        expect(downloaded.stdout).toBe(`Downloaded ${FRAMES} file(s) to ${into}\n`);
        const detail = (await (
          await page.request.get(`/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as { outputs: { name: string; sha256: string }[] };
        expect(readdirSync(into).sort()).toEqual(detail.outputs.map((o) => o.name).sort());
        for (const output of detail.outputs)
          expect(sha256(readFileSync(path.join(into, output.name)))).toBe(output.sha256);

        // The other verbs against the same stack: the market, and a cancel the API refuses (the job has ended).
        const offers = await run('offers', '--gpu', 'l4-24gb', '--limit', '3');
        expect(offers, offers.stderr).toMatchObject({ code: 0 });
        expect(offers.stdout).toMatch(/^NODE\s+GPU\s+FREE\s+REGION\s+PRICE\/GPU-H\s+UPTIME\s+VERIFIED\n/);
        const cancelled = await run('cancel', id);
        expect(cancelled.code).toBe(1);
        expect(cancelled.stderr).toBe(
          'backfill: HTTP 409 conflict: The job has already ended (succeeded).\n',
        );

        const logs = await run('logs', id);
        expect(logs.stdout).toMatch(/downloaded and verified 2 file\(s\)/);
        const listing = await run('jobs');
        expect(listing.stdout).toContain(id);
      });
    }

    await test.step('the second launch reused the inputs the first uploaded; the library calls any operation', async () => {
      const inputs = (await (
        await page.request.get('/api/v1/files?kind=input&limit=100', {
          headers: { authorization: `Bearer ${key}` },
        })
      ).json()) as { items: { name: string }[] };
      expect(inputs.items.map((f) => f.name).sort()).toEqual(['render.mjs', 'scene.json']);
      const balance = spawnSync(
        'python3',
        [
          '-c',
          'import os, backfill; c = backfill.Client(os.environ["BACKFILL_API_URL"], os.environ["BACKFILL_API_KEY"]); ' +
            'print(c.request("GET", "/api/v1/balance")["availableMicros"])',
        ],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            PYTHONPATH: PYTHON_PACKAGE,
            BACKFILL_API_URL: origin,
            BACKFILL_API_KEY: key,
          } as unknown as NodeJS.ProcessEnv,
        },
      );
      expect(balance.status, balance.stderr).toBe(0);
      expect(balance.stdout).toMatch(/^\d+\n$/);
    });

    await test.step('both clients rendered the same frames', async () => {
      const frames = (name: string) =>
        readdirSync(path.join(work, `${name}-outputs`))
          .sort()
          .map((file) => sha256(readFileSync(path.join(work, `${name}-outputs`, file))));
      expect(frames('python')).toEqual(frames('cli'));
    });

    await test.step('revoked on /account, the key is refused by both', async () => {
      await page.reload();
      const row = page.getByRole('row').filter({ hasText: 'terminal' });
      await waitForHydration(row.getByRole('button', { name: 'Revoke terminal' }));
      await row.getByRole('button', { name: 'Revoke terminal' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke “terminal”?' })
        .getByRole('button', { name: 'Revoke key' })
        .click();
      await expect(row).toContainText('Revoked');
      for (const name of ['cli', 'python'] as const) {
        const refused = await clients[name]('job', jobs[name] as string);
        expect(refused.code, refused.stdout).toBe(1);
        expect(refused.stderr).toMatch(
          /^backfill: HTTP 401 unauthorized: .+ \(is the key revoked\? run backfill login\)\n$/,
        );
        const relogin = await clients[name]('login', '--key', key);
        expect(relogin.code).toBe(1);
        expect(relogin.stderr).toContain('that key was refused');
      }
    });
  });
});
