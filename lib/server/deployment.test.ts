import { describe, expect, it } from 'vitest';
import { serverEnvSchema } from '@/lib/env';
import { assertSafeForSharedDatabase, missingSharedSettings } from '@/lib/server/deployment';

const KEY = `0x${'11'.repeat(32)}`;
const env = (values: Record<string, string>) => serverEnvSchema.parse(values);

describe('settings a shared database requires', () => {
  it('asks nothing of the embedded stack', () => {
    expect(missingSharedSettings(env({}))).toEqual([]);
  });

  it('names every missing setting in one refusal', () => {
    const shared = env({
      DATABASE_URL: 'postgres://db.internal/backfill',
      CHAIN_RPC_URL: 'https://mainnet.base.org',
      CHAIN_ID: '8453',
    });
    expect(missingSharedSettings(shared).map((m) => m.name)).toEqual([
      'RECEIPT_SIGNING_KEY',
      'APP_ORIGIN',
      'TREASURY_PRIVATE_KEY',
      'STORAGE_SIGNING_KEY',
    ]);
    expect(() => assertSafeForSharedDatabase(shared)).toThrow(
      /without RECEIPT_SIGNING_KEY, APP_ORIGIN, TREASURY_PRIVATE_KEY, STORAGE_SIGNING_KEY/,
    );
  });

  it('accepts a complete configuration, the local chain’s known treasury, and a bucket instead of a storage key', () => {
    expect(
      missingSharedSettings(
        env({
          DATABASE_URL: 'postgres://db.internal/backfill',
          RECEIPT_SIGNING_KEY: KEY,
          APP_ORIGIN: 'https://backfill.example',
          CHAIN_RPC_URL: 'http://127.0.0.1:8545',
          CHAIN_ID: '31337',
          STORAGE_BACKEND: 's3',
          S3_BUCKET: 'backfill-blobs',
        }),
      ),
    ).toEqual([]);
  });
});
