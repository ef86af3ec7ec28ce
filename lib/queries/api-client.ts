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

/** GET a JSON endpoint of our API; non-2xx answers become ApiError from the error envelope. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (
      body as { error?: { code?: string; message?: string; fields?: { field: string; message: string }[] } }
    )?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'internal',
      error?.message ?? `Request failed (${response.status})`,
      error?.fields,
    );
  }
  return body as T;
}
