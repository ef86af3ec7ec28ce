import { count, eq } from 'drizzle-orm';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/api/errors';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, resolveSession, revokeSession } from '@/lib/auth/sessions';
import { NONCE_TTL_MS, issueNonce, signIn, type SignInPolicy } from '@/lib/auth/siwe';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { accounts, sessions, siweNonces } from '@/lib/db/schema';
import { TEST_ENGINES, createTestDb } from '@/lib/testing/test-db';

const POLICY: SignInPolicy = { domain: 'localhost:3000', origin: 'http://localhost:3000', chainIds: [31337] };

describe.each(TEST_ENGINES)('sign-in with Ethereum on %s', (engine) => {
  let handle: DatabaseHandle;
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  const deps = () => ({ db: handle.db, clock, client: null });

  beforeAll(async () => {
    handle = await createTestDb(engine);
  });
  afterAll(() => handle.close());

  /** A signed message as a wallet would produce it; `overrides` tamper with the fields before signing. */
  async function signed(
    wallet: PrivateKeyAccount,
    overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {},
    signer: PrivateKeyAccount = wallet,
  ) {
    const { nonce, issuedAt, expiresAt } = await issueNonce(handle.db, clock);
    const message = createSiweMessage({
      address: wallet.address,
      chainId: 31337,
      domain: POLICY.domain,
      uri: POLICY.origin,
      nonce,
      version: '1',
      statement: 'Sign in to Backfill.',
      issuedAt,
      expirationTime: expiresAt,
      ...overrides,
    });
    return { message, signature: await signer.signMessage({ message }), nonce };
  }

  async function refusal(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(401);
    return (error as AppError).message;
  }

  it('issues unpredictable, expiring nonces of at least 96 bits', async () => {
    const a = await issueNonce(handle.db, clock);
    const b = await issueNonce(handle.db, clock);
    expect(a.nonce).toMatch(/^[0-9a-f]{32}$/); // 128 bits
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.expiresAt.getTime() - a.issuedAt.getTime()).toBe(NONCE_TTL_MS);
  });

  it('creates the account on first sign-in and a session that resolves to it', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const first = await signIn(deps(), POLICY, await signed(wallet));
    expect(first.created).toBe(true);
    expect(first.address).toBe(wallet.address.toLowerCase());
    expect(first.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    const principal = await resolveSession(handle.db, clock, first.token);
    expect(principal).toMatchObject({ accountId: first.accountId, via: 'session' });

    const second = await signIn(deps(), POLICY, await signed(wallet));
    expect(second.created).toBe(false);
    expect(second.accountId).toBe(first.accountId);
    // Only the hash of the token is stored.
    const stored = await handle.db.select({ hash: sessions.tokenHash }).from(sessions);
    expect(stored.map((s) => s.hash)).not.toContain(first.token);
  });

  it('refuses a wrong domain, URI, chain, an expired message, a reused nonce and a wrong signer', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    expect(await refusal(signIn(deps(), POLICY, await signed(wallet, { domain: 'evil.example' })))).toMatch(
      /domain evil\.example/,
    );
    expect(
      await refusal(signIn(deps(), POLICY, await signed(wallet, { uri: 'https://evil.example/login' }))),
    ).toMatch(/URI/);
    expect(await refusal(signIn(deps(), POLICY, await signed(wallet, { chainId: 1 })))).toMatch(/chain 1/);
    expect(
      await refusal(
        signIn(deps(), POLICY, await signed(wallet, { expirationTime: new Date(clock.now().getTime() - 1) })),
      ),
    ).toMatch(/expired/);
    expect(
      await refusal(
        signIn(
          deps(),
          POLICY,
          await signed(wallet, { issuedAt: new Date(clock.now().getTime() + 3_600_000) }),
        ),
      ),
    ).toMatch(/future/);
    expect(await refusal(signIn(deps(), POLICY, await signed(wallet, {}, other)))).toMatch(/signature/);
    expect(
      await refusal(signIn(deps(), POLICY, await signed(wallet, { nonce: 'madeupnonce12345' }))),
    ).toMatch(/nonce/);

    const once = await signed(wallet);
    await signIn(deps(), POLICY, once);
    expect(await refusal(signIn(deps(), POLICY, once))).toMatch(/nonce/);
    expect(await refusal(signIn(deps(), POLICY, { ...once, message: 'not a siwe message' }))).toMatch(
      /missing required fields/,
    );
  });

  it('refuses a nonce that expired before it was used', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const late = await signed(wallet, { expirationTime: new Date(clock.now().getTime() + 3 * NONCE_TTL_MS) });
    clock.advance(NONCE_TTL_MS + 1);
    expect(await refusal(signIn(deps(), POLICY, late))).toMatch(/nonce/);
  });

  it('opens exactly one session when the same signed message is posted 50 times at once', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const attempt = await signed(wallet);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => signIn(deps(), POLICY, attempt)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).status).toBe(401);
    const [row] = await handle.db
      .select({ n: count() })
      .from(sessions)
      .where(eq(sessions.nonce, attempt.nonce));
    expect(row?.n).toBe(1);
    const [used] = await handle.db.select().from(siweNonces).where(eq(siweNonces.nonce, attempt.nonce));
    expect(used?.usedAt).not.toBeNull();
    const owners = await handle.db
      .select({ n: count() })
      .from(accounts)
      .where(eq(accounts.walletAddress, wallet.address.toLowerCase()));
    expect(owners[0]?.n).toBe(1);
  });

  it('ends sessions on logout, after the idle timeout and after the absolute timeout', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const loggedOut = await signIn(deps(), POLICY, await signed(wallet));
    await revokeSession(handle.db, clock, loggedOut.token);
    expect(await resolveSession(handle.db, clock, loggedOut.token)).toBeNull();

    const idle = await signIn(deps(), POLICY, await signed(wallet));
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect(await resolveSession(handle.db, clock, idle.token)).not.toBeNull(); // activity renews idleness
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect(await resolveSession(handle.db, clock, idle.token)).not.toBeNull();
    clock.advance(SESSION_IDLE_MS);
    expect(await resolveSession(handle.db, clock, idle.token)).toBeNull();

    const busy = await signIn(deps(), POLICY, await signed(wallet));
    const end = clock.now().getTime() + SESSION_ABSOLUTE_MS;
    while (clock.now().getTime() + SESSION_IDLE_MS / 2 < end) {
      clock.advance(SESSION_IDLE_MS / 2);
      expect(await resolveSession(handle.db, clock, busy.token)).not.toBeNull();
    }
    clock.set(end);
    expect(await resolveSession(handle.db, clock, busy.token)).toBeNull();
    expect(await resolveSession(handle.db, clock, 'not-a-token')).toBeNull();
  });
});
