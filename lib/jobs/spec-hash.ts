import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: one text per value, so hashes and signatures are stable. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** sha256 of the canonical spec (`0x`-prefixed hex): what a receipt commits the marketplace to. */
export function specHash(spec: object): string {
  return `0x${createHash('sha256').update(canonicalJson(spec)).digest('hex')}`;
}
