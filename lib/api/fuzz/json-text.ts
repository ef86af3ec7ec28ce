import fc from 'fast-check';

/**
 * JSON text the way an attacker writes it, not the way JSON.stringify would: raw tokens (`1e400`, `-0`,
 * 2^64 as a bare number, deep nesting) and objects as entry lists, so `__proto__` becomes a real own key of
 * what the server's JSON.parse returns and a key can appear twice.
 */
export class RawJson {
  constructor(readonly text: string) {}
  [fc.toStringMethod](): string {
    return `raw(${preview(this.text, 60)})`;
  }
}

export class JsonEntries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
  [fc.toStringMethod](): string {
    return `{${this.entries.map(([k, v]) => `${JSON.stringify(k)}: ${fc.stringify(v)}`).join(', ')}}`;
  }
}

export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof JsonEntries)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  // Strings keep lone surrogates as \uD800 escapes (well-formed JSON.stringify), so they reach JSON.parse.
  return JSON.stringify(value) ?? 'null';
}

/** Short, printable excerpt of a (possibly megabyte-long) text for failure messages. */
export function preview(text: string, max = 300): string {
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return text.length > max ? `${shown} (${text.length} chars)` : shown;
}

/** Lone surrogates → U+FFFD, as a URL or header on the wire can only carry well-formed text. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
