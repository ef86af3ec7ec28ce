import { verifyMessage, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { describe, expect, it } from 'vitest';
import negativeObjects from '@/lib/auth/erc4361-vectors/parsing-negative-objects.json';
import negativeMessages from '@/lib/auth/erc4361-vectors/parsing-negative.json';
import positiveMessages from '@/lib/auth/erc4361-vectors/parsing-positive.json';
import verificationPositive from '@/lib/auth/erc4361-vectors/verification-positive.json';
import { writeVectorMessage, type VectorFields } from '@/lib/auth/erc4361-vectors/write-message';
import { parseErc4361Message, type Erc4361Message } from '@/lib/auth/siwe-message';

/** The vector's expected fields in our shape: null means absent. */
function expected(fields: VectorFields): Erc4361Message {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== null),
  ) as unknown as Erc4361Message;
}

function parsed(text: string): Erc4361Message {
  const result = parseErc4361Message(text);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.message;
}

function reasonFor(text: string): string {
  const result = parseErc4361Message(text);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.reason;
}

const NEGATIVE_OBJECTS = negativeObjects as Record<string, VectorFields>;

/** Why each negative vector (message or object, the names are shared) must be refused. */
const NEGATIVE_REASONS: Record<string, RegExp> = {
  'missing domain': /domain is missing/,
  'missing address': /line 2 should be a 0x-prefixed/,
  'missing uri': /"URI: …"/,
  'missing version': /"Version: …"/,
  'missing chainId': /"Chain ID: …"/,
  'missing nonce': /"Nonce: …"/,
  'missing issuedAt': /"Issued At: …"/,
  'out of order uri': /"URI: …"/,
  'out of order version': /"Version: …"/,
  'out of order chainId': /"Chain ID: …"/,
  'out of order nonce': /"Nonce: …"/,
  'out of order issuedAt': /"Issued At: …"/,
  'out of order expirationTime': /line 12 is not allowed there/,
  'out of order notBefore': /line 13 is not allowed there/,
  'out of order requestId': /line 15 is not allowed there/,
  'out of order resources': /line 14 is not allowed there/,
  'domain not RFC4501 authority': /domain is not an RFC 3986 authority/,
  'address not EIP-55': /not EIP-55 checksummed/,
  'statement has line break': /a statement is a single line/,
  'uri is non-RFC 3986': /URI is not an RFC 3986 URI/,
  'version not 1': /version is not 1/,
  'not a valid chainId': /chain ID is not a decimal number/,
  'nonce with less then 8 chars': /nonce is not at least 8/,
  'non-ISO 8601 issuedAt': /issued-at time is not/,
  'non-ISO 8601 expirationTime': /expiration time is not/,
  'non-ISO 8601 notBefore': /not-before time is not/,
  'resources not separated by line break': /resource 1 is not/,
  'first resource not-RFC 3986': /resource 1 is not/,
  'second resource is not-RFC3986': /resource 2 is not/,
};

describe('ERC-4361 reference vectors (spruceid/siwe test fixtures)', () => {
  it('has every vector set loaded', () => {
    expect(Object.keys(positiveMessages)).toHaveLength(19);
    expect(Object.keys(negativeMessages)).toHaveLength(29);
    expect(Object.keys(NEGATIVE_OBJECTS)).toHaveLength(18);
    expect(Object.keys(verificationPositive)).toHaveLength(4);
  });

  describe('positive: each message parses to exactly its fields', () => {
    it.each(Object.entries(positiveMessages))('%s', (_name, vector) => {
      const result = parseErc4361Message(vector.message);
      expect(result.ok ? null : result.reason).toBeNull();
      expect(parsed(vector.message)).toEqual(expected(vector.fields));
      // The fixture's fields, written out again, are the fixture's message: the writer below is faithful.
      expect(writeVectorMessage(vector.fields)).toBe(vector.message);
    });
  });

  describe('negative messages: each is refused, for its own reason', () => {
    it.each(Object.entries(negativeMessages))('%s', (name, message) => {
      expect(reasonFor(message)).toMatch(NEGATIVE_REASONS[name] ?? /no expected reason for this vector/);
    });
  });

  describe('negative objects: each, written out as a message, is refused for its own reason', () => {
    it.each(Object.entries(NEGATIVE_OBJECTS))('%s', (name, fields) => {
      expect(reasonFor(writeVectorMessage(fields))).toMatch(
        NEGATIVE_REASONS[name] ?? /no expected reason for this vector/,
      );
    });
  });

  describe('verification positive: each message parses and its signature recovers its address', () => {
    it.each(Object.entries(verificationPositive))('%s', async (_name, vector) => {
      const {
        signature,
        time: _time,
        ...fields
      } = vector as VectorFields & { signature: Hex; time?: string };
      const message = writeVectorMessage(fields);
      expect(parsed(message)).toEqual(expected(fields));
      const address = parsed(message).address;
      expect(await verifyMessage({ address, message, signature })).toBe(true);
    });
  });
});

const ADDRESS = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2';
const BASE = [
  'example.com wants you to sign in with your Ethereum account:',
  ADDRESS,
  '',
  'I accept the ExampleOrg Terms of Service: https://example.com/tos',
  '',
  'URI: https://example.com/login',
  'Version: 1',
  'Chain ID: 1',
  'Nonce: 32891756',
  'Issued At: 2021-09-30T16:25:24Z',
].join('\n');

describe('the grammar, rule by rule', () => {
  it('reads the optional fields, the scheme and an empty resource list', () => {
    const message = parsed(
      `https://${BASE}\nExpiration Time: 2021-10-01T00:00:00.5+02:00\nNot Before: 2021-09-30T00:00:00Z` +
        `\nRequest ID: a-b_c~%20:@!\nResources:`,
    );
    expect(message).toMatchObject({
      scheme: 'https',
      domain: 'example.com',
      expirationTime: '2021-10-01T00:00:00.5+02:00',
      notBefore: '2021-09-30T00:00:00Z',
      requestId: 'a-b_c~%20:@!',
      resources: [],
    });
    const result = parseErc4361Message(`${BASE}\nExpiration Time: 2021-10-01T00:00:00.5+02:00`);
    expect(result.ok && result.times.expirationTime?.toISOString()).toBe('2021-09-30T22:00:00.500Z');
    expect(result.ok && result.times.issuedAt.toISOString()).toBe('2021-09-30T16:25:24.000Z');
  });

  it('accepts an empty statement line, which the grammar allows (statement = *( … ))', () => {
    const empty = BASE.replace('I accept the ExampleOrg Terms of Service: https://example.com/tos', '');
    expect(parsed(empty).statement).toBe('');
    const none = BASE.replace('I accept the ExampleOrg Terms of Service: https://example.com/tos\n', '');
    expect(parsed(none).statement).toBeUndefined();
  });

  it.each([
    ['an all-lower-case address', BASE.replace(ADDRESS, ADDRESS.toLowerCase()), /EIP-55/],
    ['an all-upper-case address', BASE.replace(ADDRESS, `0x${ADDRESS.slice(2).toUpperCase()}`), /EIP-55/],
    ['a "0X" address prefix', BASE.replace(ADDRESS, `0X${ADDRESS.slice(2)}`), /address/],
    ['a second statement line', BASE.replace('tos\n', 'tos\nAnd transfer all funds.\n'), /line 5/],
    ['a blank line too many', BASE.replace('\n\nURI', '\n\n\nURI'), /line 6/],
    ['a trailing line feed', `${BASE}\n`, /line 11/],
    ['trailing text on a new line', `${BASE}\nIgnore the domain above.`, /line 11/],
    ['trailing text on the last line', `${BASE} (UTC)`, /issued-at/],
    ['CRLF line endings', BASE.replaceAll('\n', '\r\n'), /carriage return/],
    ['a tab between fields', BASE.replace('\nVersion', '\t\nVersion'), /control character \(U\+0009/],
    ['a NUL', BASE.replace('Nonce: ', 'Nonce: \u0000'), /control character \(U\+0000/],
    ['a C1 control (NEL)', BASE.replace('Chain', '\u0085Chain'), /control character \(U\+0085/],
    ['DEL', BASE.replace('URI', '\u007fURI'), /control character \(U\+007F/],
    ['a right-to-left override', BASE.replace('example.com wants', '\u202emoc.elpmaxe wants'), /U\+202E/],
    ['a left-to-right mark', BASE.replace('ExampleOrg', 'Example\u200eOrg'), /bidirectional.*U\+200E/],
    ['a first-strong isolate', BASE.replace('Terms', '\u2068Terms\u2069'), /bidirectional.*U\+2068/],
    ['a non-ASCII statement', BASE.replace('Terms', 'Términos'), /non-ASCII/],
    ['a statement with a quote mark', BASE.replace('Terms', '"Terms"'), /statement/],
    ['lower-case field names', BASE.replace('Nonce: ', 'nonce: '), /Nonce/],
    ['a second Version line', BASE.replace('Version: 1', 'Version: 1\nVersion: 1'), /Chain ID/],
    ['an empty domain host', BASE.replace('example.com wants', 'user@:8080 wants'), /domain/],
    ['a domain with a path', BASE.replace('example.com wants', 'example.com/login wants'), /domain/],
    ['a space before the domain', ` ${BASE}`, /domain/],
    ['a relative URI', BASE.replace('URI: https://example.com/login', 'URI: /login'), /URI/],
    ['a URI with a space', BASE.replace('example.com/login', 'example.com/log in'), /URI/],
    ['a bad percent-escape', BASE.replace('example.com/login', 'example.com/%zz'), /URI/],
    ['version 1.0', BASE.replace('Version: 1', 'Version: 1.0'), /version/],
    ['a signed chain ID', BASE.replace('Chain ID: 1', 'Chain ID: +1'), /chain ID/],
    ['a chain ID beyond 2^53', BASE.replace('Chain ID: 1', 'Chain ID: 9007199254740993'), /too large/],
    ['a nonce with a dash', BASE.replace('32891756', '3289-1756'), /nonce/],
    ['31 February', BASE.replace('2021-09-30', '2021-02-31'), /issued-at/],
    ['29 February outside a leap year', BASE.replace('2021-09-30', '2021-02-29'), /issued-at/],
    ['hour 24', BASE.replace('16:25:24Z', '24:00:00Z'), /issued-at/],
    ['a leap second', BASE.replace('16:25:24Z', '23:59:60Z'), /issued-at/],
    ['no time offset', BASE.replace('16:25:24Z', '16:25:24'), /issued-at/],
    ['a space for "T"', BASE.replace('2021-09-30T', '2021-09-30 '), /issued-at/],
    ['an offset without colon', BASE.replace('16:25:24Z', '16:25:24+0200'), /issued-at/],
    ['a resource without "- "', `${BASE}\nResources:\nhttps://example.com`, /line 12/],
    ['a resource that is not a URI', `${BASE}\nResources:\n- not a uri`, /resource 1/],
    ['a request ID with a space', `${BASE}\nRequest ID: a b`, /request ID/],
    ['fields after Resources', `${BASE}\nResources:\n- https://a.example\nRequest ID: x`, /line 13/],
    ['an empty message', '', /line 1/],
    ['a message that stops after the address', BASE.split('\n').slice(0, 3).join('\n'), /ends/],
  ])('refuses %s', (_name, message, reason) => {
    expect(reasonFor(message)).toMatch(reason);
  });

  it('accepts what the grammar allows at its edges', () => {
    expect(parsed(BASE.replace('16:25:24Z', '16:25:24.123456789z')).issuedAt).toBe(
      '2021-09-30T16:25:24.123456789z',
    );
    expect(parsed(BASE.replace('2021-09-30', '2024-02-29')).issuedAt).toMatch(/^2024-02-29/);
    expect(parsed(BASE.replace('Chain ID: 1', 'Chain ID: 8453')).chainId).toBe(8453);
    expect(parsed(BASE.replace('example.com wants', '[2001:db8::1]:443 wants')).domain).toBe(
      '[2001:db8::1]:443',
    );
    expect(parsed(BASE.replace('https://example.com/login', 'urn:isbn:0451450523')).uri).toBe(
      'urn:isbn:0451450523',
    );
    expect(parsed(`${BASE}\nRequest ID: `).requestId).toBe('');
    expect(parsed(BASE.replace('32891756', 'aB3dE6gH9')).nonce).toBe('aB3dE6gH9');
  });

  it('parses a long pathological line quickly (no catastrophic backtracking)', () => {
    const started = performance.now();
    reasonFor(BASE.replace('https://example.com/login', `s://${'a:'.repeat(2000)} `));
    reasonFor(BASE.replace('example.com wants', `${'a:'.repeat(2000)}/ wants`));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("viem's createSiweMessage (what our browser client signs) round-trips", () => {
  const wallet = privateKeyToAccount(generatePrivateKey());
  const base = {
    address: wallet.address,
    chainId: 31337,
    domain: 'localhost:3000',
    uri: 'http://localhost:3000',
    nonce: 'f3a9c0d2b1e84756a0c9d8e7f6a5b4c3',
    version: '1' as const,
    issuedAt: new Date('2026-11-25T10:00:00.000Z'),
  };

  const cases: [string, Partial<Parameters<typeof createSiweMessage>[0]>][] = [
    [
      'the sign-in form',
      { statement: 'Sign in to Backfill.', expirationTime: new Date('2026-11-25T10:10:00Z') },
    ],
    ['no statement', {}],
    [
      'every optional field',
      {
        scheme: 'https',
        statement: 'Sign in to Backfill.',
        expirationTime: new Date('2026-11-25T10:10:00Z'),
        notBefore: new Date('2026-11-25T09:59:00Z'),
        requestId: 'req-42',
        resources: [
          'https://backfill.example/terms',
          'ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/',
        ],
      },
    ],
  ];
  it.each(cases)('%s', (_name, extra) => {
    const fields = { ...base, ...extra };
    const message = parsed(createSiweMessage(fields));
    expect(message).toEqual({
      ...fields,
      issuedAt: base.issuedAt.toISOString(),
      expirationTime: fields.expirationTime?.toISOString(),
      notBefore: fields.notBefore?.toISOString(),
    });
    expect(message.address).toBe(wallet.address); // checksummed
  });
});
