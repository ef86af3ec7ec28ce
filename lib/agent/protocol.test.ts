import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provideServiceContext } from '@/lib/api/context';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { issueRegistrationToken, REGISTRATION_TOKEN_TTL_MS } from '@/lib/agent/register';
import { POST as heartbeatRoute } from '@/app/api/v1/agent/heartbeat/route';
import { POST as registerRoute } from '@/app/api/v1/agent/register/route';
import { POST as uploadRoute } from '@/app/api/v1/agent/uploads/route';
import { POST as completeUploadRoute } from '@/app/api/v1/agent/uploads/[id]/complete/route';
import { PUT as storagePut } from '@/app/api/v1/storage/objects/[...key]/route';
import { jobEvents, jobs, storedFiles } from '@/lib/db/schema';
import { launchJob } from '@/lib/jobs/launch';
import { scheduleQueuedJobs } from '@/lib/scheduler/schedule';
import { call, useTestServices } from '@/lib/testing/api-harness';
import {
  createAccount,
  createCustomer,
  createNode,
  TEST_ORCHESTRATION,
  testSpec,
} from '@/lib/testing/orchestration-fixture';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const registration = (token: string, overrides: Record<string, unknown> = {}) => ({
  registrationToken: token,
  name: 'lab-box-1',
  region: 'eu-central',
  pricePerGpuHourMicros: '450000',
  gpus: [
    { index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: 'GPU-aaaa' },
    { index: 1, model: 'rtx-4090-24gb', vramGb: 24, serial: 'GPU-bbbb' },
  ],
  cpuCores: 32,
  ramGb: 128,
  diskGb: 2000,
  bandwidthMbps: 1000,
  cudaVersion: '12.4',
  ...overrides,
});

describe('agent protocol over the API routes', () => {
  let handle: DatabaseHandle;
  let clock: ManualClock;

  beforeEach(async () => {
    handle = await createPgliteTestDb();
    clock = new ManualClock('2026-11-25T10:00:00Z');
    useTestServices({ db: handle.db, clock, chain: null });
  });
  afterEach(() => handle.close());
  afterAll(() => provideServiceContext(null));

  it('registers once per token: a second use, even concurrent, is refused; an expired token too', async () => {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const body = registration(registrationToken);
    // No Origin: an agent is not a browser, and the endpoint reads no cookie.
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        call(registerRoute, '/api/v1/agent/register', { method: 'POST', body, origin: null }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401, 401]);
    const created = (await answers.find((a) => a.status === 201)!.json()) as {
      nodeId: string;
      nodeToken: string;
    };
    expect(created.nodeToken).toMatch(/^bfn_/);

    const late = await issueRegistrationToken(handle.db, clock, supplier);
    clock.advance(REGISTRATION_TOKEN_TTL_MS + 1);
    const expired = await call(registerRoute, '/api/v1/agent/register', {
      method: 'POST',
      body: registration(late.registrationToken),
      origin: null,
    });
    expect(expired.status).toBe(401);
  });

  it('refuses bad registrations with the offending fields named', async () => {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const mixed = await call(registerRoute, '/api/v1/agent/register', {
      method: 'POST',
      origin: null,
      body: registration(registrationToken, {
        gpus: [
          { index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: 'a' },
          { index: 1, model: 'h100-80gb', vramGb: 80, serial: 'b' },
        ],
      }),
    });
    expect(mixed.status).toBe(400);
    expect(JSON.stringify(await mixed.json())).toContain('gpus');
    const gap = await call(registerRoute, '/api/v1/agent/register', {
      method: 'POST',
      origin: null,
      body: registration(registrationToken, {
        gpus: [{ index: 3, model: 'rtx-4090-24gb', vramGb: 24, serial: 'a' }],
      }),
    });
    expect(gap.status).toBe(400);
    // The price is bounded like a price change: above zero, at most 1,000 USDC per GPU-hour.
    for (const pricePerGpuHourMicros of ['1000000001', '0']) {
      const price = await call(registerRoute, '/api/v1/agent/register', {
        method: 'POST',
        origin: null,
        body: registration(registrationToken, { pricePerGpuHourMicros }),
      });
      expect(price.status, pricePerGpuHourMicros).toBe(400);
      expect(JSON.stringify(await price.json())).toContain('pricePerGpuHourMicros');
    }
    // None of the refusals spent the token.
    const accepted = await call(registerRoute, '/api/v1/agent/register', {
      method: 'POST',
      origin: null,
      body: registration(registrationToken, { pricePerGpuHourMicros: '1000000000' }),
    });
    expect(accepted.status).toBe(201);
  });

  it('authenticates heartbeats by node token only, and a node acts only for its own leases', async () => {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const registered = (await (
      await call(registerRoute, '/api/v1/agent/register', {
        method: 'POST',
        body: registration(registrationToken),
        origin: null,
      })
    ).json()) as { nodeId: string; nodeToken: string };

    const anonymous = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      body: {},
      origin: null,
    });
    expect(anonymous.status).toBe(401);
    const wrong = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      body: {},
      bearer: 'bfn_not-a-real-token',
    });
    expect(wrong.status).toBe(401);
    // An API key is not a node token.
    const apiKeyLike = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      body: {},
      bearer: 'bfk_something',
    });
    expect(apiKeyLike.status).toBe(401);

    // A job pinned to the registered node is assigned to it through the heartbeat reply.
    const customer = await createCustomer(handle.db, clock, 50n);
    await launchJob(handle.db, clock, {
      accountId: customer,
      spec: testSpec({ requirements: { nodeId: registered.nodeId, gpuCount: 2 } }),
    });
    await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      body: {},
      bearer: registered.nodeToken,
    });
    await scheduleQueuedJobs(handle.db, clock, TEST_ORCHESTRATION);
    const beat = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      body: { telemetry: [{ index: 0, utilizationPct: 3, memoryUsedMb: 100, temperatureC: 40, powerW: 60 }] },
      bearer: registered.nodeToken,
    });
    expect(beat.status).toBe(200);
    const reply = (await beat.json()) as {
      assignments: { attemptId: string; fencingToken: number; gpuIndexes: number[] }[];
    };
    expect(reply.assignments).toHaveLength(1);
    expect(reply.assignments[0]?.gpuIndexes).toEqual([0, 1]);

    // Another node presenting this lease gets nothing but a stale-token cancellation.
    const other = await createNode(handle.db, clock, { owner: supplier });
    const lease = reply.assignments[0]!;
    const hijack = await call(heartbeatRoute, '/api/v1/agent/heartbeat', {
      method: 'POST',
      bearer: other.token,
      body: {
        leases: [
          {
            attemptId: lease.attemptId,
            fencingToken: lease.fencingToken,
            state: 'completed',
            progressUnits: 240,
          },
        ],
      },
    });
    expect(((await hijack.json()) as { cancellations: unknown[] }).cancellations).toEqual([
      { attemptId: lease.attemptId, reason: 'stale_token' },
    ]);
  });

  it('keeps a checkpoint only as uploaded by the node holding the lease, verified, and acknowledged with its token', async () => {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const registered = (await (
      await call(registerRoute, '/api/v1/agent/register', {
        method: 'POST',
        body: registration(registrationToken),
        origin: null,
      })
    ).json()) as { nodeId: string; nodeToken: string };
    const customer = await createCustomer(handle.db, clock, 50n);
    const job = await launchJob(handle.db, clock, {
      accountId: customer,
      spec: testSpec({ requirements: { nodeId: registered.nodeId, gpuCount: 1 } }),
    });
    const beat = (body: unknown) =>
      call(heartbeatRoute, '/api/v1/agent/heartbeat', { method: 'POST', body, bearer: registered.nodeToken });
    await beat({});
    await scheduleQueuedJobs(handle.db, clock, TEST_ORCHESTRATION);
    const reply = (await (await beat({})).json()) as {
      assignments: { attemptId: string; fencingToken: number; inputs: unknown[]; resumeFrom: unknown }[];
    };
    const lease = reply.assignments[0]!;
    // A first attempt fetches nothing: no inputs, nothing to resume from.
    expect(lease.inputs).toEqual([]);
    expect(lease.resumeFrom).toEqual({ units: 0, ref: null, checkpoint: null });
    clock.advance(5_000);
    expect(
      (
        await beat({
          leases: [
            {
              attemptId: lease.attemptId,
              fencingToken: lease.fencingToken,
              state: 'running',
              progressUnits: 0,
            },
          ],
        })
      ).status,
    ).toBe(200);

    const bytes = 'the model state at 120 units';
    const checkpoint = {
      attemptId: lease.attemptId,
      fencingToken: lease.fencingToken,
      kind: 'checkpoint',
      name: 'ckpt-120',
      sizeBytes: Buffer.byteLength(bytes),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      units: 120,
    };
    const ask = (body: unknown, bearer?: string) =>
      call(uploadRoute, '/api/v1/agent/uploads', { method: 'POST', body, origin: null, bearer });
    const complete = (fileId: string, fencingToken: number, bearer?: string) =>
      call(completeUploadRoute, `/api/v1/agent/uploads/${fileId}/complete`, {
        method: 'POST',
        body: { fencingToken },
        origin: null,
        bearer,
        params: { id: fileId },
      });
    const unchanged = async () => {
      const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, job.id));
      expect(row).toMatchObject({ checkpointUnits: 0, checkpointRef: null });
      const events = await handle.db
        .select()
        .from(jobEvents)
        .where(and(eq(jobEvents.jobId, job.id), eq(jobEvents.type, 'checkpoint')));
      expect(events).toEqual([]);
    };

    // Only a node token opens the upload routes; a checkpoint says how much work it covers.
    expect((await ask(checkpoint)).status).toBe(401);
    expect((await ask(checkpoint, 'bfk_something')).status).toBe(401);
    const { units: _units, ...unitless } = checkpoint;
    const noUnits = await ask(unitless, registered.nodeToken);
    expect(noUnits.status).toBe(400);
    expect(((await noUnits.json()) as { error: { fields: { field: string }[] } }).error.fields).toEqual([
      expect.objectContaining({ field: 'units' }),
    ]);
    // Another node cannot upload for this lease; the holder cannot with a token that is not the lease's.
    const other = await createNode(handle.db, clock, { owner: supplier });
    expect((await ask(checkpoint, other.token)).status).toBe(404);
    expect(
      (await ask({ ...checkpoint, fencingToken: lease.fencingToken + 1 }, registered.nodeToken)).status,
    ).toBe(409);
    expect(await handle.db.select().from(storedFiles)).toEqual([]);

    const created = await ask(checkpoint, registered.nodeToken);
    expect(created.status).toBe(201);
    const { fileId, upload } = (await created.json()) as {
      fileId: string;
      upload: { url: string; method: string; headers: Record<string, string> };
    };
    expect(upload.method).toBe('PUT');
    // Acknowledged before any bytes arrived: nothing to keep yet.
    expect((await complete(fileId, lease.fencingToken, registered.nodeToken)).status).toBe(409);
    const put = (body: string) =>
      call(storagePut, upload.url, {
        method: 'PUT',
        rawBody: body,
        origin: null,
        contentType: null,
        headers: upload.headers,
      });
    // Other bytes of the same size are refused by the signed URL, and nothing is stored.
    expect((await put('X'.repeat(Buffer.byteLength(bytes)))).status).toBe(422);
    expect((await complete(fileId, lease.fencingToken, registered.nodeToken)).status).toBe(409);
    expect((await put(bytes)).status).toBe(201);
    // Another node cannot acknowledge it, nor can the holder with a wrong token: still nothing kept.
    expect((await complete(fileId, lease.fencingToken, other.token)).status).toBe(404);
    expect((await complete(fileId, lease.fencingToken + 1, registered.nodeToken)).status).toBe(409);
    expect((await complete(fileId, lease.fencingToken)).status).toBe(401);
    await unchanged();

    const kept = await complete(fileId, lease.fencingToken, registered.nodeToken);
    expect(kept.status).toBe(200);
    expect(await kept.json()).toEqual({ fileId, kept: true });
    const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row).toMatchObject({ checkpointUnits: 120, checkpointRef: fileId });
    const [file] = await handle.db.select().from(storedFiles).where(eq(storedFiles.id, fileId));
    expect(file).toMatchObject({
      kind: 'checkpoint',
      state: 'ready',
      checkpointUnits: 120,
      ownerAccountId: customer,
    });
    // Acknowledging it again keeps nothing new.
    const again = await complete(fileId, lease.fencingToken, registered.nodeToken);
    expect(await again.json()).toEqual({ fileId, kept: false });
    const events = await handle.db
      .select()
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, job.id), eq(jobEvents.type, 'checkpoint')));
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ units: 120, ref: fileId })]);
  });
});
