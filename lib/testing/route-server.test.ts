import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { generateDemoNetwork } from '@/simulator/demo-network';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { TEST_ORIGIN, useTestServices } from '@/lib/testing/api-harness';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 5, nodeCount: 20, now: new Date('2026-11-10T06:00:00Z') };

describe('route server', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  beforeAll(async () => {
    handle = await createPgliteTestDb();
    await seedDemoNetwork(handle.db, NETWORK);
    useTestServices({ db: handle.db, clock: new ManualClock(NETWORK.now) });
    server = await startRouteServer();
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  it('serves a route over HTTP', async () => {
    const response = await fetch(`${server.url}/api/v1/offers/summary`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { nodesOnline: number };
    expect(body.nodesOnline).toBeGreaterThan(0);
  });

  it('passes path parameters to the handler', async () => {
    const node = generateDemoNetwork(NETWORK).nodes[0];
    if (!node) throw new Error('no node');
    const found = await fetch(`${server.url}/api/v1/nodes/${node.id}`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { id: string }).id).toBe(node.id);
    const missing = await fetch(`${server.url}/api/v1/nodes/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
      /No node with id/,
    );
  });

  it('passes method, headers and body, and answers the handler’s errors as they are', async () => {
    const nonce = await fetch(`${server.url}/api/v1/auth/nonce`, {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(nonce.status).toBe(200);
    expect(((await nonce.json()) as { nonce: string }).nonce.length).toBeGreaterThan(10);
    const foreign = await fetch(`${server.url}/api/v1/auth/nonce`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
  });

  it('answers unknown paths with 404 and wrong methods with 405, in the error envelope', async () => {
    const unknown = await fetch(`${server.url}/api/v1/no-such-thing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const wrong = await fetch(`${server.url}/api/v1/offers/summary`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(server.requests.at(-1)).toEqual({ method: 'DELETE', path: '/api/v1/offers/summary', status: 405 });
  });
});
