import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentApiError,
  AgentClient,
  AgentNetworkError,
  parseRetryAfter,
  type RegisterRequestInput,
} from '@/lib/agent/client';
import { issueRegistrationToken } from '@/lib/agent/register';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { useTestServices } from '@/lib/testing/api-harness';
import { freePort } from '@/lib/testing/free-port';
import { createAccount } from '@/lib/testing/orchestration-fixture';
import { startRouteServer, type RouteServer } from '@/lib/testing/route-server';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const clock = new ManualClock('2026-11-10T06:00:00Z');

function registration(token: string): RegisterRequestInput {
  return {
    registrationToken: token,
    name: 'client-test-node',
    region: 'eu-west',
    pricePerGpuHourMicros: '450000',
    gpus: [{ index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: 'GPU-client-test-0' }],
    cpuCores: 16,
    ramGb: 64,
    diskGb: 1000,
    bandwidthMbps: 1000,
    cudaVersion: '12.4',
  };
}

/**
 * A real HTTP server in front of the route server that answers the first requests with the given statuses
 * (or drops the connection), then passes everything through: the client's retry rules are tested over HTTP.
 */
async function flakyProxy(
  target: string,
  script: (number | 'drop')[],
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    const step = script[hits];
    hits += 1;
    if (step === 'drop') return req.socket.destroy();
    if (typeof step === 'number') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (step === 429) headers['retry-after'] = '2';
      res.writeHead(step, headers);
      return res.end(
        JSON.stringify({
          error: { code: step === 429 ? 'rate_limited' : 'internal', message: `scripted ${step}` },
        }),
      );
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name, value]) => typeof value === 'string' && name !== 'host'),
      ) as Record<string, string>;
      fetch(`${target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) })
        .then(async (response) => {
          res.writeHead(response.status, {
            'content-type': response.headers.get('content-type') ?? 'text/plain',
          });
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('agent client over HTTP', () => {
  let handle: DatabaseHandle;
  let server: RouteServer;
  let supplier: string;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock });
    server = await startRouteServer();
    supplier = await createAccount(handle.db, clock, 'supplier');
  });
  afterAll(async () => {
    await server.close();
    await handle.close();
  });

  it('registers once with a one-time token, then heartbeats with the node token', async () => {
    const client = new AgentClient({ apiUrl: server.url, sleep });
    const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
    const registered = await client.register(registration(registrationToken));
    expect(registered.nodeToken).toMatch(/^bfn_/);
    expect(registered.heartbeatIntervalMs).toBeGreaterThan(0);

    const reply = await client.heartbeat(registered.nodeToken, { telemetry: [], leases: [] });
    expect(reply.assignments).toEqual([]);
    expect(reply.cancellations).toEqual([]);
    // An idle node is asked to check in less often, but still several times per lost-after window.
    expect(reply.heartbeatIntervalMs).toBeGreaterThanOrEqual(registered.heartbeatIntervalMs);
    expect(reply.heartbeatIntervalMs).toBeLessThanOrEqual(registered.lostAfterMs / 3);

    // The same registration token again: refused, and a 4xx is never retried.
    const before = server.requests.length;
    const reuse = await client.register(registration(registrationToken)).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(AgentApiError);
    expect((reuse as AgentApiError).status).toBe(401);
    expect(server.requests.length - before).toBe(1);
  });

  it('reports a refused node token as unauthorized without retrying', async () => {
    const client = new AgentClient({ apiUrl: server.url, sleep });
    const before = server.requests.length;
    const error = await client.heartbeat('bfn_not-a-real-token', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentApiError);
    expect((error as AgentApiError).unauthorized).toBe(true);
    expect((error as AgentApiError).code).toBe('unauthorized');
    expect(server.requests.length - before).toBe(1);
  });

  it('passes validation errors through with the server’s message', async () => {
    const client = new AgentClient({ apiUrl: server.url, sleep });
    const error = await client
      .register({ ...registration('bfr_xxxxxxxxxxxxxxxx'), cudaVersion: 'twelve' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentApiError);
    expect((error as AgentApiError).status).toBe(400);
    expect((error as AgentApiError).message).toMatch(/cudaVersion/);
  });

  it('retries 5xx and dropped connections with growing backoff, then succeeds', async () => {
    const proxy = await flakyProxy(server.url, [503, 'drop', 500]);
    try {
      sleeps.length = 0;
      const client = new AgentClient({ apiUrl: proxy.url, sleep, random: () => 1, backoffMs: 100 });
      const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
      const registered = await client.register(registration(registrationToken));
      expect(registered.nodeId).toBeTruthy();
      expect(proxy.hits()).toBe(4);
      expect(sleeps).toEqual([100, 200, 400]);
    } finally {
      await proxy.close();
    }
  });

  it('waits out a 429 for its Retry-After', async () => {
    const proxy = await flakyProxy(server.url, [429]);
    try {
      sleeps.length = 0;
      const client = new AgentClient({ apiUrl: proxy.url, sleep });
      const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier);
      await client.register(registration(registrationToken));
      expect(sleeps).toEqual([2_000]);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after its attempts: the last 5xx, or a network error when nothing answers', async () => {
    const proxy = await flakyProxy(server.url, [502, 502, 502]);
    try {
      const client = new AgentClient({ apiUrl: proxy.url, sleep, maxAttempts: 3 });
      const error = await client.heartbeat('bfn_x', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentApiError);
      expect((error as AgentApiError).status).toBe(502);
      expect(proxy.hits()).toBe(3);
    } finally {
      await proxy.close();
    }
    const closed = await freePort();
    const client = new AgentClient({ apiUrl: `http://127.0.0.1:${closed}`, sleep, maxAttempts: 2 });
    const error = await client.heartbeat('bfn_x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentNetworkError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('Wed, 11 Nov 2026 06:00:10 GMT', Date.parse('2026-11-11T06:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
