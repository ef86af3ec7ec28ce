import { Readable } from 'node:stream';
import { StorageError } from '@/lib/storage/errors';
import type { LocalStore } from '@/lib/storage/local-store';
import type { ByteRange } from '@/lib/storage/store';
import { STORAGE_URL_PATH } from '@/lib/storage/url-signing';

/**
 * The embedded store's side of a signed URL, as a function of a web Request: the marketplace API route for
 * `STORAGE_URL_PATH/[...key]` only has to call it (GET, HEAD and PUT) and map a thrown `StorageError` like
 * any other `AppError`. No session or API key is involved: the signature is the authorization, and it
 * names one method on one key until it expires.
 *
 * Objects are served as downloads in a sandbox (`Content-Disposition: attachment`, `nosniff`, a CSP of
 * `sandbox`), so an uploaded HTML or SVG file can never run as a page of our origin.
 */
export async function serveSignedStorageRequest(store: LocalStore, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const base = `${STORAGE_URL_PATH}/`;
  if (!url.pathname.startsWith(base)) throw new StorageError('invalid_key', 'Not a storage URL.');
  // Keys need no escaping, so a percent sign can only be an attempt to smuggle something in.
  const key = url.pathname.slice(base.length);
  const claims = store.verifySignedRequest(request.method, key, url.searchParams);

  if (claims.method === 'PUT') {
    const declared = request.headers.get('content-length');
    if (declared !== null && Number(declared) !== claims.size)
      throw new StorageError('size_mismatch', `This URL takes exactly ${claims.size} bytes.`);
    const body = request.body
      ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream)
      : Readable.from([]);
    const info = await store.put(key, body, {
      maxBytes: claims.size as number,
      expectedSha256: claims.sha256,
      contentType: claims.contentType,
    });
    return Response.json({ key: info.key, size: info.size, sha256: info.sha256 }, { status: 201 });
  }

  const range = await rangeFor(store, key, request.headers.get('range'));
  const object = await store.get(key, range);
  const headers = new Headers({
    'content-type': object.info.contentType,
    'content-length': String(object.end - object.start + 1),
    'accept-ranges': 'bytes',
    etag: `"${object.info.sha256}"`,
    'last-modified': object.info.createdAt.toUTCString(),
    'cache-control': 'private, no-store',
    'content-disposition': 'attachment',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
  });
  if (range) headers.set('content-range', `bytes ${object.start}-${object.end}/${object.info.size}`);
  const status = range ? 206 : 200;
  if (request.method === 'HEAD') {
    object.body.destroy();
    return new Response(null, { status, headers });
  }
  return new Response(toWebStream(object.body), { status, headers });
}

/**
 * The single byte range of a Range header (`bytes=a-b`, `bytes=a-`, `bytes=-n`), or undefined to send the
 * whole object: RFC 9110 lets a server ignore a Range header it does not support, such as several ranges.
 */
async function rangeFor(
  store: LocalStore,
  key: string,
  header: string | null,
): Promise<ByteRange | undefined> {
  const match = header ? /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first !== '') {
    const start = Number(first);
    const end = last === '' ? undefined : Number(last);
    return end !== undefined && end < start ? undefined : { start, end };
  }
  // A suffix: the last n bytes.
  const info = await store.head(key);
  if (!info) throw new StorageError('not_found', 'No such object.');
  const length = Number(last);
  if (length === 0) throw new StorageError('invalid_range', 'An empty suffix range.');
  return { start: Math.max(0, info.size - length) };
}

/**
 * A web stream that reads the Node stream only when the consumer pulls, so a slow client holds the server
 * to one chunk in flight instead of buffering the object.
 */
export function toWebStream(source: Readable): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
      cancel() {
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
