import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock } from '@/lib/clock';
import { LocalStore } from '@/lib/storage/local-store';
import { S3Store } from '@/lib/storage/s3-store';
import type { BlobStore, SignedUrl } from '@/lib/storage/store';
import { MiB } from '@/lib/testing/storage-fixtures';
import { s3ServerAvailability, startS3Server } from '@/lib/testing/s3-server';
import { startStorageHttpServer } from '@/lib/testing/storage-http-server';

/**
 * TESTS ONLY. The two blob store backends, each real: the local store on a temporary directory behind a
 * real HTTP server that answers its signed URLs, and the S3 store on the S3 test server. The contract
 * tests run the same cases against both.
 */
export interface StorageBackend {
  name: 'local' | 's3';
  store: BlobStore;
  /** Both stores sign (and the local one verifies) with this clock; tests keep it at real time. */
  clock: ManualClock;
  /** A second instance over the same data, as after a restart of the process. */
  reopen(): BlobStore;
  /** Whether a PUT URL is refused for the right length but the wrong bytes (a server-side sha256 check). */
  verifiesPutContent: boolean;
  stop(): Promise<void>;
}

export type BackendFactory = () => Promise<StorageBackend>;

export async function startLocalBackend(): Promise<StorageBackend> {
  const root = mkdtempSync(path.join(tmpdir(), 'backfill-blobs-'));
  const clock = new ManualClock(Date.now());
  const signingSecret = randomBytes(32);
  let current: LocalStore | null = null;
  const http = await startStorageHttpServer(() => current as LocalStore);
  const open = () => new LocalStore({ root, signingSecret, publicOrigin: http.origin, clock });
  current = open();
  return {
    name: 'local',
    store: current,
    clock,
    reopen: open,
    verifiesPutContent: true,
    stop: async () => {
      await http.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function startS3Backend(): Promise<StorageBackend> {
  const server = await startS3Server();
  const clock = new ManualClock(Date.now());
  // A prefix per run keeps runs apart on a shared external bucket, and exercises prefixed keys.
  const prefix = `run-${randomBytes(4).toString('hex')}/`;
  const stores: S3Store[] = [];
  const open = () => {
    const store = new S3Store({
      ...server,
      prefix,
      clock,
      // Small parts and a low copy threshold, so modest test objects take the multipart paths.
      tuning: { partBytes: 5 * MiB, concurrency: 2 },
      singleCopyBytes: 12 * MiB,
    });
    stores.push(store);
    return store;
  };
  return {
    name: 's3',
    store: open(),
    clock,
    reopen: open,
    verifiesPutContent: server.verifiesChecksums,
    stop: async () => {
      stores.forEach((store) => store.destroy());
      await server.stop();
    },
  };
}

/**
 * The backends to test here: always the local one; the S3 one when a server can be had, and also when it
 * cannot under CI, where a missing server must fail rather than skip.
 */
export function storageBackends(): { name: string; factory: BackendFactory | null; skipReason?: string }[] {
  const s3 = s3ServerAvailability();
  const s3Runs = s3.available || Boolean(process.env.CI);
  return [
    { name: 'local', factory: startLocalBackend },
    s3Runs ? { name: 's3', factory: startS3Backend } : { name: 's3', factory: null, skipReason: s3.reason },
  ];
}

/** What a client gets back from a signed URL. */
export interface SignedResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Uses a signed URL as a client would, over real HTTP, with the headers it names plus `extraHeaders`. */
export async function fetchSigned(
  signed: SignedUrl,
  options: { body?: Buffer; method?: string; url?: string; extraHeaders?: Record<string, string> } = {},
): Promise<SignedResponse> {
  const response = await fetch(options.url ?? signed.url, {
    method: options.method ?? signed.method,
    headers: { ...signed.headers, ...options.extraHeaders },
    body: options.body ? new Uint8Array(options.body) : undefined,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}
