/** Vector fields as the fixtures write them: absent, null or of the wrong type where a vector says so. */
export type VectorFields = Record<string, unknown>;

/**
 * Writes a vector's fields out as a message, field by field in ERC-4361 order, leaving out the lines of absent
 * fields — the way the reference implementation renders an object (its signed vectors were signed over this
 * text). It does not validate: object-level negative vectors must reach the parser as they are.
 */
export function writeVectorMessage(f: VectorFields): string {
  const text = (key: string) => (f[key] === undefined || f[key] === null ? undefined : String(f[key]));
  const line = (label: string, key: string) => (text(key) === undefined ? [] : [`${label}${text(key)}`]);
  const origin = text('scheme') ? `${text('scheme')}://${text('domain') ?? ''}` : (text('domain') ?? '');
  const statement = text('statement');
  const resources = Array.isArray(f.resources) ? ['Resources:', ...f.resources.map((r) => `- ${r}`)] : [];
  return [
    `${origin} wants you to sign in with your Ethereum account:`,
    ...line('', 'address'),
    '',
    ...(statement === undefined ? [''] : [statement, '']),
    ...line('URI: ', 'uri'),
    ...line('Version: ', 'version'),
    ...line('Chain ID: ', 'chainId'),
    ...line('Nonce: ', 'nonce'),
    ...line('Issued At: ', 'issuedAt'),
    ...line('Expiration Time: ', 'expirationTime'),
    ...line('Not Before: ', 'notBefore'),
    ...line('Request ID: ', 'requestId'),
    ...resources,
  ].join('\n');
}
