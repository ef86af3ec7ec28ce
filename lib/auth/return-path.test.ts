import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '@/lib/auth/return-path';

describe('safeReturnPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeReturnPath('/jobs')).toBe('/jobs');
    expect(safeReturnPath('/market?gpu=rtx-4090-24gb&sort=price#top')).toBe(
      '/market?gpu=rtx-4090-24gb&sort=price#top',
    );
    expect(safeReturnPath('/jobs/../billing')).toBe('/billing');
  });

  it('sends anything that could leave the site to the home page', () => {
    for (const value of [
      null,
      undefined,
      '',
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/jobs\nLocation: https://evil.example',
      `/${'a'.repeat(3000)}`,
    ])
      expect(safeReturnPath(value), String(value)).toBe('/');
  });

  it('round-trips through the header sign-in link (components/layout/session-nav.tsx)', () => {
    const href = `/signin?next=${encodeURIComponent('/market?gpu=a100-80gb')}`;
    expect(safeReturnPath(new URL(href, 'http://x').searchParams.get('next'))).toBe('/market?gpu=a100-80gb');
  });
});
