import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getJson, isApiError, sendJson } from '@/lib/queries/api-client';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('sends mutations as JSON, which cookie-authenticated routes require', async () => {
    const fetchMock = vi.fn(async () => answer(200, { ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(sendJson('POST', '/api/v1/auth/logout', {})).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledWith(
      '/api/v1/auth/logout',
      expect.objectContaining({
        method: 'POST',
        body: '{}',
        headers: expect.objectContaining({ 'Content-Type': 'application/json' }),
      }),
    );
  });

  it('turns the error envelope into an ApiError with its code and fields', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(422, {
        error: {
          code: 'unprocessable',
          message: 'Not from your wallet.',
          fields: [{ field: 'txHash', message: 'x' }],
        },
      }),
    );
    const error = await sendJson('POST', '/api/v1/deposits', {}).catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({ status: 422, code: 'unprocessable', message: 'Not from your wallet.' });
    expect((error as ApiError).fields).toEqual([{ field: 'txHash', message: 'x' }]);
  });

  it('says how long to wait when rate-limited', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '7' }),
    );
    await expect(getJson('/api/v1/balance')).rejects.toMatchObject({
      status: 429,
      message: 'Too many requests. Try again in 7 s.',
    });
    vi.stubGlobal('fetch', async () => answer(429, {}));
    await expect(sendJson('POST', '/api/v1/auth/nonce', {})).rejects.toMatchObject({
      message: 'Too many requests. Try again in a moment.',
    });
  });
});
