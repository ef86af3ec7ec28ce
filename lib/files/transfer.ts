import type { BlobStore, SignedUrlRequest } from '@/lib/storage/store';
import type { SignedTransfer } from '@/lib/files/schemas';

/**
 * Signs one transfer for a client. The embedded store's URLs point at the marketplace API; they are rebased
 * onto `origin` (the origin the client called, when it is one of ours) so a browser on 127.0.0.1 is not sent
 * cross-origin to localhost. S3 URLs point at the bucket and stay as they are.
 */
export async function signTransfer(
  store: BlobStore,
  origin: string | null,
  request: SignedUrlRequest,
): Promise<SignedTransfer> {
  const signed = await store.signedUrl(request);
  let url = signed.url;
  if (store.kind === 'local' && origin) {
    const parsed = new URL(url);
    url = new URL(`${parsed.pathname}${parsed.search}`, origin).toString();
  }
  return { url, method: signed.method, headers: signed.headers, expiresAt: signed.expiresAt.toISOString() };
}

/**
 * The origin a client called, if it is one of the configured ones; else null (the store's own is used). Read
 * from the Host header: Next.js reports a request to 127.0.0.1 with `localhost` in its URL, and a browser on
 * 127.0.0.1 sent to localhost would be cross-origin. The client controls Host, so only a configured origin is
 * ever used.
 */
export function callerOrigin(request: Request, origins: readonly string[]): string | null {
  const host = request.headers.get('host');
  const protocol = new URL(request.url).protocol;
  const candidates = [host ? `${protocol}//${host}` : null, new URL(request.url).origin];
  return candidates.find((origin): origin is string => origin !== null && origins.includes(origin)) ?? null;
}
