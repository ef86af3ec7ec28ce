import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { AppError } from '@/lib/api/errors';
import type { LocalStore } from '@/lib/storage/local-store';
import { serveSignedStorageRequest } from '@/lib/storage/signed-request';

/**
 * TESTS AND BENCHMARKS ONLY. A bare node:http server in front of `serveSignedStorageRequest`, standing in
 * for the marketplace API route (which calls the same function): signed URLs of the local store can then be
 * used with real HTTP clients. Errors answer with the API's envelope and status.
 */
export interface StorageHttpServer {
  /** http://127.0.0.1:<port> — give it to the store as its public origin. */
  origin: string;
  stop(): Promise<void>;
}

function toRequest(message: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) value.forEach((item) => headers.append(name, item));
  }
  const hasBody = message.method !== 'GET' && message.method !== 'HEAD';
  return new Request(new URL(message.url ?? '/', origin), {
    method: message.method,
    headers,
    body: hasBody ? (Readable.toWeb(message) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error -- Node's fetch needs `duplex` for a streamed body; the DOM typings lack it.
    duplex: 'half',
  });
}

async function respond(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as NodeWebStream<Uint8Array>), res);
}

export async function startStorageHttpServer(store: () => LocalStore, port = 0): Promise<StorageHttpServer> {
  let origin = '';
  const server = createServer((message, res) => {
    void (async () => {
      try {
        await respond(await serveSignedStorageRequest(store(), toRequest(message, origin)), res);
      } catch (error) {
        // Drain what the client is still sending, so it reads our answer rather than a reset.
        message.resume();
        const known = error instanceof AppError;
        if (!res.headersSent) {
          res.statusCode = known ? error.status : 500;
          res.setHeader('content-type', 'application/json');
          res.setHeader('connection', 'close');
        }
        res.end(
          JSON.stringify({
            error: {
              code: known ? error.code : 'internal',
              message: known ? error.message : 'Internal error.',
            },
          }),
        );
      }
    })();
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    origin,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
