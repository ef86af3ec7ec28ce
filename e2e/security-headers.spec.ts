import { expect, test } from '@playwright/test';

const PAGES = ['/', '/market', '/docs/api', '/billing', '/no-such-page'];

test.describe('security headers', () => {
  for (const path of PAGES) {
    test(`${path} carries the CSP, nosniff, a referrer policy and HSTS`, async ({ request }) => {
      const response = await request.get(path);
      const headers = response.headers();
      expect(headers['content-type']).toContain('text/html');
      const csp = headers['content-security-policy'] ?? '';
      for (const directive of [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toContain('unsafe-eval');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['strict-transport-security']).toMatch(/max-age=\d{8}/);
    });
  }

  test('API mutations from a foreign origin are refused', async ({ request }) => {
    const response = await request.post('/api/v1/auth/logout', {
      data: {},
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
  });
});
