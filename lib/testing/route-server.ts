import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { NextRequest } from 'next/server';
import { discoverApiRoutes, type DiscoveredRoute, type RouteHandler } from '@/lib/testing/api-routes';
import { freePort } from '@/lib/testing/free-port';
import { stampPeerAddress } from '@/lib/server/client-address';
import { currentTestServices } from '@/lib/testing/api-harness';

/**
 * Serves the real API route modules over a real HTTP server on 127.0.0.1, for tests whose client must speak
 * HTTP (the agent, the simulated fleet): IncomingMessage → NextRequest → route handler → Response →
 * ServerResponse. Route handlers use the service context of the test (`useTestServices`), as in-process calls
 * do. Paths match the OpenAPI-style templates of `discoverApiRoutes` (`/api/v1/jobs/{id}`).
 *
 * The server's own origin (as NextRequest reports it: http://localhost:<port>) counts as one of the test's web
 * origins, as the configured public origin does in production, so the signed URLs of the embedded blob store
 * that it hands out point back at this server, which serves them (`/api/v1/storage/objects/{key}`), instead
 * of at an origin where nothing listens.
 */

/** Adds `origin` to the web origins of the test's service context, once. */
function registerOrigin(origin: string): void {
  const services = currentTestServices();
  if (services && !services.web.origins.includes(origin))
    services.web = { ...services.web, origins: [...services.web.origins, origin] };
}

export interface RouteServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** Requests answered so far, in order: method, path and status. */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  catchAll: string | undefined;
  handler: RouteHandler;
}

function compile(route: DiscoveredRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      // A catch-all (`[...key]`) spans the rest of the path, slashes included.
      return param[1] === route.catchAll ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return {
    method: route.method,
    pattern: new RegExp(`^${source}/?$`),
    names,
    catchAll: route.catchAll,
    handler: route.handler,
  };
}

/** Static segments beat parameters (`/jobs/quote` before `/jobs/{id}`), as in the Next.js router. */
function specificity(route: DiscoveredRoute): number {
  return route.path.split('/').filter((segment) => !segment.startsWith('{')).length;
}

function jsonError(res: ServerResponse, status: number, code: string, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  // Streamed, so server-sent events reach the client as they are written.
  const reader = response.body.getReader();
  res.on('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

export async function startRouteServer(options: { routes?: DiscoveredRoute[] } = {}): Promise<RouteServer> {
  const routes = (options.routes ?? (await discoverApiRoutes()))
    .slice()
    .sort((a, b) => specificity(b) - specificity(a))
    .map(compile);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const requests: RouteServer['requests'] = [];

  // Stamped with each connection's address, as the production server (scripts/serve.ts) does.
  const server: Server = createServer(
    stampPeerAddress((req, res) => {
      const method = req.method ?? 'GET';
      const target = new URL(req.url ?? '/', url);
      res.on('finish', () => requests.push({ method, path: target.pathname, status: res.statusCode }));
      void (async () => {
        const matching = routes
          .map((route) => ({ route, match: route.pattern.exec(target.pathname) }))
          .filter((m): m is { route: CompiledRoute; match: RegExpExecArray } => m.match !== null);
        if (matching.length === 0)
          return jsonError(res, 404, 'not_found', `No API route ${target.pathname}.`);
        const found = matching.find((m) => m.route.method === method);
        if (!found)
          return jsonError(
            res,
            405,
            'method_not_allowed',
            `${method} is not allowed on ${target.pathname}.`,
            {
              allow: [...new Set(matching.map((m) => m.route.method))].join(', '),
            },
          );
        // As Next.js passes them: a catch-all as its segments, the others as one string each.
        const params = Object.fromEntries(
          found.route.names.map((name, i) => {
            const raw = found.match[i + 1] ?? '';
            return [
              name,
              name === found.route.catchAll
                ? raw.split('/').map(decodeURIComponent)
                : decodeURIComponent(raw),
            ];
          }),
        );
        const hasBody = method !== 'GET' && method !== 'HEAD';
        const body = hasBody ? await readBody(req) : undefined;
        const request = new NextRequest(target, {
          method,
          headers: toHeaders(req),
          body: body && body.length > 0 ? new Uint8Array(body) : undefined,
        });
        // NextRequest reports 127.0.0.1 as localhost: that is the origin a handler sees the call on.
        registerOrigin(new URL(request.url).origin);
        const response = await found.route.handler(request, { params: Promise.resolve(params) });
        await writeResponse(res, response);
      })().catch((error: unknown) => {
        if (!res.headersSent) jsonError(res, 500, 'internal', `route server: ${String(error)}`);
        else res.destroy();
      });
    }),
  );
  // Agents keep connections alive; a test's close() must not wait for them.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
