/** An API error carrying the envelope's code and offending fields, for forms and error states. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; fields?: { field: string; message: string }[] };
}

/**
 * The ApiError of a non-2xx answer. A 429 names how long to wait (from `Retry-After`), so the message can be
 * shown as it is.
 */
function toApiError(response: Response, body: unknown): ApiError {
  const error = (body as ErrorEnvelope | null)?.error;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('Retry-After'));
    const wait = Number.isFinite(seconds) && seconds > 0 ? `in ${Math.ceil(seconds)} s` : 'in a moment';
    return new ApiError(429, error?.code ?? 'rate_limited', `Too many requests. Try again ${wait}.`);
  }
  return new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? `Request failed (${response.status})`,
    error?.fields,
  );
}

/** GET a JSON endpoint of our API; non-2xx answers become ApiError from the error envelope. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response, body);
  return body as T;
}

/**
 * Sends a JSON body to our API (POST, PATCH, …). Cookie-authenticated mutations must be JSON from our own
 * origin, so the content type is always set; non-2xx answers become ApiError. `headers` adds to them (an
 * `Idempotency-Key`, say).
 */
export async function sendJson<T>(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...headers, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response, answer);
  return answer as T;
}

/** Whether an error is an answer of our API (retrying it would get the same answer). */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError';
}
