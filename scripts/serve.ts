/**
 * The production HTTP server of the web app: Next.js's own request handler behind a plain Node server, so
 * every request carries its connection's address, stamped by us (lib/server/client-address.ts): without a
 * trusted proxy, anonymous clients are rate-limited by the address they connect from, not by a header they
 * could write themselves. `npm start` runs it; `node_modules/.bin/tsx scripts/serve.ts --port 3000`.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { stampPeerAddress } from '@/lib/server/client-address';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    hostname: { type: 'string', default: '0.0.0.0' },
    /** Idle keep-alive connections stay open this long (ms). */
    'keep-alive-timeout': { type: 'string', default: '65000' },
  },
});
const port = Number(values.port);
const keepAliveTimeout = Number(values['keep-alive-timeout']);

async function main(): Promise<void> {
  const app = next({ dev: false, dir: process.cwd(), hostname: values.hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer(
    stampPeerAddress((req, res) => {
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
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`• web failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
