import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { REGION_IDS } from '@/lib/market/regions';
import { expect, test } from './fixtures';
import { AgentRun } from './support/agent-run';
import { newCustomer } from './support/new-customer';
import { RENDERER, renderScene } from './support/reference-render';

/**
 * The data plane on the `npm start` stack, with real agents (process runner, each with its own state
 * directory): a new customer uploads the reference renderer and its scene through the API, launches a render
 * job, the first agent renders and has a checkpoint kept, then its host vanishes (agent and workload killed).
 * A second agent downloads the kept checkpoint and resumes from it. The outputs, downloaded through the API,
 * are byte-identical to an uninterrupted run, the receipt carries their digests, and the customer paid only
 * for kept work.
 *
 * ISOLATION. The agents declare an L4 in a region where the demo fleet lists none, at a price no other job
 * would choose, and the job asks for exactly that: it can only run on these two agents, and the suite's
 * other jobs (H100/H200 renders, pinned nodes; the e2e stack runs no demo demand) never land on them. The L4
 * is the slowest model; the agents have no GPU and answer the stack's development-size GPU proof with the
 * development CPU path (--benchmark cpu, paced to the declared model), timed from their acknowledgement.
 * TIMINGS. NODE_LOST_AFTER_MS is 12 s on the e2e stack; a frame takes about 0.1 s here, paced to 2 s so the
 * kill lands between the first kept checkpoint and the last frame even on a loaded machine.
 */
const FRAMES = 8;
const SCENE = renderScene({ width: 48, height: 32, samples: 24, frames: FRAMES });
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The frames of an uninterrupted run, straight on this machine: the reference. */
function referenceFrames(): Map<string, Buffer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-render-ref-'));
  const [input, output, ckpt] = ['input', 'output', 'ckpt'].map((d) => path.join(dir, d)) as [
    string,
    string,
    string,
  ];
  for (const d of [input, output, ckpt]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(input, 'scene.json'), SCENE);
  const run = spawnSync(process.execPath, [RENDERER], {
    env: {
      PATH: process.env.PATH,
      BACKFILL_INPUT_DIR: input,
      BACKFILL_OUTPUT_DIR: output,
      BACKFILL_CHECKPOINT_DIR: ckpt,
      BACKFILL_WORK_UNITS: String(FRAMES),
    } as unknown as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return new Map(readdirSync(output).map((name) => [name, readFileSync(path.join(output, name))]));
}

test.describe('data plane', () => {
  const agents: AgentRun[] = [];
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus)
      for (const [i, agent] of agents.entries()) {
        const text = agent.output.join('\n');
        await testInfo.attach(`agent ${i + 1} output`, { body: text, contentType: 'text/plain' });
        console.log(`--- agent ${i + 1} output ---\n${text}\n--- end ---`);
      }
    await Promise.all(agents.map((agent) => agent.stop()));
  });

  test('inputs in, a host lost after a kept checkpoint, resumed from the downloaded checkpoint, outputs out', async ({
    request,
    baseURL,
  }) => {
    test.setTimeout(300_000);
    const origin = new URL(baseURL ?? '').origin;
    const reference = referenceFrames();
    const key = await newCustomer(request, origin);
    const auth = { authorization: `Bearer ${key}` };

    // A region without any demo L4 offer: only this test's agents can take the job.
    const l4 = (await (await request.get('/api/v1/offers?gpu=l4-24gb&limit=200')).json()) as {
      data: { region: string }[];
    };
    const taken = new Set(l4.data.map((o) => o.region));
    const region = REGION_IDS.find((r) => !taken.has(r));
    if (!region) throw new Error('every region has a demo L4; pick another isolation for this test');

    const work = mkdtempSync(path.join(os.tmpdir(), 'backfill-data-plane-'));
    const startAgent = async (name: string) => {
      const token = await request.post('/api/v1/nodes/registration-tokens', { headers: auth, data: {} });
      expect(token.status(), await token.text()).toBe(201);
      const { registrationToken } = (await token.json()) as { registrationToken: string };
      const stateDir = path.join(work, name);
      const agent = await AgentRun.startProcessSupplier({
        api: origin,
        registrationToken,
        region,
        price: '20',
        stateDir,
      });
      agents.push(agent);
      return { agent, stateDir };
    };

    const upload = async (name: string, bytes: Buffer) => {
      const created = await request.post('/api/v1/files', {
        headers: auth,
        data: { name, sizeBytes: bytes.length, sha256: sha256(bytes) },
      });
      expect(created.status(), await created.text()).toBe(201);
      const { file, upload: put } = (await created.json()) as {
        file: { id: string };
        upload: { url: string; headers: Record<string, string> };
      };
      const sent = await request.put(put.url, { headers: put.headers, data: bytes });
      expect(sent.status(), await sent.text()).toBe(201);
      const done = await request.post(`/api/v1/files/${file.id}/complete`, { headers: auth, data: {} });
      expect(done.status(), await done.text()).toBe(200);
      return file.id;
    };
    const rendererId = await upload('render.mjs', readFileSync(RENDERER));
    const sceneId = await upload('scene.json', Buffer.from(SCENE));

    const first = await startAgent('agent-a');
    const launched = await request.post('/api/v1/jobs', {
      headers: { ...auth, 'idempotency-key': `data-plane-${Date.now()}` },
      data: {
        name: 'e2e reference render',
        template: 'render',
        image: 'node:20-slim',
        command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
        env: { RENDER_SLEEP_MS_PER_FRAME: '2000' },
        inputs: [{ fileId: rendererId }, { fileId: sceneId }],
        workUnits: FRAMES,
        requirements: { gpuModels: ['l4-24gb'], gpuCount: 1, region },
        budgetMicros: '5000000',
      },
    });
    expect(launched.status(), await launched.text()).toBe(201);
    const { id: jobId } = (await launched.json()) as { id: string };
    const job = async () =>
      (await (await request.get(`/api/v1/jobs/${jobId}`, { headers: auth })).json()) as JobDetailView;

    await test.step('the first agent downloads the inputs, renders, and has a checkpoint kept', async () => {
      // Read once per poll: the kill must land between the first kept checkpoint and the last frame.
      await expect
        .poll(
          async () => {
            const { checkpointUnits, state } = await job();
            if (state !== 'queued' && state !== 'scheduled' && state !== 'running')
              throw new Error(`the job ended (${state}) before its host could be lost`);
            return checkpointUnits > 0 && checkpointUnits < FRAMES;
          },
          { timeout: 150_000, intervals: [250], message: 'a kept checkpoint' },
        )
        .toBe(true);
    });

    await test.step('its host vanishes; a second agent resumes from the downloaded checkpoint', async () => {
      first.agent.kill(first.stateDir);
      await startAgent('agent-b');
      await expect
        .poll(async () => (await job()).state, { timeout: 150_000, message: 'the job finishes' })
        .toBe('succeeded');
      const { attempts } = await job();
      expect(attempts.map((a) => a.state)).toEqual(['host_lost', 'completed']);
      const logs = await (await request.get(`/api/v1/jobs/${jobId}/logs`, { headers: auth })).text();
      expect(logs).toMatch(/downloaded and verified 3 file\(s\)/);
      expect(logs).toMatch(/resuming from render-\d+\.ckpt/);
    });

    await test.step('the outputs are byte-identical to an uninterrupted run; the receipt signs their digests', async () => {
      const listed = (await (
        await request.get(`/api/v1/files?jobId=${jobId}&kind=output&limit=100`, { headers: auth })
      ).json()) as { items: { id: string; name: string; sha256: string }[] };
      expect(listed.items.map((f) => f.name).sort()).toEqual([...reference.keys()].sort());
      for (const file of listed.items) {
        const bytes = await (
          await request.get(`/api/v1/files/${file.id}/download`, { headers: auth })
        ).body();
        expect(bytes.equals(reference.get(file.name) as Buffer), file.name).toBe(true);
        expect(file.sha256).toBe(sha256(bytes));
      }
      const receipt = (await (
        await request.get(`/api/v1/jobs/${jobId}/receipt`, { headers: auth })
      ).json()) as {
        receipt: { outputs: { name: string; sha256: string }[] };
      };
      expect(Object.fromEntries(receipt.receipt.outputs.map((o) => [o.name, o.sha256]))).toEqual(
        Object.fromEntries([...reference].map(([name, bytes]) => [name, sha256(bytes)])),
      );
    });

    await test.step('only kept work was charged', async () => {
      const done = await job();
      const [lost, resumed] = done.attempts;
      if (!lost || !resumed) throw new Error('two attempts expected');
      expect(resumed.meteredMs).toBeGreaterThan(0);
      // The lost host's time after its last kept checkpoint was forfeited, never charged.
      expect(lost.pendingMs).toBe(0);
      const cost = (ms: number, price: string) => (BigInt(ms) * BigInt(price)) / 3_600_000n;
      expect(BigInt(lost.chargedMicros)).toBe(cost(lost.meteredMs, lost.pricePerGpuHourMicros));
      expect(BigInt(done.chargedMicros)).toBe(BigInt(lost.chargedMicros) + BigInt(resumed.chargedMicros));
    });
  });
});
