import path from 'node:path';
import type { Clock } from '@/lib/clock';
import { LocalStore } from '@/lib/storage/local-store';
import type { S3Config } from '@/lib/storage/s3-client';
import { S3Store } from '@/lib/storage/s3-store';
import type { BlobStore } from '@/lib/storage/store';

/**
 * Which store to build, from validated configuration (lib/env.ts reads the variables; this only builds).
 * `local` is the embedded default: objects under `<dataDir>/blobs`, URLs signed for the marketplace API.
 */
export type StorageConfig =
  | {
      backend: 'local';
      dataDir: string;
      /** At least 32 bytes; the same on every web instance. */
      signingSecret: Buffer;
      previousSigningSecrets?: Buffer[];
      publicOrigin: string;
    }
  | ({ backend: 's3' } & S3Config);

export function createBlobStore(config: StorageConfig, clock?: Clock): BlobStore {
  if (config.backend === 'local')
    return new LocalStore({
      root: path.join(config.dataDir, 'blobs'),
      signingSecret: config.signingSecret,
      previousSigningSecrets: config.previousSigningSecrets,
      publicOrigin: config.publicOrigin,
      clock,
    });
  const { backend: _backend, ...s3 } = config;
  return new S3Store({ ...s3, clock });
}
