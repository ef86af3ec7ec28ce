import { describe, expect, it } from 'vitest';
import { parseServerEnv } from '@/lib/env';

describe('configuration', () => {
  it('defaults to the embedded stack with no configuration', () => {
    const env = parseServerEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe('.data');
    expect(env.PORT).toBe(3000);
    expect(env.DEMO_NETWORK).toBe(true);
  });

  it('names every invalid variable at once', () => {
    expect(() =>
      parseServerEnv({ PORT: 'eighty', DATABASE_URL: 'not a url', DEMO_NETWORK: 'maybe' }),
    ).toThrow(/PORT.*DATABASE_URL|DATABASE_URL.*PORT/);
  });

  it('treats empty variables as unset', () => {
    expect(parseServerEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
