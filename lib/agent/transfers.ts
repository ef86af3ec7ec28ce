import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readlink, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SignedTransfer } from '@/lib/files/schemas';

/**
 * The agent's byte transfers: downloads streamed to disk and verified (size and sha256) before they appear
 * under their name, and uploads streamed from disk to a signed URL. Nothing is held whole in memory.
 */

export class TransferError extends Error {
  constructor(
    message: string,
    /** Trying again may help (a 5xx answer). */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/** A transfer that moves no byte for this long is abandoned (a stalled server must not hold a lease forever). */
export const STALL_TIMEOUT_MS = 120_000;

/** An abort signal that fires when `touch` has not been called for `ms`, or when `outer` aborts. */
function stallGuard(ms: number, what: string, outer?: AbortSignal) {
  const controller = new AbortController();
  const fire = () =>
    controller.abort(new TransferError(`${what}: no progress for ${Math.round(ms / 1000)} s`, true));
  let timer = setTimeout(fire, ms);
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    touch() {
      clearTimeout(timer);
      timer = setTimeout(fire, ms);
    },
    done() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

export interface DownloadExpectation {
  sha256: string | null;
  sizeBytes: number | null;
  /** Refuse more bytes than this when the size is not known. */
  maxBytes: number;
}

/**
 * GETs `url` into `dest`: written to a hidden temporary file beside it while hashing, checked, then renamed, so
 * `dest` is either the whole verified file or absent. Returns its size and sha256.
 */
export async function downloadToFile(
  fetcher: typeof fetch,
  url: string,
  dest: string,
  expected: DownloadExpectation,
  signal?: AbortSignal,
): Promise<{ sizeBytes: number; sha256: string }> {
  await mkdir(path.dirname(dest), { recursive: true });
  const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.part`);
  const guard = stallGuard(STALL_TIMEOUT_MS, `GET ${path.basename(dest)}`, signal);
  try {
    return await receive(fetcher, url, dest, temp, expected, guard);
  } finally {
    guard.done();
  }
}

async function receive(
  fetcher: typeof fetch,
  url: string,
  dest: string,
  temp: string,
  expected: DownloadExpectation,
  guard: ReturnType<typeof stallGuard>,
): Promise<{ sizeBytes: number; sha256: string }> {
  if (!/^https?:\/\//.test(url))
    throw new TransferError(`${path.basename(dest)} has no download URL (deleted?)`);
  const response = await fetcher(url, { redirect: 'error', signal: guard.signal });
  if (!response.ok || !response.body)
    throw new TransferError(`GET ${redactUrl(url)} answered ${response.status}`, response.status >= 500);
  const limit = expected.sizeBytes ?? expected.maxBytes;
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(temp, 'w', 0o600);
  try {
    for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
      const bytes = chunk as Buffer;
      guard.touch();
      size += bytes.length;
      if (size > limit) throw new TransferError(`${path.basename(dest)} is larger than ${limit} bytes`);
      hash.update(bytes);
      await handle.write(bytes);
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  const sha256 = hash.digest('hex');
  const problem =
    expected.sizeBytes !== null && size !== expected.sizeBytes
      ? `is ${size} bytes, expected ${expected.sizeBytes}`
      : expected.sha256 !== null && sha256 !== expected.sha256
        ? `has sha256 ${sha256}, expected ${expected.sha256}`
        : null;
  if (problem) {
    await rm(temp, { force: true });
    throw new TransferError(`${path.basename(dest)} ${problem}`);
  }
  await rename(temp, dest);
  return { sizeBytes: size, sha256 };
}

/**
 * Opens a file a workload wrote, for reading, refusing anything but a regular file inside `root`. The last
 * step is opened without following a symbolic link, and the path the kernel reports for the open descriptor
 * must lie under `root`'s real path, so a link planted anywhere on the way (a checkpoint named `c` pointing at
 * the node token, a directory pointing at `/`) never makes the agent upload a file of the host.
 */
export async function openContained(root: string, file: string): Promise<FileHandle> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
    throw new TransferError(
      `${path.basename(file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}; a symbolic link is refused)`,
    );
  });
  try {
    if (!(await handle.stat()).isFile())
      throw new TransferError(`${path.basename(file)} is not a regular file`);
    const actual = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => realpath(file));
    const realRoot = await realpath(root);
    if (!actual.startsWith(realRoot + path.sep))
      throw new TransferError(`${path.basename(file)} resolves outside its directory; refused`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Bytes to upload: an open file (streamed from its start), or a small buffer. */
export type UploadSource = { handle: FileHandle } | { bytes: Uint8Array };

function streamOf(handle: FileHandle): Readable {
  return handle.createReadStream({ start: 0, autoClose: false });
}

export async function sourceDigest(source: UploadSource): Promise<{ sizeBytes: number; sha256: string }> {
  if ('bytes' in source)
    return {
      sizeBytes: source.bytes.length,
      sha256: createHash('sha256').update(source.bytes).digest('hex'),
    };
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of streamOf(source.handle)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}

/** PUTs the bytes to a signed URL with the headers it was signed with. */
export async function uploadSource(
  fetcher: typeof fetch,
  transfer: SignedTransfer,
  source: UploadSource,
  signal?: AbortSignal,
): Promise<void> {
  const size = 'handle' in source ? (await source.handle.stat()).size : source.bytes.length;
  const guard = stallGuard(STALL_TIMEOUT_MS, `PUT ${redactUrl(transfer.url)}`, signal);
  const touching = new Transform({
    transform(chunk, _encoding, callback) {
      guard.touch();
      callback(null, chunk);
    },
  });
  const body: BodyInit =
    'handle' in source
      ? (Readable.toWeb(streamOf(source.handle).pipe(touching)) as unknown as ReadableStream<Uint8Array>)
      : new Blob([source.bytes as Uint8Array<ArrayBuffer>]);
  try {
    await send(fetcher, transfer, size, body, guard.signal);
  } finally {
    guard.done();
  }
}

async function send(
  fetcher: typeof fetch,
  transfer: SignedTransfer,
  size: number,
  body: BodyInit,
  signal: AbortSignal,
): Promise<void> {
  // Node's fetch needs `duplex: 'half'` for a streamed body; the DOM types do not know it.
  const init: RequestInit & { duplex: 'half' } = {
    method: 'PUT',
    headers: { ...transfer.headers, 'content-length': String(size) },
    body,
    signal,
    duplex: 'half',
  };
  const response = await fetcher(transfer.url, init);
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new TransferError(
      `PUT ${redactUrl(transfer.url)} answered ${response.status} ${text.slice(0, 200)}`,
      response.status >= 500,
    );
  }
  await response.body?.cancel();
}

/** A URL without its query (signatures stay out of logs). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
