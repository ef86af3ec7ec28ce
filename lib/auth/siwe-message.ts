import { getAddress, type Address } from 'viem';

/**
 * A strict parser for ERC-4361 (Sign-In with Ethereum) messages: the ABNF of the standard, rule by rule, with
 * nothing tolerated around it. Wallets show their domain-binding warning only for messages that parse
 * strictly, so a server that also accepts near-misses (a lower-case address, an extra line, a control or
 * bidirectional character, trailing text, CRLF) lets a phishing page collect signatures the wallet never
 * flagged. The grammar has no rule that spans a line break, so the message is read line by line and each field
 * is matched in full against the regex of its rule.
 */

/** The fields of a message, as written in it (timestamps stay as the text the user saw). */
export interface Erc4361Message {
  scheme?: string;
  domain: string;
  address: Address;
  statement?: string;
  uri: string;
  version: '1';
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

/** The message's timestamps as instants. */
export interface Erc4361Times {
  issuedAt: Date;
  expirationTime?: Date;
  notBefore?: Date;
}

export type Erc4361ParseResult =
  { ok: true; message: Erc4361Message; times: Erc4361Times } | { ok: false; reason: string };

// RFC 3986 (URI), each constant named for its ABNF rule. Character-class bodies end in _CHARS.
const UNRESERVED_CHARS = String.raw`A-Za-z0-9\-._~`;
const SUB_DELIMS_CHARS = String.raw`!$&'()*+,;=`;
const GEN_DELIMS_CHARS = String.raw`:/?#\[\]@`;
const PCT_ENCODED = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED_CHARS}${SUB_DELIMS_CHARS}:@]|${PCT_ENCODED})`;
const SCHEME = String.raw`[A-Za-z][A-Za-z0-9+\-.]*`;
const USERINFO = `(?:[${UNRESERVED_CHARS}${SUB_DELIMS_CHARS}:]|${PCT_ENCODED})*`;
const DEC_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])';
const IPV4_ADDRESS = `${DEC_OCTET}(?:\\.${DEC_OCTET}){3}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4_ADDRESS})`;
const IPV6_ADDRESS = `(?:${[
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join('|')})`;
const IPV_FUTURE = `[vV][0-9A-Fa-f]+\\.[${UNRESERVED_CHARS}${SUB_DELIMS_CHARS}:]+`;
const IP_LITERAL = `\\[(?:${IPV6_ADDRESS}|${IPV_FUTURE})\\]`;
const REG_NAME_CHAR = `(?:[${UNRESERVED_CHARS}${SUB_DELIMS_CHARS}]|${PCT_ENCODED})`;
const REG_NAME = `${REG_NAME_CHAR}*`;
const HOST = `(?:${IP_LITERAL}|${IPV4_ADDRESS}|${REG_NAME})`;
const PORT = '[0-9]*';
const AUTHORITY = `(?:${USERINFO}@)?${HOST}(?::${PORT})?`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const PATH_ABEMPTY = `(?:/${SEGMENT})*`;
const PATH_ABSOLUTE = `/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?`;
const PATH_ROOTLESS = `${SEGMENT_NZ}(?:/${SEGMENT})*`;
const HIER_PART = `(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_ROOTLESS}|)`; // last: path-empty
const QUERY = `(?:${PCHAR}|[/?])*`;
const FRAGMENT = QUERY;
const URI = `${SCHEME}:${HIER_PART}(?:\\?${QUERY})?(?:#${FRAGMENT})?`;

const whole = (source: string) => new RegExp(`^${source}$`);

/** ERC-4361 rules. `domain = authority`; the standard makes it REQUIRED, so its host may not be empty. */
const RULES = {
  scheme: whole(SCHEME),
  domain: whole(`(?:${USERINFO}@)?(?:${IP_LITERAL}|${IPV4_ADDRESS}|${REG_NAME_CHAR}+)(?::${PORT})?`),
  address: /^0x[0-9A-Fa-f]{40}$/,
  statement: whole(`[${GEN_DELIMS_CHARS}${SUB_DELIMS_CHARS}${UNRESERVED_CHARS} ]*`),
  uri: whole(URI),
  chainId: /^[0-9]+$/,
  nonce: /^[A-Za-z0-9]{8,}$/,
  requestId: whole(`${PCHAR}*`),
  // RFC 3339 date-time; "T" and "Z" are ABNF literals, so case-insensitive. Ranges are checked in code.
  dateTime:
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/,
} as const;

const PREAMBLE = ' wants you to sign in with your Ethereum account:';

/** Zero-width bidirectional formatting characters (marks, embeddings, overrides, isolates). */
const BIDI_FORMATTING = new Set([
  0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/**
 * Parses an ERC-4361 message exactly as the standard's ABNF defines it, or says precisely why it is not one.
 * Beyond the grammar: the address must carry its EIP-55 checksum (an all-lower-case address is refused), the
 * domain's host must not be empty, the chain ID must fit a safe integer, and timestamps must be real instants
 * (no 31 February; no leap second, which a `Date` cannot hold).
 */
export function parseErc4361Message(text: string): Erc4361ParseResult {
  const forbidden = findForbiddenCharacter(text);
  if (forbidden) return refused(`it contains ${forbidden}`);

  const lines = text.split('\n');
  let at = 0;
  /** The next line, if it starts with `label`: the rest of it; otherwise a reason. */
  const take = (label: string): { value: string } | { reason: string } => {
    const line = lines[at];
    if (line === undefined) return { reason: `it ends where line ${at + 1} should be "${label}…"` };
    if (!line.startsWith(label)) return { reason: `line ${at + 1} should be "${label}…"` };
    at += 1;
    return { value: line.slice(label.length) };
  };
  const optional = (label: string): string | undefined => {
    const line = lines[at];
    if (line === undefined || !line.startsWith(label)) return undefined;
    at += 1;
    return line.slice(label.length);
  };

  // [ scheme "://" ] domain " wants you to sign in with your Ethereum account:" LF
  const first = lines[at++] ?? '';
  if (!first.endsWith(PREAMBLE)) return refused(`line 1 should end with "${PREAMBLE.trimStart()}"`);
  const origin = first.slice(0, -PREAMBLE.length);
  const separator = origin.indexOf('://'); // an authority has no "/", so "://" can only end a scheme
  const scheme = separator === -1 ? undefined : origin.slice(0, separator);
  const domain = separator === -1 ? origin : origin.slice(separator + 3);
  if (scheme !== undefined && !RULES.scheme.test(scheme))
    return refused('the scheme is not an RFC 3986 scheme');
  if (domain === '') return refused('the domain is missing');
  if (!RULES.domain.test(domain)) return refused('the domain is not an RFC 3986 authority');

  // address LF LF
  const address = lines[at++] ?? '';
  if (!RULES.address.test(address)) return refused('line 2 should be a 0x-prefixed 40-digit hex address');
  if (getAddress(address) !== address) return refused('the address is not EIP-55 checksummed');
  if (lines[at++] !== '') return refused('line 3 should be empty');

  // [ statement LF ] LF — with no statement, the "URI: " line comes right after one empty line.
  let statement: string | undefined;
  if (!(lines[at] === '' && lines[at + 1] !== '')) {
    statement = lines[at++];
    if (statement === undefined) return refused('it ends after the address');
    if (!RULES.statement.test(statement))
      return refused(
        'the statement has a character outside RFC 3986 reserved/unreserved characters and space',
      );
    if (lines[at] !== '') return refused(`line ${at + 1} should be empty (a statement is a single line)`);
  }
  at += 1;

  const uri = take('URI: ');
  if ('reason' in uri) return refused(uri.reason);
  if (!RULES.uri.test(uri.value)) return refused('the URI is not an RFC 3986 URI');

  const version = take('Version: ');
  if ('reason' in version) return refused(version.reason);
  if (version.value !== '1') return refused('the version is not 1');

  const chain = take('Chain ID: ');
  if ('reason' in chain) return refused(chain.reason);
  if (!RULES.chainId.test(chain.value)) return refused('the chain ID is not a decimal number');
  const chainId = Number(chain.value);
  if (!Number.isSafeInteger(chainId)) return refused('the chain ID is too large');

  const nonce = take('Nonce: ');
  if ('reason' in nonce) return refused(nonce.reason);
  if (!RULES.nonce.test(nonce.value)) return refused('the nonce is not at least 8 letters and digits');

  const issued = take('Issued At: ');
  if ('reason' in issued) return refused(issued.reason);
  const issuedAt = dateTimeToDate(issued.value);
  if (!issuedAt) return refused('the issued-at time is not an RFC 3339 date-time');

  const expirationTime = optional('Expiration Time: ');
  const expiresAt = expirationTime === undefined ? undefined : dateTimeToDate(expirationTime);
  if (expiresAt === null) return refused('the expiration time is not an RFC 3339 date-time');

  const notBefore = optional('Not Before: ');
  const validFrom = notBefore === undefined ? undefined : dateTimeToDate(notBefore);
  if (validFrom === null) return refused('the not-before time is not an RFC 3339 date-time');

  const requestId = optional('Request ID: ');
  if (requestId !== undefined && !RULES.requestId.test(requestId))
    return refused('the request ID has characters outside RFC 3986 pchar');

  let resources: string[] | undefined;
  if (lines[at] === 'Resources:') {
    at += 1;
    resources = [];
    for (; at < lines.length && lines[at]?.startsWith('- '); at += 1) {
      const resource = (lines[at] ?? '').slice(2);
      if (!RULES.uri.test(resource))
        return refused(`resource ${resources.length + 1} is not an RFC 3986 URI`);
      resources.push(resource);
    }
  }

  if (at < lines.length)
    return refused(`line ${at + 1} is not allowed there (out of order, unknown, or after the last field)`);

  const message: Erc4361Message = {
    scheme,
    domain,
    address,
    statement,
    uri: uri.value,
    version: '1',
    chainId,
    nonce: nonce.value,
    issuedAt: issued.value,
    expirationTime,
    notBefore,
    requestId,
    resources,
  };
  return { ok: true, message, times: { issuedAt, expirationTime: expiresAt, notBefore: validFrom } };
}

const refused = (reason: string): Erc4361ParseResult => ({ ok: false, reason });

/**
 * The grammar admits printable ASCII and LF only; name the first other character precisely, since these are
 * the ones that make a message look different to a person than to a parser.
 */
function findForbiddenCharacter(text: string): string | null {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || (code >= 0x20 && code <= 0x7e)) continue;
    const where = `U+${code.toString(16).toUpperCase().padStart(4, '0')} at offset ${i}`;
    if (code === 0x0d) return `a carriage return (${where}); lines end in LF alone`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${where})`;
    if (BIDI_FORMATTING.has(code)) return `a bidirectional formatting character (${where})`;
    return `a non-ASCII character (${where})`;
  }
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** An RFC 3339 date-time as an instant, or null if it is not one (out-of-range fields included). */
function dateTimeToDate(value: string): Date | null {
  const match = RULES.dateTime.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, sign, offsetHour, offsetMinute] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (sign) {
    const [oh, om] = [Number(offsetHour), Number(offsetMinute)];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which maps years 0–99 to 1900–1999
  date.setUTCHours(hour, minute, second, fraction ? Math.floor(Number(fraction) * 1000) : 0);
  return new Date(date.getTime() - offsetMinutes * 60_000);
}
