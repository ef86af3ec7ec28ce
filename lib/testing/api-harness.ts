import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import type { PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { provideServiceContext, type ServiceContext } from '@/lib/api/context';
import { SESSION_COOKIE } from '@/lib/auth/sessions';
import { chainConfigFrom, type ChainConfig } from '@/lib/chain/config';
import type { ManualClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { parseServerEnv } from '@/lib/env';
import { LocalStore } from '@/lib/storage/local-store';
import type { BlobStore } from '@/lib/storage/store';
import type { RouteHandler as Handler } from '@/lib/testing/api-routes';

export const TEST_ORIGIN = 'http://localhost:3000';

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text, sent as is (for malformed-input tests). */
  rawBody?: string;
  session?: string | null;
  bearer?: string;
  /** Origin header; defaults to ours for mutations. `null` omits it. */
  origin?: string | null;
  contentType?: string | null;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

/**
 * Runs the real route modules in-process against a test database, clock and chain, the way Next.js calls
 * them: a NextRequest in, a Response out.
 */
/** A local-chain configuration for tests that need the allow-list but never reach a node. */
export function offlineLocalChain(): ChainConfig {
  const chain = chainConfigFrom(
    parseServerEnv({
      CHAIN_RPC_URL: 'http://127.0.0.1:9',
      CHAIN_ID: '31337',
      USDC_ADDRESS: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    }),
  );
  if (!chain) throw new Error('unreachable: chain configured above');
  return chain;
}

export function useTestServices(input: {
  db: Db;
  clock: ManualClock;
  chain?: ChainConfig | null;
  chainClient?: PublicClient | null;
  /** Defaults to a real embedded store in a fresh temporary directory. */
  storage?: BlobStore;
}): ServiceContext {
  const ctx: ServiceContext = {
    db: input.db,
    clock: input.clock,
    simulated: false,
    chain: input.chain === undefined ? offlineLocalChain() : input.chain,
    chainClient: input.chainClient ?? null,
    web: { origins: [TEST_ORIGIN], secureCookies: false, production: false, trustProxy: false },
    storage: input.storage ?? testBlobStore(input.clock),
  };
  provideServiceContext(async () => ctx);
  current = ctx;
  return ctx;
}

let current: ServiceContext | null = null;

/** The service context of the last `useTestServices` call (what route handlers in this test use), if any. */
export function currentTestServices(): ServiceContext | null {
  return current;
}

/** A real embedded blob store in a fresh temporary directory, its URLs signed for TEST_ORIGIN. */
export function testBlobStore(clock?: ManualClock): LocalStore {
  return new LocalStore({
    root: mkdtempSync(path.join(os.tmpdir(), 'backfill-blobs-')),
    signingSecret: randomBytes(32),
    publicOrigin: TEST_ORIGIN,
    clock,
  });
}

export async function call(handler: Handler, path: string, options: CallOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers = new Headers(options.headers);
  const mutation = method !== 'GET' && method !== 'HEAD';
  if (options.origin !== null && (options.origin !== undefined || mutation))
    headers.set('origin', options.origin ?? TEST_ORIGIN);
  const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (options.contentType !== null && text !== undefined)
    headers.set('content-type', options.contentType ?? 'application/json');
  if (options.session) headers.set('cookie', `${SESSION_COOKIE}=${options.session}`);
  if (options.bearer) headers.set('authorization', `Bearer ${options.bearer}`);
  const request = new NextRequest(new URL(path, TEST_ORIGIN), { method, headers, body: text });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

/** Signs in through the real nonce and verify routes; returns the session token from the Set-Cookie header. */
export async function signInThroughApi(
  routes: { nonce: Handler; verify: Handler },
  wallet: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey()),
  chainId = 31337,
): Promise<{ token: string; wallet: PrivateKeyAccount; accountId: string }> {
  const nonceResponse = await call(routes.nonce, '/api/v1/auth/nonce', { method: 'POST', body: {} });
  const n = (await nonceResponse.json()) as {
    nonce: string;
    domain: string;
    uri: string;
    issuedAt: string;
    expiresAt: string;
  };
  const message = createSiweMessage({
    address: wallet.address,
    chainId,
    domain: n.domain,
    uri: n.uri,
    nonce: n.nonce,
    version: '1',
    issuedAt: new Date(n.issuedAt),
    expirationTime: new Date(n.expiresAt),
  });
  const response = await call(routes.verify, '/api/v1/auth/verify', {
    method: 'POST',
    body: { message, signature: await wallet.signMessage({ message }) },
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie') ?? '';
  const token = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1];
  if (!token) throw new Error('no session cookie');
  const body = (await response.json()) as { account: { id: string } };
  return { token, wallet, accountId: body.account.id };
}
