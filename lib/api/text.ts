import { z } from 'zod';
import { AppError, type FieldIssue } from '@/lib/api/errors';

/**
 * What text may enter the system. Decided here, once, for every route and the agent protocol:
 *
 * - NUL (U+0000) cannot be stored by PostgreSQL in `text` or `jsonb`, and a lone UTF-16 surrogate has no
 *   UTF-8 encoding (`jsonb` refuses its escape). These are *unstorable*.
 * - Log lines and workload output are the workload's own words: unstorable characters become a visible
 *   U+FFFD replacement character (`logTextSchema`), as invalid UTF-8 does when the agent decodes output.
 * - Names and labels a person reads (job, node and API-key names) refuse control and bidirectional-formatting
 *   characters as well (`displayNameSchema`): they would let a name hide or reorder what is shown.
 * - Everything else that is still unstorable after its schema — any field of any route, present or future —
 *   is refused by the route wrapper with a 400 naming the field (`assertStorable`), never a 500.
 */

/** NUL, and surrogates that are not part of a pair. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** C0 and C1 controls (tab included: a name has no use for it) and DEL. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** Bidirectional formatting characters (marks, embeddings, overrides and isolates). */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

export const REPLACEMENT_CHARACTER = '\uFFFD';

/** True when PostgreSQL can store the text as it is. */
export function isStorable(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return !UNSTORABLE.test(text);
}

/** The text with every unstorable character replaced by U+FFFD (same length in UTF-16 units). */
export function replaceUnstorable(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}

function describeUnstorable(text: string): string {
  return text.includes('\u0000')
    ? 'must not contain NUL (U+0000) characters'
    : 'must not contain unpaired UTF-16 surrogates (not valid Unicode text)';
}

/**
 * The first field of a parsed input whose text (a string value or an object key) cannot be stored, as a
 * dotted path (`body.leases.0.checkpoint.ref`), or null. Iterative: a deep input cannot exhaust the stack.
 */
export function findUnstorable(value: unknown, root: string): FieldIssue | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length) {
    const item = stack.pop() as { value: unknown; path: string };
    if (typeof item.value === 'string') {
      if (!isStorable(item.value)) return { field: item.path, message: describeUnstorable(item.value) };
    } else if (Array.isArray(item.value)) {
      item.value.forEach((entry, i) => stack.push({ value: entry, path: `${item.path}.${i}` }));
    } else if (item.value !== null && typeof item.value === 'object' && !(item.value instanceof Date)) {
      for (const [key, entry] of Object.entries(item.value)) {
        if (!isStorable(key)) return { field: item.path, message: `a key ${describeUnstorable(key)}` };
        stack.push({ value: entry, path: `${item.path}.${key}` });
      }
    }
  }
  return null;
}

/** Refuses a parsed query, path or body that still holds unstorable text: a 400 naming the field. */
export function assertStorable(value: unknown, where: 'query' | 'path' | 'body'): void {
  const issue = findUnstorable(value, where);
  if (!issue) return;
  const field = issue.field.slice(where.length + 1) || where;
  throw new AppError('bad_request', `Invalid ${where}: ${field}`, {
    fields: [{ field, message: issue.message }],
  });
}

/** A workload's or agent's line of output: stored as sent, with unstorable characters made visible. */
export function logTextSchema(max: number) {
  return z.string().max(max).overwrite(replaceUnstorable);
}

/** A name or label shown to people: trimmed, 1…max characters, no control or bidi-formatting characters. */
export function displayNameSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'must not contain control characters (such as NUL or newlines)')
    .refine((value) => !BIDI.test(value), 'must not contain bidirectional formatting characters')
    .refine(isStorable, 'must be valid Unicode text (no unpaired surrogates)');
}
