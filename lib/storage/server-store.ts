import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { webConfigFrom } from '@/lib/auth/web-config';
import type { Clock } from '@/lib/clock';
import { serverEnv, type ServerEnv } from '@/lib/env';
import { createBlobStore, type StorageConfig } from '@/lib/storage/create-store';
import type { BlobStore } from '@/lib/storage/store';

const KEY_FILE = 'storage-signing-key';

function hexToBuffer(hex: string): Buffer {
  return Buffer.from(hex.replace(/^0x/, ''), 'hex');
}

/**
 * The embedded store's URL-signing key: STORAGE_SIGNING_KEY when set (every instance the same), else a key
 * generated once and kept in DATA_DIR, readable only by its owner, like the receipt key.
 */
function signingSecret(env: ServerEnv): Buffer {
  if (env.STORAGE_SIGNING_KEY) return hexToBuffer(env.STORAGE_SIGNING_KEY);
  const file = path.resolve(env.DATA_DIR, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process of this stack wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return hexToBuffer(readFileSync(file, 'utf8').trim());
}

/** The store configuration that lib/env.ts describes. */
export function storageConfigFrom(env: ServerEnv): StorageConfig {
  if (env.STORAGE_BACKEND === 's3')
    return {
      backend: 's3',
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET ?? '',
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      prefix: env.S3_PREFIX,
      checksums: env.S3_CHECKSUMS,
    };
  return {
    backend: 'local',
    dataDir: env.DATA_DIR,
    signingSecret: signingSecret(env),
    previousSigningSecrets: (env.STORAGE_PREVIOUS_SIGNING_KEYS ?? []).map(hexToBuffer),
    publicOrigin: webConfigFrom(env).origins[0] ?? `http://localhost:${env.PORT}`,
  };
}

let cached: BlobStore | undefined;

/** The web process's blob store, built once from the configuration. */
export function serverBlobStore(clock?: Clock): BlobStore {
  cached ??= createBlobStore(storageConfigFrom(serverEnv()), clock);
  return cached;
}
