import { readdirSync } from 'node:fs';
import path from 'node:path';

export type RouteHandler = (
  request: import('next/server').NextRequest,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

export interface DiscoveredRoute {
  method: string;
  /** OpenAPI-style path, e.g. /api/v1/deposits/{id}; a catch-all segment `[...key]` becomes `{key}`. */
  path: string;
  handler: RouteHandler;
  /** The name of the route's catch-all parameter (it spans the rest of the path, slashes included), if any. */
  catchAll?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every exported method of every route file under app/api/v1 (the JSON 404 catch-all excluded), so checks over
 * "every route" grow with the API by themselves.
 */
export async function discoverApiRoutes(): Promise<DiscoveredRoute[]> {
  const root = path.join(process.cwd(), 'app', 'api', 'v1');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('route.ts') && !file.includes('[...path]'),
  );
  const routes: DiscoveredRoute[] = [];
  for (const file of files) {
    const exports = (await import(path.join(root, file))) as Record<string, unknown>;
    const dir = `/api/v1/${path.dirname(file).split(path.sep).join('/')}`;
    const catchAll = /\[\.\.\.(\w+)\]$/.exec(dir)?.[1];
    const apiPath = dir.replace(/\[(?:\.\.\.)?(\w+)\]/g, '{$1}');
    for (const method of METHODS) {
      const handler = exports[method];
      if (typeof handler === 'function')
        routes.push({
          method,
          path: apiPath,
          handler: handler as RouteHandler,
          ...(catchAll ? { catchAll } : {}),
        });
    }
  }
  return routes;
}
