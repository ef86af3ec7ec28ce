import type { z } from 'zod';
import { agentCompleteSchema, agentUploadSchema, type AgentUploadRequest } from '@/lib/files/schemas';
import {
  heartbeatResponseSchema,
  registerResponseSchema,
  type HeartbeatRequestInput,
  type HeartbeatResponse,
  type registerRequestSchema,
} from '@/lib/agent/schemas';

/**
 * A small typed HTTP client for the node agent protocol (register, heartbeat). Every reply is validated with
 * the protocol's zod schemas. Network errors, timeouts and 5xx answers are retried with exponential backoff;
 * 429 is retried after its Retry-After; any other 4xx is final. Used by the real agent and, over the same
 * HTTP, by the simulated fleet.
 */

export type AgentUpload = z.infer<typeof agentUploadSchema>;
export type AgentUploadAcknowledged = z.infer<typeof agentCompleteSchema>;
export type RegisterRequestInput = z.input<typeof registerRequestSchema>;
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

export interface AgentClientOptions {
  /** Base URL of the marketplace, e.g. https://backfill.example.com (a path prefix is kept). */
  apiUrl: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** First backoff delay; doubles per retry up to `maxBackoffMs`, with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured; a longer one ends the call with the 429. */
  maxRetryAfterMs?: number;
  userAgent?: string;
  /** Injected for tests and the simulator: waiting between retries, and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface CallOptions {
  /** Overrides the client's attempts for this call (a heartbeat retries less: the next one is soon). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

/** An answer from the server that ends the call: a 4xx, or a 5xx / 429 once retries are spent. */
export class AgentApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
    /** The offending fields of a refused request (`leases.0.logs.3.text`), when the server named them. */
    readonly fields: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'AgentApiError';
  }

  /** The token was refused: the agent must stop, retrying cannot help. */
  get unauthorized(): boolean {
    return this.status === 401;
  }

  /** The request itself was refused (invalid or too large): sending it again unchanged cannot help. */
  get refusedInput(): boolean {
    return this.status === 400 || this.status === 413 || this.status === 415;
  }
}

/** The server could not be reached (connection refused, reset, DNS, timeout) on every attempt. */
export class AgentNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentNetworkError';
  }
}

/** The reply did not match the protocol (a different server, or a version mismatch). */
export class AgentProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentProtocolError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function errorFrom(response: Response): Promise<AgentApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after')) ?? undefined;
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  const fields: { field: string; message: string }[] = [];
  try {
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; fields?: unknown };
    };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body.error?.fields))
      for (const issue of body.error.fields as { field?: unknown; message?: unknown }[])
        if (typeof issue?.field === 'string')
          fields.push({
            field: issue.field,
            message: typeof issue.message === 'string' ? issue.message : '',
          });
  } catch {
    // Not the JSON error envelope (a proxy's HTML page, say): keep the status line.
  }
  return new AgentApiError(response.status, code, message, retryAfter, fields);
}

export class AgentClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string | undefined;

  constructor(options: AgentClientOptions) {
    const url = new URL(options.apiUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`The API URL must be http(s), not ${url.protocol}`);
    this.base = url.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.fetchImpl = options.fetch ?? fetch;
    this.userAgent = options.userAgent;
  }

  get apiUrl(): string {
    return this.base;
  }

  /** Registers this machine with a one-time registration token; the reply's node token is shown once. */
  register(body: RegisterRequestInput, options: CallOptions = {}): Promise<RegisterResponse> {
    return this.post('/api/v1/agent/register', body, null, registerResponseSchema, options);
  }

  /** Reports status, telemetry and leases; the reply carries assignments and cancellations. */
  heartbeat(
    nodeToken: string,
    body: HeartbeatRequestInput,
    options: CallOptions = {},
  ): Promise<HeartbeatResponse> {
    return this.post('/api/v1/agent/heartbeat', body, nodeToken, heartbeatResponseSchema, options);
  }

  /** Where to upload an output or a checkpoint of a lease this node holds (a signed PUT). */
  createUpload(nodeToken: string, body: AgentUploadRequest, options: CallOptions = {}): Promise<AgentUpload> {
    return this.post('/api/v1/agent/uploads', body, nodeToken, agentUploadSchema, options);
  }

  /** The bytes are up: the marketplace checks them, and a checkpoint is kept from then on. */
  completeUpload(
    nodeToken: string,
    fileId: string,
    fencingToken: number,
    options: CallOptions = {},
  ): Promise<AgentUploadAcknowledged> {
    return this.post(
      `/api/v1/agent/uploads/${encodeURIComponent(fileId)}/complete`,
      { fencingToken },
      nodeToken,
      agentCompleteSchema,
      options,
    );
  }

  /** The fetch this client uses (signed transfers go through it too). */
  get fetcher(): typeof fetch {
    return this.fetchImpl;
  }

  private backoff(retry: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** retry);
    // Full jitter in the upper half: spread retries of many agents without ever retrying at once.
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private async post<S extends z.ZodType>(
    path: string,
    body: unknown,
    bearer: string | null,
    schema: S,
    options: CallOptions,
  ): Promise<z.infer<S>> {
    const attempts = Math.max(1, options.maxAttempts ?? this.maxAttempts);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      // The replies are small JSON: compressing them would cost the server (and us) more CPU than it saves.
      'accept-encoding': 'identity',
    };
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    if (this.userAgent) headers['user-agent'] = this.userAgent;
    const payload = JSON.stringify(body);
    let lastError: Error = new AgentNetworkError(`POST ${path} was not attempted`);

    for (let attempt = 0; attempt < attempts; attempt++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      const last = attempt === attempts - 1;
      let response: Response;
      try {
        const signals = [AbortSignal.timeout(this.timeoutMs)];
        if (options.signal) signals.push(options.signal);
        response = await this.fetchImpl(`${this.base}${path}`, {
          method: 'POST',
          headers,
          body: payload,
          signal: AbortSignal.any(signals),
        });
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        const reason =
          error instanceof Error && error.name === 'TimeoutError'
            ? `no answer within ${this.timeoutMs} ms`
            : describeNetworkError(error);
        lastError = new AgentNetworkError(`POST ${this.base}${path}: ${reason}`, { cause: error });
        if (!last) await this.sleep(this.backoff(attempt));
        continue;
      }

      if (response.ok) {
        let json: unknown;
        try {
          json = await response.json();
        } catch {
          throw new AgentProtocolError(`POST ${path} answered ${response.status} without a JSON body`);
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success)
          throw new AgentProtocolError(
            `POST ${path} answered with an unexpected body: ${parsed.error.issues
              .slice(0, 3)
              .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
              .join('; ')}`,
          );
        return parsed.data;
      }

      const error = await errorFrom(response);
      lastError = error;
      if (response.status === 429) {
        const wait = error.retryAfterMs ?? this.backoff(attempt);
        if (last || wait > this.maxRetryAfterMs) throw error;
        await this.sleep(wait);
        continue;
      }
      if (response.status < 500) throw error;
      if (!last) await this.sleep(this.backoff(attempt));
    }
    throw lastError;
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}
