import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi';
import { SseParser } from './sse';

type Schemas = components['schemas'];
export type JobSpec = Schemas['JobSpec'];
export type QuoteRequest = Schemas['QuoteRequest'];
export type Quote = Schemas['Quote'];
export type Job = Schemas['Job'];
export type JobDetail = Schemas['JobDetail'];
export type JobEvent = Schemas['JobEvent'];
export type JobOutput = Schemas['JobOutput'];
export type OfferPage = Schemas['OfferPage'];
export type StoredFile = Schemas['StoredFile'];
export type Session = Schemas['Session'];
export type OfferQuery = NonNullable<paths['/api/v1/offers']['get']['parameters']['query']>;
export type JobListQuery = NonNullable<paths['/api/v1/jobs']['get']['parameters']['query']>;

/** A job spec as written in a file: the API's JobSpec, whose inputs may also name local files to upload. */
export type JobSpecFile = Omit<JobSpec, 'inputs'> & {
  inputs?: (Schemas['JobInputSpec'] | { path: string; name?: string })[];
};

export const CLIENT_VERSION = '0.1.0';
/** States a job does not leave. */
export const TERMINAL_JOB_STATES: readonly Job['state'][] = [
  'succeeded',
  'failed',
  'cancelled',
  'out_of_budget',
];
const MAX_RECONNECTS = 5;
/** An input kept for less than this is uploaded again rather than reused. */
const REUSE_MARGIN_MS = 3_600_000;

/** A refusal of the API (its `{ error: { code, message, fields } }`), or `network` when it was not reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: { field: string; message: string }[],
  ) {
    super(status ? `HTTP ${status} ${code}: ${message}` : message);
    this.name = 'ApiError';
  }

  /** From an answer's status and its body (parsed JSON, or text). */
  static of(status: number, statusText: string, body: unknown): ApiError {
    const error = (
      body as { error?: { code?: string; message?: string; fields?: { field: string; message: string }[] } }
    )?.error;
    if (error?.message) return new ApiError(status, error.code ?? 'error', error.message, error.fields);
    const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
    return new ApiError(status, 'error', text || statusText || 'no details');
  }

  static async from(response: Response): Promise<ApiError> {
    return ApiError.of(response.status, response.statusText, await response.text().catch(() => ''));
  }
}

export interface BackfillClientOptions {
  /** The marketplace's origin, e.g. https://backfill.example. */
  apiUrl: string;
  /** An API key (`bfk_…`) from the dashboard's Account page; without one only public reads work. */
  apiKey?: string;
  fetch?: typeof fetch;
}

/**
 * The Backfill API for programs: `api` is the typed client generated from the OpenAPI document (every
 * operation), and the methods below are the verbs the CLI offers, with the transfers, the live stream and the
 * checks they need.
 */
export class BackfillClient {
  readonly api: Client<paths>;
  readonly apiUrl: string;
  private readonly fetcher: typeof fetch;

  constructor(options: BackfillClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.fetcher = options.fetch ?? globalThis.fetch;
    const fetcher = this.fetcher;
    this.api = createClient<paths>({
      baseUrl: this.apiUrl,
      headers: {
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        'user-agent': `backfill-typescript/${CLIENT_VERSION}`,
      },
      // A network failure becomes an ApiError naming what could not be reached.
      fetch: (request: Request) =>
        fetcher(request).catch((error: unknown) => {
          throw networkError(request.url, error);
        }),
    });
  }

  async session(): Promise<Session> {
    return ok(await this.api.GET('/api/v1/auth/session'));
  }

  async offers(query: OfferQuery = {}): Promise<OfferPage> {
    return ok(await this.api.GET('/api/v1/offers', { params: { query } }));
  }

  async quote(spec: QuoteRequest): Promise<Quote> {
    return ok(await this.api.POST('/api/v1/quotes', { body: spec }));
  }

  /** Launches a job. The idempotency key makes a retried launch return the first job instead of a second. */
  async launch(spec: JobSpec, idempotencyKey: string = randomUUID()): Promise<JobDetail> {
    return ok(
      await this.api.POST('/api/v1/jobs', {
        body: spec,
        params: { header: { 'Idempotency-Key': idempotencyKey } },
      }),
    ) as JobDetail;
  }

  async jobs(query: JobListQuery = {}): Promise<Schemas['JobPage']> {
    return ok(await this.api.GET('/api/v1/jobs', { params: { query } }));
  }

  async job(id: string): Promise<JobDetail> {
    return ok(await this.api.GET('/api/v1/jobs/{id}', { params: { path: { id } } }));
  }

  async cancel(id: string): Promise<Job> {
    return ok(await this.api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } }, body: {} }));
  }

  async logs(id: string): Promise<string> {
    return ok(
      await this.api.GET('/api/v1/jobs/{id}/logs', { params: { path: { id } }, parseAs: 'text' }),
    ) as string;
  }

  /**
   * Uploads a local file as an input: reserves it with its size and sha256, streams the bytes to the signed
   * URL (which carries its own authority: the API key is not sent there), then completes it. An input of
   * yours with the same name and bytes, kept for at least another hour, is used instead of uploading again:
   * a large dataset goes up once, and a launch retried with its idempotency key sends the same spec.
   */
  async uploadFile(file: string, name = path.basename(file)): Promise<StoredFile> {
    const { size } = await stat(file);
    const sha256 = await sha256OfFile(file);
    const kept = ok(
      await this.api.GET('/api/v1/files', { params: { query: { kind: 'input', sha256, limit: 100 } } }),
    );
    const reusable = kept.items.find(
      (f) =>
        f.state === 'ready' &&
        f.name === name &&
        f.sizeBytes === size &&
        (f.expiresAt === null || Date.parse(f.expiresAt) > Date.now() + REUSE_MARGIN_MS),
    );
    if (reusable) return reusable;
    const created = ok(await this.api.POST('/api/v1/files', { body: { name, sizeBytes: size, sha256 } }));
    const { upload } = created;
    // Node's fetch needs `duplex: 'half'` for a streamed body; the DOM types do not know it.
    const init: RequestInit & { duplex: 'half' } = {
      method: upload.method,
      headers: { ...upload.headers, 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>,
      duplex: 'half',
    };
    const url = new URL(upload.url, this.apiUrl).toString();
    const sent = await this.fetcher(url, init).catch((error: unknown) => {
      throw networkError(url, error);
    });
    if (!sent.ok) throw await ApiError.from(sent);
    await sent.body?.cancel();
    return ok(
      await this.api.POST('/api/v1/files/{id}/complete', {
        params: { path: { id: created.file.id } },
        body: {},
      }),
    );
  }

  /** The spec with every `{ path }` input uploaded (relative to `baseDir`) and replaced by its file id. */
  async resolveSpec(spec: JobSpecFile, baseDir: string): Promise<JobSpec> {
    // Every local file must be there before anything is uploaded.
    for (const [i, input] of (spec.inputs ?? []).entries()) {
      if (!('path' in input)) continue;
      const file = path.resolve(baseDir, input.path);
      if (!(await stat(file).catch(() => null))?.isFile())
        throw new Error(`inputs[${i}]: no such file: ${file}`);
    }
    const inputs: Schemas['JobInputSpec'][] = [];
    for (const input of spec.inputs ?? []) {
      if ('path' in input) {
        const file = await this.uploadFile(path.resolve(baseDir, input.path), input.name);
        inputs.push(input.name ? { fileId: file.id, name: input.name } : { fileId: file.id });
      } else inputs.push(input);
    }
    return { ...spec, inputs };
  }

  /**
   * The job's events as they happen, from the live stream (Server-Sent Events). A dropped connection, or a
   * server that ends the stream to shut down, is resumed after the last event seen (`Last-Event-ID`), so no
   * event is lost or repeated; it gives up after five failed connections in a row.
   */
  async *events(id: string, after = 0, signal?: AbortSignal): AsyncGenerator<JobEvent> {
    let lastId = after;
    let failures = 0;
    let retryMs = 2_000;
    while (!signal?.aborted) {
      try {
        const result = await this.api.GET('/api/v1/jobs/{id}/stream', {
          params: { path: { id } },
          headers: { accept: 'text/event-stream', 'last-event-id': String(lastId) },
          parseAs: 'stream',
          signal,
        });
        const body = ok(result) as unknown as AsyncIterable<Uint8Array>;
        failures = 0;
        const parser = new SseParser();
        const decoder = new TextDecoder();
        for await (const chunk of body) {
          for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
            const event = JSON.parse(message.data) as JobEvent;
            lastId = event.id;
            yield event;
          }
        }
        retryMs = parser.retryMs ?? retryMs;
      } catch (error) {
        // The API's refusals stand (a 4xx); a lost connection or a server error is tried again.
        const retriable =
          error instanceof ApiError ? error.status === 0 || error.status >= 500 : !signal?.aborted;
        if (!retriable || ++failures >= MAX_RECONNECTS) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }

  /** Follows the job until it ends, calling `onEvent` for each event; answers the finished job. */
  async watch(id: string, onEvent?: (event: JobEvent) => void): Promise<JobDetail> {
    const job = await this.job(id);
    if (TERMINAL_JOB_STATES.includes(job.state)) return job;
    // Leaving the loop closes the stream; the abort afterwards only makes sure the connection is gone. Aborting
    // first would error the stream the loop is still closing, and that error would surface here.
    const controller = new AbortController();
    try {
      for await (const event of this.events(id, 0, controller.signal)) {
        onEvent?.(event);
        if ((TERMINAL_JOB_STATES as readonly string[]).includes(event.type)) break;
      }
    } finally {
      controller.abort();
    }
    return this.job(id);
  }

  /**
   * Downloads the job's outputs into `dir`, each checked against its listed size and sha256 before it takes
   * its name (a partial or corrupted file is removed). The API answers each with a redirect to a short-lived
   * signed URL, which is fetched without the API key.
   */
  async downloadOutputs(id: string, dir: string): Promise<string[]> {
    const { outputs } = await this.job(id);
    for (const output of outputs) safeJoin(dir, output.name);
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const output of outputs) written.push(await this.downloadOutput(output, dir));
    return written;
  }

  private async downloadOutput(output: JobOutput, dir: string): Promise<string> {
    const target = safeJoin(dir, output.name);
    await mkdir(path.dirname(target), { recursive: true });
    const result = await this.api.GET('/api/v1/files/{id}/download', {
      params: { path: { id: output.fileId } },
      redirect: 'manual',
      parseAs: 'stream',
    });
    const { response } = result;
    const location = response.headers.get('location');
    if (response.status !== 303 || !location)
      throw ApiError.of(response.status, response.statusText, result.error ?? 'no download link');
    const url = new URL(location, this.apiUrl).toString();
    const bytes = await this.fetcher(url).catch((error: unknown) => {
      throw networkError(url, error);
    });
    if (!bytes.ok || !bytes.body) throw await ApiError.from(bytes);
    const partial = `${target}.part`;
    const hash = createHash('sha256');
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(bytes.body as import('node:stream/web').ReadableStream),
        hashing,
        createWriteStream(partial),
      );
      const sha256 = hash.digest('hex');
      if (size !== output.sizeBytes || sha256 !== output.sha256)
        throw new Error(
          `${output.name}: got ${size} bytes with sha256 ${sha256}, expected ${output.sizeBytes} bytes with ${output.sha256}`,
        );
      await rename(partial, target);
      return target;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }
}

/** The body of a successful answer, or the API's refusal as an ApiError. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  const { response } = result;
  if (!response.ok || result.data === undefined)
    throw ApiError.of(response.status, response.statusText, result.error);
  return result.data;
}

/** A failed fetch as an ApiError naming what could not be reached (an abort stays an abort). */
function networkError(url: string, error: unknown): unknown {
  if (error instanceof ApiError || (error instanceof Error && error.name === 'AbortError')) return error;
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
  return new ApiError(0, 'network', `could not reach ${new URL(url).origin}${cause ? ` (${cause})` : ''}`);
}

/**
 * `dir/name` for an output name, which is a relative path (`frames/frame-0001.png`): 1–8 segments, each
 * starting with a letter or digit, of letters, digits, space, `.`, `_` or `-` (the marketplace's own rule,
 * which a test keeps in step). Anything else — `..`, an absolute path, a backslash — is refused, so no output
 * lands outside `dir`.
 */
export function safeJoin(dir: string, name: string): string {
  const segments = name.split('/');
  const plain = (s: string) =>
    /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/.test(s) && !s.includes('..') && !s.endsWith(' ');
  if (name.length > 255 || segments.length > 8 || !segments.every(plain))
    throw new Error(`refusing the output name ${JSON.stringify(name)}: it is not a relative file path`);
  return path.join(dir, ...segments);
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
