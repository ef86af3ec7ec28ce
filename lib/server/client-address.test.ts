import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { PEER_HEADER, clientAddress, peerSecret } from '@/lib/server/client-address';
import { useTestServices } from '@/lib/testing/api-harness';
import { discoverApiRoutes } from '@/lib/testing/api-routes';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/** POSTs from a chosen loopback address (Linux routes all of 127.0.0.0/8 to the loopback interface). */
function postFrom(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = '{}';
    const req = httpRequest(
      url,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          origin: 'http://localhost:3000',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('rate limits tell anonymous clients apart by their connection address (probe class 7)', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  const clock = new ManualClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock });
    const routes = (await discoverApiRoutes()).filter((r) => r.path === '/api/v1/auth/nonce');
    server = await startRouteServer({ routes });
  });
  afterAll(async () => {
    await server?.close();
    await handle?.close();
  });

  it('one client exhausting sign-in does not lock out another, whatever headers it forges', async () => {
    const url = `${server.url}/api/v1/auth/nonce`;
    const limit = RATE_LIMITS.signIn[0]?.limit ?? 0;
    expect(limit).toBeGreaterThan(0);
    for (let i = 0; i < limit; i++) expect(await postFrom('127.0.0.2', url)).toBe(200);
    expect(await postFrom('127.0.0.2', url)).toBe(429);
    // Forging another address — in X-Forwarded-For or in our own stamp header — does not open a new bucket.
    expect(await postFrom('127.0.0.2', url, { 'x-forwarded-for': '198.51.100.1' })).toBe(429);
    expect(await postFrom('127.0.0.2', url, { [PEER_HEADER]: `${peerSecret()} 198.51.100.2` })).toBe(429);
    expect(await postFrom('127.0.0.2', url, { [PEER_HEADER]: 'guess 198.51.100.3' })).toBe(429);
    // Another client is unaffected.
    expect(await postFrom('127.0.0.3', url)).toBe(200);
  });

  it('believes only a stamp made with this process’s secret; without one, all share a bucket', () => {
    const stamped = new Headers({ [PEER_HEADER]: `${peerSecret()} 203.0.113.5` });
    expect(clientAddress(stamped, false)).toBe('203.0.113.5');
    expect(clientAddress(new Headers({ [PEER_HEADER]: 'forged 203.0.113.5' }), false)).toBe('direct');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.5' }), false)).toBe('direct');
    // Behind a trusted proxy, the hop that proxy appended.
    expect(clientAddress(new Headers({ 'x-forwarded-for': '192.0.2.1, 203.0.113.9' }), true)).toBe(
      '203.0.113.9',
    );
  });
});
