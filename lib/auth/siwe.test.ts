import { count, eq, inArray } from 'drizzle-orm';
import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/api/errors';
import verificationNegative from '@/lib/auth/erc4361-vectors/verification-negative.json';
import verificationPositive from '@/lib/auth/erc4361-vectors/verification-positive.json';
import { writeVectorMessage, type VectorFields } from '@/lib/auth/erc4361-vectors/write-message';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, resolveSession, revokeSession } from '@/lib/auth/sessions';
import { NONCE_TTL_MS, SIGN_IN_STATEMENT, issueNonce, signIn, type SignInPolicy } from '@/lib/auth/siwe';
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
      /not an ERC-4361 sign-in message/,
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
  describe('sign-in accepts only strict ERC-4361 messages (probe class 2)', () => {
    const wallet = privateKeyToAccount(generatePrivateKey());

    /** A message our client would build, altered, then signed by the wallet: only the alteration is wrong. */
    async function tampered(tamper: (message: string) => string) {
      const { message: original } = await signed(wallet);
      const message = tamper(original);
      expect(message).not.toBe(original);
      return { message, signature: await wallet.signMessage({ message }) };
    }

    it.each<[string, (message: string) => string, RegExp]>([
      ['a lower-case address', (m) => m.replace(wallet.address, wallet.address.toLowerCase()), /EIP-55/],
      [
        'an extra free-text line after the statement',
        (m) => m.replace(`${SIGN_IN_STATEMENT}\n`, `${SIGN_IN_STATEMENT}\nYou are on the real site.\n`),
        /line 5 should be empty/,
      ],
      ['an extra free-text line at the end', (m) => `${m}\nAlso approve all transfers.`, /not allowed there/],
      [
        'a control character between fields',
        (m) => m.replace('\nVersion', '\u0000\nVersion'),
        /control character/,
      ],
      ['a C1 control character (NEL)', (m) => m.replace('\nNonce', '\u0085\nNonce'), /control character/],
      ['a tab between fields', (m) => m.replace('\nChain ID', '\t\nChain ID'), /control character/],
      [
        'a right-to-left override before the domain',
        (m) => m.replace(`${POLICY.domain} wants`, `\u202e${POLICY.domain} wants`),
        /bidirectional formatting character \(U\+202E/,
      ],
      [
        'a bidirectional isolate in the statement',
        (m) => m.replace('Backfill', '\u2067Backfill\u2069'),
        /bidirectional formatting character \(U\+2067/,
      ],
      ['trailing text after the last field', (m) => `${m} (UTC)`, /expiration time is not an RFC 3339/],
      ['a trailing line feed', (m) => `${m}\n`, /not allowed there/],
      ['CRLF line endings', (m) => m.replaceAll('\n', '\r\n'), /carriage return/],
      [
        "an explicit scheme that is not our origin's",
        (m) => m.replace(`${POLICY.domain} wants`, `https://${POLICY.domain} wants`),
        /scheme https/,
      ],
    ])('refuses %s', async (_name, tamper, reason) => {
      const message = await refusal(signIn(deps(), POLICY, await tampered(tamper)));
      expect(message).toMatch(/^Sign-in refused: /);
      expect(message).toMatch(reason);
    });

    it('still signs in the message our client builds, with or without an explicit matching scheme', async () => {
      await expect(signIn(deps(), POLICY, await signed(wallet))).resolves.toMatchObject({ created: true });
      await expect(signIn(deps(), POLICY, await signed(wallet, { scheme: 'http' }))).resolves.toMatchObject({
        created: false,
      });
    });
  });

  describe('ERC-4361 verification vectors (spruceid/siwe test fixtures), checked by signIn', () => {
    const VECTOR_POLICY: SignInPolicy = { domain: 'login.xyz', origin: 'https://login.xyz', chainIds: [1] };
    /** Why signIn must refuse each negative verification vector. */
    const REFUSED_FOR: Record<string, RegExp> = {
      'expired message': /has expired/,
      'domain binding': /names domain login\.xyz, not example\.com/,
      'custom time': /has expired/,
      'custom nonce': /nonce is unknown/,
      'malformed signature': /signature is not from the address/,
      'wrong signature': /signature is not from the address/,
      'not yet valid': /not valid yet/,
      'invalid issuedAt': /issued-at time is not an RFC 3339 date-time/,
      'invalid notBefore': /not-before time is not an RFC 3339 date-time/,
      'invalid expirationTime': /expiration time is not an RFC 3339 date-time/,
    };

    /**
     * Signs in with a vector's message at its time (or today), for its domain binding (or its own domain),
     * with the nonce the server issued being the vector's `matchNonce` (or the message's own).
     */
    async function attempt(vector: VectorFields) {
      const { signature, time, domainBinding, matchNonce, ...fields } = vector;
      const at = new ManualClock(typeof time === 'string' ? time : '2026-11-25T10:00:00Z');
      const issued = String(matchNonce ?? fields.nonce);
      await handle.db.delete(siweNonces).where(inArray(siweNonces.nonce, [String(fields.nonce), issued]));
      await handle.db.insert(siweNonces).values({
        nonce: issued,
        createdAt: at.now(),
        expiresAt: new Date(at.now().getTime() + NONCE_TTL_MS),
      });
      const policy = {
        ...VECTOR_POLICY,
        domain: typeof domainBinding === 'string' ? domainBinding : 'login.xyz',
      };
      const message = writeVectorMessage(fields);
      return signIn({ db: handle.db, clock: at, client: null }, policy, {
        message,
        signature: signature as Hex,
      });
    }

    it.each(Object.entries(verificationNegative))('refuses "%s"', async (name, vector) => {
      expect(await refusal(attempt(vector))).toMatch(
        REFUSED_FOR[name] ?? /no expected reason for this vector/,
      );
    });

    it('signs in with the positive "example message" (the one that also carries the expiry we require)', async () => {
      const result = await attempt(verificationPositive['example message']);
      expect(result.address).toBe(verificationPositive['example message'].address.toLowerCase());
    });
  });
});
