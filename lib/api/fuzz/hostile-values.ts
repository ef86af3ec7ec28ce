import fc from 'fast-check';
import { JsonEntries, RawJson } from '@/lib/api/fuzz/json-text';

/**
 * The hostile values every fuzzed field, parameter and body draws from. Curated lists hold the classes that
 * break servers (NUL, lone surrogates, numbers past 2^63, impossible dates…); small random generators add
 * variety around them. Everything here is plain data, so a failing case prints and replays as is.
 */

const MIB = 1024 * 1024;

export const NUL_STRINGS = ['\u0000', 'a\u0000b', 'fuzz\u0000', '\u0000'.repeat(64)];
export const CONTROL_STRINGS = [
  '\u0001\u0002\u0003',
  '\t\n\r',
  '\u001b[31mred\u001b[0m',
  '\u007f',
  '\b\f\v',
  'a\r\nSet-Cookie: x=1',
];
export const SURROGATE_STRINGS = ['\uD800', '\uDFFF', 'a\uD83D', '\uDE00b', '\uDBFF\uDBFF'];
export const BIDI_STRINGS = [
  '\u202Eevil',
  'a\u2066b\u2069',
  '\u200F\u200E',
  '\u061C',
  '\u200B',
  '\uFEFF',
  '\u2028\u2029',
];
const UNICODE_STRINGS = [
  'İ',
  'ß',
  'ﬁ',
  'e\u0301',
  '😀',
  '１２３',
  '١٢٣',
  'Ⅻ',
  '\uFFFD',
  '\uFFFF',
  '𝟙𝟚',
  '\u3000',
];
const INJECTION_STRINGS = [
  "' or 1=1 --",
  '"; drop table jobs; --',
  '%',
  '_',
  '\\',
  '${7*7}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  '',
  ' ',
];
/** Numbers written as strings: exponents, NaN-ish words, other radixes, and integers beyond 2^63 and 2^64. */
export const NUMERIC_STRINGS = [
  '0',
  '-0',
  '-1',
  '1.5',
  '1e3',
  '1E400',
  '-1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b1',
  '1_000',
  ' 1',
  '1 ',
  '+1',
  '.5',
  '00000000000000000001',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '999999999999999',
  '1000000000000000',
  '99999999999999999999999999999999',
  `1${'0'.repeat(400)}`,
];
/** Impossible, extreme and almost-right dates, as dates and as timestamps. */
export const DATE_STRINGS = [
  '9999-12-31',
  '0001-01-01',
  '0000-00-00',
  '2026-02-30',
  '2025-02-29',
  '2024-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '+275760-09-13',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+002026-11-25',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-11-25T10:00:00+25:00',
  '2026-11-25T24:00:00Z',
  '2026-11-25T10:00:00',
  '2026-11-25T10:00:60Z',
  '2026-02-30T00:00:00Z',
  'now',
  '1764064800',
  '2026-W48',
  '2026-11-25\u0000',
  '１９９９-01-01',
];
const UUID_LIKE_STRINGS = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-4000-8000-00000000000',
  '00000000-0000-4000-8000-0000000000000',
  '00000000000040008000000000000000',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000-0000-4000-8000-000000000000\u0000',
  ' 00000000-0000-4000-8000-000000000000',
  'g0000000-0000-4000-8000-000000000000',
];

const lazy = <T>(make: () => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};
/** Long strings: past the usual limits, past 64 KiB once UTF-8 encoded, and past 1 MiB. */
const LONG_STRINGS = lazy(() => [
  'x'.repeat(5_000),
  'é'.repeat(40_000),
  '\u0000'.repeat(1_000),
  'a'.repeat(MIB + 1024),
]);

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const SOME_UUID = '00000000-0000-4000-8000-000000000000';
/** Cursors: garbage, wrong base64, the right shape with values that cannot be, and huge. */
export const CURSOR_STRINGS = lazy(() => [
  '!!!',
  '====',
  '*',
  'null',
  '%00',
  'a'.repeat(5_000),
  b64('[]'),
  b64('{}'),
  b64('null'),
  b64('"x"'),
  b64('[1,2]'),
  b64('{"__proto__":{"admin":true}}'),
  b64(`["+275760-09-13T00:00:00Z","${SOME_UUID}"]`),
  b64(`["0000-01-01T00:00:00Z","${SOME_UUID}"]`),
  b64(`["9999-12-31T23:59:59.999Z","${SOME_UUID}"]`),
  b64('["2026-01-01T00:00:00Z","not-a-uuid"]'),
  b64(`["2026-01-01T00:00:00Z","${SOME_UUID}\u0000"]`),
  b64(`[1e400,"${SOME_UUID}"]`),
  b64(`["2026-01-01T00:00:00Z",${'['.repeat(3_000)}${']'.repeat(3_000)}]`),
  b64(`["price","asc","9999999999999999999","${SOME_UUID}"]`),
  b64(`["price","desc","-9999999999999999999","${SOME_UUID}"]`),
  b64(`["reliability","desc","99999999999","${SOME_UUID}"]`),
  b64(`["vram","asc","2147483648","${SOME_UUID}"]`),
  b64(`["free_gpus","desc","-2147483649","${SOME_UUID}"]`),
  b64(`["price_per_work","asc","9223372036854775808","${SOME_UUID}"]`),
  b64(`["price","asc","1","${SOME_UUID}","extra"]`),
  Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64url'),
  Buffer.from(`["2026-01-01T00:00:00Z","${SOME_UUID}"]`).toString('base64'),
]);

/** Single UTF-16 units, so lone surrogates and controls turn up inside otherwise ordinary strings. */
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u0000', '\u001f', '\uD800', '\uDC00', '\u202E', '\uFEFF', 'a', '0', '-', ':'),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NUL_STRINGS), weight: 3 },
  { arbitrary: fc.constantFrom(...CONTROL_STRINGS), weight: 1 },
  { arbitrary: fc.constantFrom(...SURROGATE_STRINGS), weight: 2 },
  { arbitrary: fc.constantFrom(...BIDI_STRINGS), weight: 1 },
  { arbitrary: fc.constantFrom(...UNICODE_STRINGS, ...INJECTION_STRINGS), weight: 2 },
  { arbitrary: fc.constantFrom(...NUMERIC_STRINGS), weight: 2 },
  { arbitrary: fc.constantFrom(...DATE_STRINGS), weight: 2 },
  { arbitrary: fc.constantFrom(...UUID_LIKE_STRINGS), weight: 1 },
  { arbitrary: fc.constantFrom(0, 1, 2, 3).map((i) => LONG_STRINGS()[i] as string), weight: 1 },
  { arbitrary: fc.string({ unit: anyUnit, maxLength: 24 }), weight: 3 },
);

/** Numbers: bounds of int4/int8/safe integers, fractions, negatives, and raw JSON tokens JS cannot hold. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    0.5,
    -0.5,
    1.5,
    1e-7,
    5e-324,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32,
    2 ** 53 - 1,
    2 ** 53 + 2,
    2 ** 63,
    1e15,
    1e15 + 1,
    1e21,
    1e300,
    -1e300,
    Number.MAX_VALUE,
  ),
  fc
    .constantFrom(
      '1e400',
      '-1e400',
      '-0',
      '1.0',
      '1E2',
      '0.1e1',
      '9223372036854775808',
      '18446744073709551616',
      '-9223372036854775809',
      `1${'0'.repeat(400)}`,
      `0.${'0'.repeat(400)}1`,
    )
    .map((text) => new RawJson(text)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Text that is not JSON, or is JSON a server should not try to walk: deep, huge, or with a BOM. */
export const HOSTILE_BODY_TEXTS = lazy(() => [
  '',
  ' ',
  '{',
  '{"a":',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '[1,]',
  'NaN',
  'undefined',
  '\u0000',
  '\uFEFF{}',
  '{"a":"\\ud800"}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `{"x":"${'a'.repeat(MIB + 1024)}"}`,
  `[${'0,'.repeat(300_000)}0]`,
]);

/** A value of any JSON type (and the structures that trip up naive code), for type confusion. */
export const hostileStructure: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  true,
  false,
  [],
  [null],
  {},
  { $ne: null },
  { $gt: '' },
  [[]],
  new JsonEntries([['__proto__', { isAdmin: true }]]),
  new JsonEntries([['constructor', { prototype: { isAdmin: true } }]]),
  new RawJson(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
  new RawJson(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: hostileNumber, weight: 3 },
  { arbitrary: hostileStructure, weight: 2 },
);

/** Keys no schema documents, including the ones that reach prototypes. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'isAdmin',
    'accountId',
    'id',
    'toString',
    '',
    '\u0000',
    'a.b',
    '$where',
  ),
  fc.string({ unit: anyUnit, minLength: 1, maxLength: 12 }),
);

/** Values for an `Idempotency-Key` header that a Headers object can carry (no NUL, no non-Latin-1). */
export const hostileHeaderValue: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '',
      'short',
      'a'.repeat(129),
      'a'.repeat(8_000),
      'key with spaces',
      'key;drop=1',
      'clé-clé-clé-clé',
      '\tkey-aaaaaaaa',
      'key-aaaaaaaa,key-bbbbbbbb',
      '../../../../',
    ),
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    }),
  )
  .filter((value) => {
    try {
      new Headers([['x', value]]);
      return true;
    } catch {
      return false;
    }
  });
