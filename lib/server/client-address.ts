import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';

/**
 * Telling anonymous clients apart (rate limits) by their own connection address.
 *
 * Route handlers see a Web `Request`, which carries no socket. Next.js fills `X-Forwarded-For` from the socket
 * only when the client did not send one, so without a proxy that header is the client's own word. Our HTTP
 * server (scripts/serve.ts) therefore stamps every request with the socket's address in a header of its own,
 * after removing any copy the client sent, and authenticates the stamp with a secret made at process start:
 * a stamp the client forges, or one missing because the app runs under another server, is never believed.
 */
export const PEER_HEADER = 'x-backfill-peer';
/** Where the server's secret is kept, so workers it starts (and the route handlers) share it. */
export const PEER_SECRET_ENV = 'BACKFILL_PEER_SECRET';

/** The secret of this process's stamps: made once by the server, inherited by everything it starts. */
export function peerSecret(): string {
  process.env[PEER_SECRET_ENV] ??= randomBytes(24).toString('base64url');
  return process.env[PEER_SECRET_ENV];
}

/** Wraps a request listener: every request reaches it stamped with its socket's address, and only that. */
export function stampPeerAddress(listener: RequestListener): RequestListener {
  const secret = peerSecret();
  return (req: IncomingMessage, res) => {
    req.headers[PEER_HEADER] = `${secret} ${req.socket.remoteAddress ?? 'unknown'}`;
    listener(req, res);
  };
}

/**
 * The address an anonymous request is rate-limited by. Behind a trusted proxy (`TRUST_PROXY`) it is the last
 * `X-Forwarded-For` hop — the one that proxy appended; earlier hops are whatever the client sent. Without one,
 * it is the connection's own address from our server's stamp. Without a valid stamp (the app served some
 * other way) every anonymous client shares one bucket rather than choosing its own.
 */
export function clientAddress(headers: Headers, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = headers.get('x-forwarded-for')?.split(',') ?? [];
    return hops.at(-1)?.trim() || 'unknown';
  }
  const secret = process.env[PEER_SECRET_ENV];
  const stamp = headers.get(PEER_HEADER);
  if (secret && stamp?.startsWith(`${secret} `)) return stamp.slice(secret.length + 1) || 'unknown';
  return 'direct';
}
