/**
 * The production HTTP server of the web app (`npm run serve`): Next.js's own request handler behind a plain
 * Node server, so every request carries its connection's address, stamped by us (lib/server/client-address.ts):
 * without a trusted proxy, anonymous clients are rate-limited by the address they connect from, not by a header
 * they could write themselves. `npm start` runs it for the embedded demo (with --single-instance).
 *
 * On a shared database it refuses to start while settings every instance must share are missing, or while
 * migrations are pending (`npm run migrate` is its own step). On SIGTERM it drains: it stops accepting,
 * liveness answers 503, event streams end with a reconnect hint, the embedded worker finishes its runs in
 * flight and releases its locks, and the process exits within SHUTDOWN_TIMEOUT_MS.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { openDatabase } from '@/lib/db/client';
import { serverEnv } from '@/lib/env';
import { stampPeerAddress } from '@/lib/server/client-address';
import { assertSafeForSharedDatabase } from '@/lib/server/deployment';
import { pendingMigrations } from '@/lib/server/health';
import { beginDrain } from '@/lib/server/lifecycle';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    hostname: { type: 'string', default: '0.0.0.0' },
    /** Idle keep-alive connections stay open this long (ms). */
    'keep-alive-timeout': { type: 'string', default: '65000' },
    /** The one instance on its database (the embedded demo): generated keys and the default origin are fine. */
    'single-instance': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const keepAliveTimeout = Number(values['keep-alive-timeout']);

/** On PostgreSQL, the schema must be the one this build expects before a request is served. */
async function assertMigrated(url: string): Promise<void> {
  const handle = await openDatabase({ engine: 'postgres', url, poolSize: 1 });
  try {
    const pending = await pendingMigrations(handle.db);
    if (pending.length)
      throw new Error(
        `${pending.length} migrations are not applied (${pending.join(', ')}): run npm run migrate first`,
      );
  } finally {
    await handle.close();
  }
}

async function main(): Promise<void> {
  const env = serverEnv();
  if (!values['single-instance']) assertSafeForSharedDatabase(env);
  // PGlite is opened once, by the request handlers; `npm start` migrates it just before.
  if (env.DATABASE_URL) await assertMigrated(env.DATABASE_URL);
  const app = next({ dev: false, dir: process.cwd(), hostname: values.hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  let stopping = false;
  const server = createServer(
    stampPeerAddress((req, res) => {
      // While draining, a request that arrived on an open keep-alive connection is answered, then the
      // connection closes, so the client's next request goes (through the load balancer) to another instance.
      if (stopping) res.setHeader('Connection', 'close');
      handle(req, res).catch((error: unknown) => {
        console.error('[serve] request failed', error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
    }),
  );
  server.keepAliveTimeout = keepAliveTimeout;
  // Longer than the keep-alive timeout, so Node never closes a connection a client is about to reuse.
  server.headersTimeout = keepAliveTimeout + 1_000;
  await new Promise<void>((resolve) => server.listen(port, values.hostname, resolve));
  console.log(`• web: listening on http://${values.hostname}:${port}`);

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`• web: ${signal}, draining (at most ${env.SHUTDOWN_TIMEOUT_MS} ms)`);
    setTimeout(() => {
      console.error('• web: requests still open at the shutdown bound; exiting');
      process.exit(0);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    // No new connections; requests in flight finish (a keep-alive connection is closed after its response).
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
    void beginDrain()
      .then(() => closed)
      .then(() => {
        clearInterval(closeIdle);
        console.log('• web: stopped');
        process.exit(0);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`• web failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
