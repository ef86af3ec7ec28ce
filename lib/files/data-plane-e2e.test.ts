import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '@/lib/auth/api-keys';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { jobAttempts, jobEvents, jobs, storedFiles } from '@/lib/db/schema';
import { costOfMs } from '@/lib/scheduler/ranking';
import {
  killHost,
  registerAgentProcess,
  writeNodeSpec,
  startOrchestrationLoop,
  until,
  type AgentProcess,
} from '@/lib/testing/agent-process';
import { useTestServices } from '@/lib/testing/api-harness';
import { createAccount, createCustomer } from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/**
 * The data plane end to end, with real agents: a customer uploads the reference renderer and its scene through
 * the API, launches a render job, the first real agent (process runner, its own state directory) downloads the
 * inputs, renders, uploads a checkpoint that the marketplace keeps — then its host vanishes (agent and workload
 * killed). A second real agent on another state directory is given the job, downloads the kept checkpoint,
 * resumes from it and uploads the frames. The outputs downloaded through the API are byte-identical to an
 * uninterrupted run, the receipt carries their digests, and the customer paid only for kept work.
 */

const previous = vi.hoisted(() => {
  const saved = { interval: process.env.HEARTBEAT_INTERVAL_MS, lost: process.env.NODE_LOST_AFTER_MS };
  process.env.HEARTBEAT_INTERVAL_MS = '500';
  process.env.NODE_LOST_AFTER_MS = '3000';
  return saved;
});

class WallClock extends ManualClock {
  override now(): Date {
    return new Date();
  }
}

const RENDERER = path.join(process.cwd(), 'workloads', 'render', 'render.mjs');
const FRAMES = 8;
/** A small scene: a few hundred milliseconds a frame here, so the kill lands between checkpoints. */
const SCENE = (() => {
  const scene = JSON.parse(
    readFileSync(path.join(process.cwd(), 'workloads', 'render', 'scene.json'), 'utf8'),
  );
  return JSON.stringify({ ...scene, width: 48, height: 32, samples: 24, frames: FRAMES });
})();

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The frames of an uninterrupted run of the renderer, straight on this machine: the reference. */
function referenceFrames(): Map<string, Buffer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-render-ref-'));
  const input = path.join(dir, 'input');
  const output = path.join(dir, 'output');
  for (const sub of [input, output, path.join(dir, 'ckpt')]) mkdirSync(sub, { recursive: true });
  writeFileSync(path.join(input, 'scene.json'), SCENE);
  const run = spawnSync(process.execPath, [RENDERER], {
    env: {
      PATH: path.dirname(process.execPath),
      BACKFILL_INPUT_DIR: input,
      BACKFILL_OUTPUT_DIR: output,
      BACKFILL_CHECKPOINT_DIR: path.join(dir, 'ckpt'),
      BACKFILL_WORK_UNITS: String(FRAMES),
    } as unknown as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return new Map(readdirSync(output).map((name) => [name, readFileSync(path.join(output, name))]));
}

describe('inputs in, checkpoints off the node, outputs out: real agents', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  let supplier: string;
  let stopLoop: () => void;
  const children: ChildProcess[] = [];
  const clock = new WallClock(Date.now());
  const work = mkdtempSync(path.join(os.tmpdir(), 'backfill-data-plane-e2e-'));
  const specFile = path.join(work, 'node.json');

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock });
    server = await startRouteServer();
    supplier = await createAccount(handle.db, clock, 'supplier');
    writeNodeSpec(specFile, 'render-box');
    stopLoop = startOrchestrationLoop(handle.db, clock);
  });

  afterAll(async () => {
    stopLoop();
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    spawnSync('pkill', ['-KILL', '-f', work]);
    await server.close();
    await handle.close();
    for (const [name, value] of [
      ['HEARTBEAT_INTERVAL_MS', previous.interval],
      ['NODE_LOST_AFTER_MS', previous.lost],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });

  /** Each attempt's job log (the workload's lines and the agent's), as one text. */
  async function attemptLogs(jobId: string): Promise<Map<number, string>> {
    const rows = await handle.db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.type, 'log')));
    const byAttempt = new Map<number, string>();
    for (const row of rows) {
      const data = row.data as { attempt: number; lines: { text: string }[] };
      byAttempt.set(
        data.attempt,
        `${byAttempt.get(data.attempt) ?? ''}${data.lines.map((l) => `${l.text}\n`).join('')}`,
      );
    }
    return byAttempt;
  }

  const registerAgent = async (stateDir: string): Promise<AgentProcess> =>
    (
      await registerAgentProcess(
        // No GPU here, and the job is not pinned: the agents prove themselves with the development CPU path
        // (development-size proofs, paced to the declared model) so the failover can reach either of them.
        {
          db: handle.db,
          clock,
          supplier,
          apiUrl: server.url,
          specFile,
          stateDir,
          args: ['--benchmark', 'cpu'],
        },
        children,
      )
    ).agent;

  it('resumes on a second real agent from the downloaded checkpoint; outputs are byte-identical; only kept work is charged', async () => {
    const reference = referenceFrames();
    expect(reference.size).toBe(FRAMES);

    const customer = await createCustomer(handle.db, clock, 50n);
    const { key } = await createApiKey(handle.db, clock, customer, 'data-plane');
    const api = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${server.url}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(method === 'POST' && url === '/api/v1/jobs'
            ? { 'idempotency-key': `data-plane-${customer}` }
            : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
      });
      return response;
    };

    // Inputs: the renderer and its scene, uploaded through signed URLs and confirmed.
    const upload = async (name: string, bytes: Buffer) => {
      const created = await api('POST', '/api/v1/files', {
        name,
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const { file, upload: put } = (await created.json()) as {
        file: { id: string; state: string };
        upload: { url: string; headers: Record<string, string> };
      };
      expect(file.state).toBe('pending');
      const sent = await fetch(put.url, { method: 'PUT', headers: put.headers, body: new Uint8Array(bytes) });
      expect(sent.status, await sent.clone().text()).toBe(201);
      const done = await api('POST', `/api/v1/files/${file.id}/complete`);
      expect(done.status, await done.clone().text()).toBe(200);
      expect(((await done.json()) as { state: string }).state).toBe('ready');
      return file.id;
    };
    const rendererId = await upload('render.mjs', readFileSync(RENDERER));
    const sceneId = await upload('scene.json', Buffer.from(SCENE));

    const launched = await api('POST', '/api/v1/jobs', {
      name: 'reference render',
      template: 'render',
      image: 'node:20-slim',
      command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
      env: { RENDER_SLEEP_MS_PER_FRAME: '1500' },
      inputs: [{ fileId: rendererId }, { fileId: sceneId }],
      workUnits: FRAMES,
      requirements: { gpuCount: 1 },
      budgetMicros: '5000000',
    });
    expect(launched.status, await launched.clone().text()).toBe(201);
    const { id: jobId } = (await launched.json()) as { id: string };

    // The first agent: downloads the inputs, renders, and has a checkpoint kept.
    const stateA = path.join(work, 'agent-a');
    const agentA = await registerAgent(stateA);
    const kept = await until(
      async () => {
        const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
        if (row && !['queued', 'scheduled', 'running'].includes(row.state))
          throw new Error(`the job ended (${row.state}) before its host could be lost`);
        return row && row.checkpointUnits > 0 && row.checkpointUnits < FRAMES ? row : null;
      },
      'a kept checkpoint',
      90_000,
    );
    // A kept checkpoint is a ready file in the store, uploaded by this attempt.
    const [checkpoint] = await handle.db
      .select()
      .from(storedFiles)
      .where(eq(storedFiles.id, kept.checkpointRef ?? ''));
    expect(checkpoint?.kind).toBe('checkpoint');
    expect(checkpoint?.state).toBe('ready');

    // The host vanishes: the agent and its workload, at once.
    killHost(agentA, stateA);

    // A second agent on another state directory: nothing of the first host's disk is visible to it.
    const stateB = path.join(work, 'agent-b');
    const agentB = await registerAgent(stateB);
    const finished = await until(
      async () => {
        const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, jobId));
        return row && ['succeeded', 'failed', 'cancelled', 'out_of_budget'].includes(row.state) ? row : null;
      },
      'the job to finish',
      120_000,
    );
    expect(finished.state, agentB.output.join('\n')).toBe('succeeded');

    const attempts = await handle.db
      .select()
      .from(jobAttempts)
      .where(eq(jobAttempts.jobId, jobId))
      .orderBy(asc(jobAttempts.number));
    expect(attempts.map((a) => a.state)).toEqual(['host_lost', 'completed']);
    const [lost, resumed] = attempts as [(typeof attempts)[0], (typeof attempts)[0]];
    expect(resumed.resumedFromUnits).toBeGreaterThan(0);
    // The second agent fetched and verified the inputs and the kept checkpoint, and resumed from it instead of
    // rendering from frame 0 again.
    const logs = await attemptLogs(jobId);
    expect(logs.get(2)).toContain('downloaded and verified 3 file(s)');
    expect(logs.get(2)).toMatch(/resuming from render-\d+/);
    expect(logs.get(2)).not.toMatch(/rendered frame 0 /);

    // Outputs: listed with their digests, downloaded through the API, byte-identical to the reference.
    const listed = await api('GET', `/api/v1/files?jobId=${jobId}&kind=output`);
    const page = (await listed.json()) as {
      items: { id: string; name: string; sha256: string; sizeBytes: number }[];
    };
    expect(page.items.map((f) => f.name).sort()).toEqual([...reference.keys()].sort());
    for (const file of page.items) {
      const redirect = await api('GET', `/api/v1/files/${file.id}/download`);
      expect(redirect.status).toBe(303);
      const bytes = Buffer.from(await (await fetch(redirect.headers.get('location') ?? '')).arrayBuffer());
      expect(bytes.equals(reference.get(file.name) as Buffer), file.name).toBe(true);
      expect(file.sha256).toBe(sha256(bytes));
    }
    // The receipt commits to the same digests.
    const receipt = (await (await api('GET', `/api/v1/jobs/${jobId}/receipt`)).json()) as {
      receipt: { outputs: { name: string; sha256: string }[] };
    };
    expect(Object.fromEntries(receipt.receipt.outputs.map((o) => [o.name, o.sha256]))).toEqual(
      Object.fromEntries([...reference].map(([name, bytes]) => [name, sha256(bytes)])),
    );

    // Charged only for kept work: the lost host's time after its last kept checkpoint was never charged.
    expect(lost.pendingMs).toBe(0);
    expect(lost.chargedMicros).toBe(costOfMs(lost.meteredMs, 1, lost.pricePerGpuHourMicros));
    expect(finished.chargedMicros).toBe(attempts.reduce((sum, a) => sum + a.chargedMicros, 0n));
    const lostRunMs = (lost.endedAt?.getTime() ?? 0) - (lost.runningAt?.getTime() ?? 0);
    expect(lost.meteredMs).toBeLessThan(lostRunMs);
  }, 300_000);
});
