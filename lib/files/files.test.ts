import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as completeUploadRoute } from '@/app/api/v1/agent/uploads/[id]/complete/route';
import { POST as agentUploadRoute } from '@/app/api/v1/agent/uploads/route';
import { POST as completeRoute } from '@/app/api/v1/files/[id]/complete/route';
import { GET as downloadRoute } from '@/app/api/v1/files/[id]/download/route';
import { DELETE as deleteRoute, GET as fileRoute } from '@/app/api/v1/files/[id]/route';
import { GET as listRoute, POST as createRoute } from '@/app/api/v1/files/route';
import { GET as objectGet, PUT as objectPut } from '@/app/api/v1/storage/objects/[...key]/route';
import { createApiKey } from '@/lib/auth/api-keys';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { jobs, storedFiles } from '@/lib/db/schema';
import { filesConfig } from '@/lib/files/config';
import { sweepStoredFiles } from '@/lib/files/retention';
import { cancelJob } from '@/lib/jobs/cancel';
import { launchJob } from '@/lib/jobs/launch';
import type { LocalStore } from '@/lib/storage/local-store';
import { call, testBlobStore, useTestServices } from '@/lib/testing/api-harness';
import {
  createAccount,
  createCustomer,
  createNode,
  ScriptedAgent,
  TEST_ORCHESTRATION,
  testLeaseFiles,
  testSpec,
} from '@/lib/testing/orchestration-fixture';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { orchestrationTick } from '@/lib/worker/background-loops';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
type Handler = Parameters<typeof call>[0];

/**
 * Files through the API: an input's upload (reserve, signed PUT, complete), the checks on its bytes, the quota,
 * who may read, complete or delete what, the job spec's inputs, a node's uploads for the leases it holds, and
 * the storage sweep. The store is the real embedded one in a temporary directory.
 */
describe('stored files', () => {
  let handle: DatabaseHandle;
  let store: LocalStore;
  const clock = new ManualClock('2026-12-01T10:00:00Z');
  let alice: { id: string; key: string };
  let bob: { id: string; key: string };

  const as = (who: { key: string }) => ({ bearer: who.key });
  const json = async <T>(response: Response) => (await response.json()) as T;

  /** Sends the bytes to a signed URL through the storage route, as a client would. */
  async function put(url: string, bytes: Buffer, headers: Record<string, string> = {}) {
    const target = new URL(url);
    const key = target.pathname.replace('/api/v1/storage/objects/', '');
    return call(objectPut as Handler, `${target.pathname}${target.search}`, {
      method: 'PUT',
      rawBody: bytes.toString('latin1'),
      contentType: 'application/octet-stream',
      origin: null,
      headers,
      params: { key: key.split('/') } as unknown as Record<string, string>,
    });
  }

  async function createInput(who: { key: string }, name: string, bytes: Buffer) {
    const response = await call(createRoute as Handler, '/api/v1/files', {
      method: 'POST',
      ...as(who),
      body: { name, sizeBytes: bytes.length, sha256: sha256(bytes) },
    });
    return {
      response,
      body:
        response.status === 201
          ? await json<{ file: { id: string }; upload: { url: string } }>(response)
          : null,
    };
  }

  async function uploadInput(who: { key: string }, name: string, bytes: Buffer): Promise<string> {
    const { body } = await createInput(who, name, bytes);
    if (!body) throw new Error('create refused');
    expect((await put(body.upload.url, bytes)).status).toBe(201);
    const done = await call(completeRoute as Handler, `/api/v1/files/${body.file.id}/complete`, {
      method: 'POST',
      ...as(who),
      params: { id: body.file.id },
    });
    expect(done.status).toBe(200);
    return body.file.id;
  }

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    store = testBlobStore(clock);
    useTestServices({ db: handle.db, clock, storage: store });
    for (const name of ['alice', 'bob'] as const) {
      const id = await createCustomer(handle.db, clock, 100n);
      const { key } = await createApiKey(handle.db, clock, id, name);
      if (name === 'alice') alice = { id, key };
      else bob = { id, key };
    }
  });
  afterAll(() => handle.close());

  it('uploads an input: reserved, PUT to a signed URL, checked on completion; then listed and downloadable', async () => {
    const bytes = Buffer.from('{"frames": 4}\n');
    const { body } = await createInput(alice, 'scene.json', bytes);
    const id = body?.file.id ?? '';
    // Completing before the bytes are there says so and changes nothing.
    const early = await call(completeRoute as Handler, `/api/v1/files/${id}/complete`, {
      method: 'POST',
      ...as(alice),
      params: { id },
    });
    expect(early.status).toBe(409);
    expect((await put(body?.upload.url ?? '', bytes)).status).toBe(201);
    const done = await call(completeRoute as Handler, `/api/v1/files/${id}/complete`, {
      method: 'POST',
      ...as(alice),
      params: { id },
    });
    expect(await json<{ state: string; sha256: string }>(done)).toMatchObject({
      state: 'ready',
      sha256: sha256(bytes),
    });

    const list = await json<{ items: { id: string }[]; usage: { usedBytes: number } }>(
      await call(listRoute as Handler, '/api/v1/files?kind=input', { ...as(alice) }),
    );
    expect(list.items.map((f) => f.id)).toContain(id);
    expect(list.usage.usedBytes).toBeGreaterThanOrEqual(bytes.length);
    // By digest: the same bytes are found (a client reuses them instead of uploading again), others are not.
    const bySha = async (digest: string) =>
      (
        await json<{ items: { id: string }[] }>(
          await call(listRoute as Handler, `/api/v1/files?kind=input&sha256=${digest}`, { ...as(alice) }),
        )
      ).items.map((f) => f.id);
    expect(await bySha(sha256(bytes))).toEqual([id]);
    expect(await bySha(sha256(Buffer.from('other bytes')))).toEqual([]);
    expect((await call(listRoute as Handler, '/api/v1/files?sha256=xyz', { ...as(alice) })).status).toBe(400);

    const redirect = await call(downloadRoute as Handler, `/api/v1/files/${id}/download`, {
      ...as(alice),
      params: { id },
    });
    expect(redirect.status).toBe(303);
    const location = new URL(redirect.headers.get('location') ?? '');
    const got = await call(objectGet as Handler, `${location.pathname}${location.search}`, {
      params: {
        key: location.pathname.replace('/api/v1/storage/objects/', '').split('/'),
      } as unknown as Record<string, string>,
    });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    expect(got.headers.get('content-disposition')).toBe('attachment');
  });

  it('refuses other bytes than announced, keeps nothing of them, and lets the URL be used again', async () => {
    const bytes = Buffer.from('the real bytes');
    const { body } = await createInput(alice, 'data.bin', bytes);
    const wrong = await put(body?.upload.url ?? '', Buffer.from('other bytes!!!'));
    expect(wrong.status).toBe(422);
    expect(await store.head(`accounts/${alice.id}/files/${body?.file.id}`)).toBeNull();
    expect((await put(body?.upload.url ?? '', bytes)).status).toBe(201);
  });

  it('a signed URL expires, and cannot be used for another key or method', async () => {
    const bytes = Buffer.from('short-lived');
    const { body } = await createInput(alice, 'short.txt', bytes);
    const url = new URL(body?.upload.url ?? '');
    const otherKey = url.pathname.replace(/files\/[0-9a-f-]+$/, 'files/00000000-0000-4000-8000-000000000000');
    const forged = await call(objectPut as Handler, `${otherKey}${url.search}`, {
      method: 'PUT',
      rawBody: 'short-lived',
      contentType: 'application/octet-stream',
      origin: null,
      params: { key: otherKey.replace('/api/v1/storage/objects/', '').split('/') } as unknown as Record<
        string,
        string
      >,
    });
    expect(forged.status).toBe(403);
    clock.advance(7 * 3600 * 1000);
    expect((await put(body?.upload.url ?? '', bytes)).status).toBe(403);
    clock.advance(-7 * 3600 * 1000);
  });

  it('names cannot climb out of the input directory; sizes are bounded; the quota holds', async () => {
    for (const name of ['../x', '/etc/passwd', 'a//b', '.hidden', 'a/../b', 'x\u0000y', '']) {
      const { response } = await createInput(alice, name, Buffer.from('x'));
      expect(response.status, name).toBe(400);
    }
    const huge = await call(createRoute as Handler, '/api/v1/files', {
      method: 'POST',
      ...as(alice),
      body: { name: 'huge.bin', sizeBytes: filesConfig().maxFileBytes + 1, sha256: 'a'.repeat(64) },
    });
    expect(huge.status).toBe(422);
    const over = await call(createRoute as Handler, '/api/v1/files', {
      method: 'POST',
      ...as(alice),
      body: { name: 'big.bin', sizeBytes: filesConfig().quotaBytes, sha256: 'a'.repeat(64) },
    });
    expect([409, 422]).toContain(over.status);
  });

  it("another account's file is invisible: no read, no completion, no deletion, no use in a job", async () => {
    const id = await uploadInput(alice, 'private.txt', Buffer.from('alice only'));
    for (const [route, method] of [
      [fileRoute, 'GET'],
      [downloadRoute, 'GET'],
      [completeRoute, 'POST'],
      [deleteRoute, 'DELETE'],
    ] as const) {
      const response = await call(route as Handler, `/api/v1/files/${id}`, {
        method,
        ...as(bob),
        params: { id },
      });
      expect(response.status, `${method} ${route.name}`).toBe(404);
    }
    await expect(
      launchJob(handle.db, clock, { accountId: bob.id, spec: { ...testSpec(), inputs: [{ fileId: id }] } }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    const [row] = await handle.db.select().from(storedFiles).where(eq(storedFiles.id, id));
    expect(row?.state).toBe('ready');
  });

  it('a job records its inputs by digest; an input in use cannot be deleted until the job ends', async () => {
    const bytes = Buffer.from('scene');
    const id = await uploadInput(alice, 'scene.json', bytes);
    const job = await launchJob(handle.db, clock, {
      accountId: alice.id,
      spec: { ...testSpec(), inputs: [{ fileId: id }] },
    });
    expect(job.inputs).toEqual([
      { name: 'scene.json', fileId: id, url: null, sha256: sha256(bytes), sizeBytes: bytes.length },
    ]);
    const refused = await call(deleteRoute as Handler, `/api/v1/files/${id}`, {
      method: 'DELETE',
      ...as(alice),
      params: { id },
    });
    expect(refused.status).toBe(409);
    await cancelJob(handle.db, clock, alice.id, job.id);
    const deleted = await call(deleteRoute as Handler, `/api/v1/files/${id}`, {
      method: 'DELETE',
      ...as(alice),
      params: { id },
    });
    expect(deleted.status).toBe(200);
    expect(await store.head(`accounts/${alice.id}/files/${id}`)).toBeNull();
  });

  it('a node writes only for a lease it holds; a checkpoint is kept only once its bytes are checked', async () => {
    const supplier = await createAccount(handle.db, clock, 'supplier');
    const node = await createNode(handle.db, clock, { owner: supplier });
    const other = await createNode(handle.db, clock, { owner: supplier });
    const job = await launchJob(handle.db, clock, {
      accountId: alice.id,
      spec: testSpec({ requirements: { gpuModels: [], gpuCount: 1, minVramGb: 0, nodeId: node.id } }),
    });
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    const agent = new ScriptedAgent(handle.db, clock, node.id, 1, 1_000_000, TEST_ORCHESTRATION, {
      ...testLeaseFiles(clock),
      store,
    });
    await agent.heartbeat(0);
    await agent.heartbeat(5);
    const [lease] = [...agent.workloads.values()];
    if (!lease) throw new Error('no lease');
    const bytes = Buffer.from('checkpoint at 10');
    const request = {
      attemptId: lease.assignment.attemptId,
      fencingToken: lease.assignment.fencingToken,
      kind: 'checkpoint',
      name: 'ckpt-10',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      units: 10,
    };
    // Another node, or a stale token, gets nothing.
    const foreign = await call(agentUploadRoute as Handler, '/api/v1/agent/uploads', {
      method: 'POST',
      bearer: other.token,
      body: request,
    });
    expect(foreign.status).toBe(404);
    const stale = await call(agentUploadRoute as Handler, '/api/v1/agent/uploads', {
      method: 'POST',
      bearer: node.token,
      body: { ...request, fencingToken: request.fencingToken + 1 },
    });
    expect(stale.status).toBe(409);

    const created = await call(agentUploadRoute as Handler, '/api/v1/agent/uploads', {
      method: 'POST',
      bearer: node.token,
      body: request,
    });
    expect(created.status).toBe(201);
    const { fileId, upload } = await json<{ fileId: string; upload: { url: string } }>(created);
    const complete = (token: string) =>
      call(completeUploadRoute as Handler, `/api/v1/agent/uploads/${fileId}/complete`, {
        method: 'POST',
        bearer: token,
        body: { fencingToken: request.fencingToken },
        params: { id: fileId },
      });
    // Acknowledged before the bytes arrived: refused, and nothing is kept.
    expect((await complete(node.token)).status).toBe(409);
    expect((await handle.db.select().from(jobs).where(eq(jobs.id, job.id)))[0]?.checkpointUnits).toBe(0);
    expect((await put(upload.url, bytes)).status).toBe(201);
    expect((await complete(other.token)).status).toBe(404);
    const kept = await complete(node.token);
    expect(await json(kept)).toEqual({ fileId, kept: true });
    const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row).toMatchObject({ checkpointUnits: 10, checkpointRef: fileId });
  });

  it('an expired input is swept even while an active job reads an https URL (no file id)', async () => {
    const carol = await createCustomer(handle.db, clock, 100n);
    const { key } = await createApiKey(handle.db, clock, carol, 'carol');
    const old = await uploadInput({ key }, 'old.txt', Buffer.from('nobody reads me'));
    await launchJob(handle.db, clock, {
      accountId: carol,
      spec: { ...testSpec(), inputs: [{ url: 'https://example.com/data.bin', name: 'data.bin' }] },
    });
    await handle.db
      .update(storedFiles)
      .set({ expiresAt: new Date(clock.now().getTime() - 1) })
      .where(eq(storedFiles.id, old));
    await sweepStoredFiles(handle.db, store, clock);
    expect(await handle.db.select().from(storedFiles).where(eq(storedFiles.id, old))).toEqual([]);
    expect(await store.head(`accounts/${carol}/files/${old}`)).toBeNull();
  });

  it('the sweep deletes expired uploads and the checkpoints of ended jobs, and keeps inputs that jobs read', async () => {
    const pendingBytes = Buffer.from('never completed');
    const { body: pending } = await createInput(bob, 'abandoned.bin', pendingBytes);
    const inUse = await uploadInput(bob, 'in-use.txt', Buffer.from('read by a queued job'));
    await launchJob(handle.db, clock, {
      accountId: bob.id,
      spec: { ...testSpec(), inputs: [{ fileId: inUse }] },
    });
    await handle.db
      .update(storedFiles)
      .set({ expiresAt: new Date(clock.now().getTime() - 1) })
      .where(eq(storedFiles.id, inUse));
    clock.advance(filesConfig().uploadUrlSeconds * 1000 + 1);
    await sweepStoredFiles(handle.db, store, clock);
    const left = await handle.db
      .select({ id: storedFiles.id })
      .from(storedFiles)
      .where(eq(storedFiles.ownerAccountId, bob.id));
    expect(left.map((f) => f.id)).toEqual([inUse]);
    expect(pending?.file.id).toBeDefined();
  });
});
