import { eq } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as apiKeyById from '@/app/api/v1/api-keys/[id]/route';
import * as apiKeysRoute from '@/app/api/v1/api-keys/route';
import * as balanceRoute from '@/app/api/v1/balance/route';
import * as logoutRoute from '@/app/api/v1/auth/logout/route';
import * as nonceRoute from '@/app/api/v1/auth/nonce/route';
import * as sessionRoute from '@/app/api/v1/auth/session/route';
import * as verifyRoute from '@/app/api/v1/auth/verify/route';
import * as settingsRoute from '@/app/api/v1/account/settings/route';
import { provideServiceContext } from '@/lib/api/context';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { apiKeys } from '@/lib/db/schema';
import { call, signInThroughApi, useTestServices } from '@/lib/testing/api-harness';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const routes = { nonce: nonceRoute.POST, verify: verifyRoute.POST };

describe('request guards and credentials', () => {
  let handle: DatabaseHandle;
  const clock = new ManualClock('2026-11-25T10:00:00Z');

  beforeAll(async () => {
    handle = await createTestDb('pglite');
    useTestServices({ db: handle.db, clock });
  });
  afterAll(async () => {
    provideServiceContext(null);
    await handle.close();
  });

  it('signs in with an HttpOnly, SameSite cookie, reports the session, and logs out server-side', async () => {
    const { token, wallet } = await signInThroughApi(routes);
    const session = await call(sessionRoute.GET, '/api/v1/auth/session', { session: token });
    expect(await session.json()).toMatchObject({ account: { address: wallet.address } });

    const logout = await call(logoutRoute.POST, '/api/v1/auth/logout', {
      method: 'POST',
      body: {},
      session: token,
    });
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/bf_session=;.*Max-Age=0/i);
    // The old token is dead even if a copy of the cookie survived.
    const after = await call(sessionRoute.GET, '/api/v1/auth/session', { session: token });
    expect(await after.json()).toEqual({ account: null, expiresAt: null });
    expect((await call(balanceRoute.GET, '/api/v1/balance', { session: token })).status).toBe(401);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and Secure when served over HTTPS', async () => {
    const cookies: string[] = [];
    const verify: typeof routes.verify = async (request, context) => {
      const answer = await routes.verify(request, context);
      cookies.push(answer.headers.get('set-cookie') ?? '');
      return answer;
    };
    await signInThroughApi({ nonce: routes.nonce, verify });
    const ctx = useTestServices({ db: handle.db, clock });
    ctx.web.secureCookies = true;
    await signInThroughApi({ nonce: routes.nonce, verify });
    useTestServices({ db: handle.db, clock });
    for (const cookie of cookies) {
      expect(cookie).toMatch(/^bf_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=lax/i);
    }
    expect(cookies[0]).not.toMatch(/Secure/i);
    expect(cookies[1]).toMatch(/Secure/i);
  });

  it('refuses cookie mutations from a foreign or null Origin, and non-JSON bodies', async () => {
    const { token } = await signInThroughApi(routes);
    const patch = (options: Parameters<typeof call>[2]) =>
      call(settingsRoute.PATCH, '/api/v1/account/settings', {
        method: 'PATCH',
        session: token,
        body: { lowBalanceThresholdMicros: '5000000' },
        ...options,
      });
    expect((await patch({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await patch({ origin: 'null' })).status).toBe(403);
    expect((await patch({ origin: null })).status).toBe(403);
    expect((await patch({ contentType: 'text/plain' })).status).toBe(415);
    expect((await patch({ contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await patch({ contentType: null })).status).toBe(415);
    const badJson = await patch({ rawBody: '{"lowBalance' });
    expect(badJson.status).toBe(400);
    const unknownKey = await patch({ body: { lowBalanceThresholdMicros: '1', isAdmin: true } });
    expect(unknownKey.status).toBe(400);
    expect(JSON.stringify(await unknownKey.json())).toContain('isAdmin');
    // Nothing above changed the setting.
    const balance = await call(balanceRoute.GET, '/api/v1/balance', { session: token });
    expect(await balance.json()).toMatchObject({ lowBalanceThresholdMicros: null });
    // The dashboard's own request works.
    expect((await patch({})).status).toBe(200);
    expect(await (await call(balanceRoute.GET, '/api/v1/balance', { session: token })).json()).toMatchObject({
      lowBalanceThresholdMicros: '5000000',
      lowBalance: true,
    });
    // Sign-in itself is a cookie-setting mutation: a foreign page can't log a visitor into its account.
    expect(
      (
        await call(nonceRoute.POST, '/api/v1/auth/nonce', {
          method: 'POST',
          body: {},
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
  });

  it('creates API keys shown once and stored hashed; bearer keys authenticate until revoked', async () => {
    const { token, accountId } = await signInThroughApi(routes);
    const created = await call(apiKeysRoute.POST, '/api/v1/api-keys', {
      method: 'POST',
      session: token,
      body: { name: 'ci runner' },
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; prefix: string };
    expect(key.key).toMatch(/^bfk_[A-Za-z0-9_-]{43}$/);
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const stored = await handle.db.select().from(apiKeys).where(eq(apiKeys.accountId, accountId));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.scopes).toEqual(['read', 'jobs']);
    expect(JSON.stringify(stored)).not.toContain(key.key);

    const list = await call(apiKeysRoute.GET, '/api/v1/api-keys', { session: token });
    expect(JSON.stringify(await list.json())).not.toContain(key.key);

    // A bearer key works without cookies or Origin, for programmatic clients, within its scopes (by default
    // read and jobs: it reads the balance but may not change billing settings)…
    expect((await call(balanceRoute.GET, '/api/v1/balance', { bearer: key.key })).status).toBe(200);
    const settings = { method: 'PATCH', origin: null, body: { lowBalanceThresholdMicros: null } } as const;
    const outOfScope = await call(settingsRoute.PATCH, '/api/v1/account/settings', {
      ...settings,
      bearer: key.key,
    });
    expect(outOfScope.status).toBe(403);
    const billingKey = await call(apiKeysRoute.POST, '/api/v1/api-keys', {
      method: 'POST',
      session: token,
      body: { name: 'billing', scopes: ['billing', 'read'] },
    });
    const billing = (await billingKey.json()) as { key: string; scopes: string[] };
    expect(billing.scopes).toEqual(['read', 'billing']);
    const viaKey = await call(settingsRoute.PATCH, '/api/v1/account/settings', {
      ...settings,
      bearer: billing.key,
    });
    expect(viaKey.status).toBe(200);
    // A key with no scope, or one nobody knows, is refused at creation.
    for (const scopes of [[], ['admin']]) {
      const refused = await call(apiKeysRoute.POST, '/api/v1/api-keys', {
        method: 'POST',
        session: token,
        body: { name: 'bad', scopes },
      });
      expect(refused.status, JSON.stringify(scopes)).toBe(400);
    }
    // …but cannot mint or revoke keys.
    const mint = await call(apiKeysRoute.POST, '/api/v1/api-keys', {
      method: 'POST',
      bearer: key.key,
      body: { name: 'escalate' },
    });
    expect(mint.status).toBe(403);

    const revoked = await call(apiKeyById.DELETE, `/api/v1/api-keys/${key.id}`, {
      method: 'DELETE',
      session: token,
      params: { id: key.id },
    });
    expect(revoked.status).toBe(200);
    expect((await call(balanceRoute.GET, '/api/v1/balance', { bearer: key.key })).status).toBe(401);
    expect((await call(balanceRoute.GET, '/api/v1/balance', { bearer: 'bfk_made-up' })).status).toBe(401);
    expect(
      (await call(balanceRoute.GET, '/api/v1/balance', { headers: { authorization: 'Basic abc' } })).status,
    ).toBe(401);
  });

  it('rate-limits sign-in with 429 and Retry-After, per client behind a trusted proxy, per window', async () => {
    clock.set('2026-11-25T11:00:00Z');
    useTestServices({ db: handle.db, clock }).web.trustProxy = true;
    const nonce = () =>
      call(nonceRoute.POST, '/api/v1/auth/nonce', {
        method: 'POST',
        body: {},
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
    const limit = RATE_LIMITS.signIn[0]?.limit ?? 0;
    for (let i = 0; i < limit; i++) expect((await nonce()).status).toBe(200);
    const limited = await nonce();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // A client can't pick a fresh bucket by prepending its own hops: the proxy's (last) hop counts.
    const spoofed = await call(nonceRoute.POST, '/api/v1/auth/nonce', {
      method: 'POST',
      body: {},
      headers: { 'x-forwarded-for': '192.0.2.1, 203.0.113.9' },
    });
    expect(spoofed.status).toBe(429);
    // Another client is unaffected; the next window is open again.
    expect(
      (
        await call(nonceRoute.POST, '/api/v1/auth/nonce', {
          method: 'POST',
          body: {},
          headers: { 'x-forwarded-for': '198.51.100.7' },
        })
      ).status,
    ).toBe(200);
    clock.advance(60_000);
    expect((await nonce()).status).toBe(200);
    useTestServices({ db: handle.db, clock });
  });

  it('without a trusted proxy or our server’s stamp, anonymous clients share one bucket whatever X-Forwarded-For says', async () => {
    clock.set('2026-11-25T12:00:00Z');
    const limit = RATE_LIMITS.signIn[0]?.limit ?? 0;
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i++)
      statuses.push(
        (
          await call(nonceRoute.POST, '/api/v1/auth/nonce', {
            method: 'POST',
            body: {},
            headers: { 'x-forwarded-for': `198.51.100.${i}` },
          })
        ).status,
      );
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe.each(TEST_ENGINES)('Idempotency-Key on %s', (engine) => {
  let handle: DatabaseHandle;
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  let runs = 0;
  const create = apiRoute({
    auth: 'required',
    body: z.strictObject({ amount: z.number() }),
    idempotency: 'required',
    status: 201,
    handler: async ({ body }) => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { run: runs, amount: body.amount };
    },
  });

  beforeAll(async () => {
    handle = await createTestDb(engine);
    useTestServices({ db: handle.db, clock });
  });
  afterAll(async () => {
    provideServiceContext(null);
    await handle.close();
  });

  it('replays the same answer, refuses a changed body, and runs concurrent duplicates once', async () => {
    const { token } = await signInThroughApi(routes);
    const post = (key: string | undefined, amount: number) =>
      call(create, '/api/v1/things', {
        method: 'POST',
        session: token,
        body: { amount },
        headers: key ? { 'idempotency-key': key } : {},
      });
    expect((await post(undefined, 1)).status).toBe(400);
    expect((await post('bad key!', 1)).status).toBe(400);

    const first = await post('key-aaaaaaaa', 5);
    expect(first.status).toBe(201);
    const firstBody: unknown = await first.json();
    const replay = await post('key-aaaaaaaa', 5);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(firstBody);
    expect((await post('key-aaaaaaaa', 6)).status).toBe(422);

    const before = runs;
    const answers = await Promise.all(Array.from({ length: 20 }, () => post('key-concurrent', 7)));
    expect(runs - before).toBe(1);
    for (const answer of answers) expect([201, 409]).toContain(answer.status);
    expect((await post('key-concurrent', 7)).status).toBe(201);
    expect(runs - before).toBe(1);

    // A claim left without an answer by a crashed process frees its key after a while.
    await handle.db.execute(
      sql`insert into idempotency_records (account_id, key, request_hash, created_at)
          select account_id, 'key-abandoned', request_hash, now() - interval '10 minutes'
          from idempotency_records where key = 'key-aaaaaaaa'`,
    );
    expect((await post('key-abandoned', 5)).status).toBe(201);
    expect(runs - before).toBe(2);
  });
});
