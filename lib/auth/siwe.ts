import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { getAddress, verifyMessage, type Hex, type PublicClient } from 'viem';
import { validateSiweMessage } from 'viem/siwe';
import { AppError } from '@/lib/api/errors';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { accounts, siweNonces } from '@/lib/db/schema';
import { createSession } from '@/lib/auth/sessions';
import { parseErc4361Message } from '@/lib/auth/siwe-message';
import { randomToken } from '@/lib/auth/tokens';

/** A nonce (and the message signed with it) must be used within this window. */
export const NONCE_TTL_MS = 10 * 60_000;
/** Tolerated clock difference between the wallet's device and the server. */
const CLOCK_SKEW_MS = 60_000;
export const SIGN_IN_STATEMENT = 'Sign in to Backfill.';

/** 16 random bytes → 128 bits (the floor is 96), alphanumeric as EIP-4361 requires. */
export async function issueNonce(
  db: Db,
  clock: Clock,
): Promise<{ nonce: string; issuedAt: Date; expiresAt: Date }> {
  const issuedAt = clock.now();
  const expiresAt = new Date(issuedAt.getTime() + NONCE_TTL_MS);
  const nonce = Buffer.from(randomToken(16), 'base64url').toString('hex');
  await db.insert(siweNonces).values({ nonce, createdAt: issuedAt, expiresAt });
  return { nonce, issuedAt, expiresAt };
}

/** Forgets nonces that expired a day ago and were never used (used ones stay: sessions reference them). */
export async function pruneNonces(db: Db, clock: Clock): Promise<void> {
  const cutoff = new Date(clock.now().getTime() - 24 * 3600_000);
  await db.delete(siweNonces).where(and(lt(siweNonces.expiresAt, cutoff), isNull(siweNonces.usedAt)));
}

export interface SignInPolicy {
  /** The domain (host[:port]) and URI origin the message must name, from configuration. */
  domain: string;
  origin: string;
  chainIds: readonly number[];
}

const refuse = (why: string) => new AppError('unauthorized', `Sign-in refused: ${why}.`);

/**
 * Verifies a signed EIP-4361 message and opens a session. The message must parse strictly (see
 * `parseErc4361Message`: wallets warn about phishing only for such messages). Every check is explicit: domain,
 * scheme and URI from configuration, allowed chain, issued/not-before/expiry times, the signature of the named
 * address, and a nonce we issued that is consumed atomically — so the same message posted many times at once
 * opens one session. An account is created on first sign-in.
 */
export async function signIn(
  deps: { db: Db; clock: Clock; client: PublicClient | null },
  policy: SignInPolicy,
  input: { message: string; signature: Hex },
): Promise<{ accountId: string; address: string; created: boolean; token: string; expiresAt: Date }> {
  const { db, clock } = deps;
  const now = clock.now();
  const parsed = parseErc4361Message(input.message);
  if (!parsed.ok) throw refuse(`the message is not an ERC-4361 sign-in message: ${parsed.reason}`);
  const { message: fields, times } = parsed;
  const { address, nonce, chainId, domain, scheme, uri } = fields;
  const { issuedAt, expirationTime, notBefore } = times;
  if (domain !== policy.domain) throw refuse(`the message names domain ${domain}, not ${policy.domain}`);
  // An explicit scheme is part of the origin the wallet checks the request against (ERC-4361).
  if (scheme !== undefined && `${scheme}:` !== safeUrl(policy.origin)?.protocol)
    throw refuse(`the message names scheme ${scheme}, not that of ${policy.origin}`);
  if (safeUrl(uri)?.origin !== policy.origin) throw refuse('the message names another URI');
  if (!policy.chainIds.includes(chainId)) throw refuse(`chain ${chainId} is not accepted here`);
  if (issuedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw refuse('the message is issued in the future');
  if (notBefore && notBefore.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw refuse('the message is not valid yet');
  if (!expirationTime) throw refuse('the message has no expiration time');
  if (expirationTime.getTime() <= now.getTime()) throw refuse('the message has expired');
  // viem's own validation too, always given the domain and nonce (without them it skips those checks).
  const viemFields = { ...fields, issuedAt, expirationTime, notBefore };
  if (!validateSiweMessage({ message: viemFields, address, domain: policy.domain, nonce, time: now }))
    throw refuse('the message is not valid');

  if (!(await signatureMatches(deps.client, address, input.message, input.signature)))
    throw refuse('the signature is not from the address in the message');

  // Single use: exactly one concurrent request can consume the nonce; the rest are refused.
  const consumed = await db
    .update(siweNonces)
    .set({ usedAt: now })
    .where(and(eq(siweNonces.nonce, nonce), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, now)))
    .returning({ nonce: siweNonces.nonce });
  if (consumed.length === 0) throw refuse('the nonce is unknown, expired or already used');

  const wallet = getAddress(address).toLowerCase();
  const inserted = await db
    .insert(accounts)
    .values({ walletAddress: wallet, createdAt: now })
    .onConflictDoNothing({ target: accounts.walletAddress })
    .returning({ id: accounts.id });
  const accountId =
    inserted[0]?.id ??
    (
      await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.walletAddress, wallet)).limit(1)
    )[0]?.id;
  if (!accountId) throw new Error('account upsert returned nothing');
  const session = await createSession(db, clock, { accountId, nonce, chainId });
  return { accountId, address: wallet, created: inserted.length > 0, ...session };
}

function safeUrl(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

/**
 * Plain wallets are checked offline (ecrecover). Smart-contract wallets (ERC-1271/6492) need the chain;
 * they are checked through the RPC only when the offline check fails.
 */
async function signatureMatches(
  client: PublicClient | null,
  address: `0x${string}`,
  message: string,
  signature: Hex,
): Promise<boolean> {
  try {
    if (await verifyMessage({ address, message, signature })) return true;
  } catch {
    // Not a recoverable ECDSA signature; may still be a contract wallet's.
  }
  if (!client) return false;
  const code = await client.getCode({ address }).catch(() => undefined);
  if (!code || code === '0x') return false;
  return client.verifyMessage({ address, message, signature }).catch(() => false);
}
