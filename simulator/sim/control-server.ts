import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Fleet } from '@/simulator/sim/fleet';
import { createRng } from '@/lib/random';

/**
 * The fleet's control endpoint, on 127.0.0.1 only (docs/fleet.md):
 *
 *   GET  /health                  the fleet is up, with counts
 *   GET  /nodes                   every node: id, name, state (alive | killed), why, running attempts
 *   GET  /nodes/<id>              one node
 *   POST /nodes/<id>/kill         the host vanishes: heartbeats stop at once, workloads are dropped
 *   POST /nodes/<id>/revive       the host comes back (a fresh boot: no workloads)
 *   POST /fleet/kill?share=0.3    kill that share of the live nodes at once
 *
 * Requests that carry an Origin header are refused, so a web page cannot drive it from a browser.
 */

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

export interface ControlExtras {
  /** Extra fields for /health (the demand simulator's counters). */
  health?: () => Record<string, unknown>;
  seed?: number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

async function route(
  fleet: Fleet,
  extras: ControlExtras,
  req: IncomingMessage,
  res: ServerResponse,
  killCount: { n: number },
) {
  if (req.headers.origin !== undefined)
    return fail(res, 403, 'forbidden', 'The fleet control endpoint does not answer browsers.');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const parts = url.pathname.split('/').filter(Boolean);

  if (url.pathname === '/health' && method === 'GET')
    return send(res, 200, { ok: true, ...fleet.counts(), ...(extras.health?.() ?? {}) });
  if (url.pathname === '/nodes' && method === 'GET') return send(res, 200, { nodes: fleet.view() });
  if (parts[0] === 'nodes' && parts.length === 2 && method === 'GET') {
    const [node] = fleet.view(parts[1]);
    return node ? send(res, 200, node) : fail(res, 404, 'not_found', `No fleet node ${parts[1]}.`);
  }
  if (parts[0] === 'nodes' && parts.length === 3 && (parts[2] === 'kill' || parts[2] === 'revive')) {
    if (method !== 'POST') return fail(res, 405, 'method_not_allowed', 'Use POST.');
    const id = parts[1] ?? '';
    if (parts[2] === 'kill') {
      const node = await fleet.kill(id, 'control');
      return node ? send(res, 200, node) : fail(res, 404, 'not_found', `No fleet node ${id}.`);
    }
    try {
      const node = fleet.revive(id);
      return node ? send(res, 200, node) : fail(res, 404, 'not_found', `No fleet node ${id}.`);
    } catch (error) {
      return fail(res, 409, 'conflict', (error as Error).message);
    }
  }
  if (url.pathname === '/fleet/kill') {
    if (method !== 'POST') return fail(res, 405, 'method_not_allowed', 'Use POST.');
    const share = Number(url.searchParams.get('share') ?? 'NaN');
    if (!(share > 0 && share <= 1))
      return fail(res, 400, 'bad_request', 'share must be in (0, 1], e.g. ?share=0.3');
    // Seeded too: the same seed kills the same nodes on the same fleet.
    killCount.n += 1;
    const killed = await fleet.killShare(share, createRng((extras.seed ?? 0) * 31 + killCount.n));
    return send(res, 200, { killed: killed.length, nodes: killed });
  }
  return fail(res, 404, 'not_found', `No control route ${method} ${url.pathname}.`);
}

export async function startControlServer(
  fleet: Fleet,
  port: number,
  extras: ControlExtras = {},
): Promise<ControlServer> {
  const killCount = { n: 0 };
  const server: Server = createServer((req, res) => {
    route(fleet, extras, req, res, killCount).catch((error: unknown) => {
      if (!res.headersSent) fail(res, 500, 'internal', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
