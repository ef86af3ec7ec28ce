import fc from 'fast-check';
import {
  CURSOR_STRINGS,
  DATE_STRINGS,
  HOSTILE_BODY_TEXTS,
  NUMERIC_STRINGS,
  hostileHeaderValue,
  hostileKey,
  hostileNumber,
  hostileString,
  hostileStructure,
  hostileValue,
} from '@/lib/api/fuzz/hostile-values';
import { RawJson } from '@/lib/api/fuzz/json-text';
import type { FuzzOperation, FuzzParameter } from '@/lib/api/fuzz/operations';
import type { JsonSchema, SchemaResolver } from '@/lib/api/fuzz/schema-check';

/**
 * A request as fast-check generates it: a recipe of hostile edits, applied at run time to a valid baseline
 * (a fresh registration token, an owned job id…) by fuzz-request.ts. Recipes are plain data so they print,
 * shrink and replay.
 */

/** Turns the baseline's value at a path into a near miss: one character off, one type off. */
export class NearMiss {
  constructor(readonly mutation: keyof typeof NEAR_MISSES) {}
  apply(baseline: unknown): unknown {
    return NEAR_MISSES[this.mutation](
      typeof baseline === 'string' ? baseline : JSON.stringify(baseline ?? ''),
    );
  }
  [fc.toStringMethod](): string {
    return `nearMiss(${this.mutation})`;
  }
}

const FULLWIDTH = (s: string) =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
export const NEAR_MISSES = {
  appendNul: (s: string) => `${s}\u0000`,
  insertNul: (s: string) => `${s.slice(0, 1)}\u0000${s.slice(1)}`,
  prependSpace: (s: string) => ` ${s}`,
  appendNewline: (s: string) => `${s}\n`,
  upper: (s: string) => s.toUpperCase(),
  dropLast: (s: string) => s.slice(0, -1),
  doubled: (s: string) => `${s}${s}`,
  bidi: (s: string) => `\u202E${s}`,
  zeroWidth: (s: string) => `${s.slice(0, 1)}\u200B${s.slice(1)}`,
  loneSurrogate: (s: string) => `${s}\uD800`,
  fullwidth: FULLWIDTH,
  negative: (s: string) => `-${s}`,
  long: (s: string) => (s || 'x').repeat(Math.ceil(10_000 / Math.max(1, s.length))),
  asNumber: (s: string) => Number(s),
  asArray: (s: string) => [s],
  asObject: (s: string) => ({ value: s }),
};
const NEAR_MISS_NAMES = Object.keys(NEAR_MISSES) as (keyof typeof NEAR_MISSES)[];
const nearMiss = fc.constantFrom(...NEAR_MISS_NAMES).map((m) => new NearMiss(m));

export type JsonPath = (string | number)[];

export type BodyRecipe =
  | { kind: 'none' }
  | { kind: 'baseline' }
  | { kind: 'edit'; edits: { path: JsonPath; value: unknown }[] }
  | { kind: 'drop'; path: JsonPath }
  | { kind: 'extraKeys'; at: JsonPath; entries: [string, unknown][] }
  | { kind: 'duplicateKey'; key: string; value: unknown; hostileLast: boolean }
  | { kind: 'whole'; value: unknown }
  | { kind: 'text'; text: string };

export type TargetRecipe =
  { kind: 'valid' } | { kind: 'unknown'; value: string } | { kind: 'hostile'; value: string };

export type IdempotencyRecipe =
  { kind: 'fresh' } | { kind: 'missing' } | { kind: 'reuse' } | { kind: 'hostile'; value: string };

export interface RequestRecipe {
  target: TargetRecipe | null;
  query: { pairs: [string, string][]; suffix: string };
  body: BodyRecipe;
  idempotency: IdempotencyRecipe | null;
  as: 'session' | 'apiKey' | 'anonymous' | 'node';
}

interface DocumentedField {
  path: JsonPath;
  schema: JsonSchema;
}

/** Every documented field of a body schema, nested objects and the first item of arrays included. */
export function documentedFields(
  schema: JsonSchema,
  resolve: SchemaResolver,
  path: JsonPath = [],
): DocumentedField[] {
  if (path.length > 5) return [];
  const s = resolve(schema);
  const out: DocumentedField[] = path.length > 0 ? [{ path, schema: s }] : [];
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, property] of Object.entries(properties))
    out.push(...documentedFields(property, resolve, [...path, name]));
  if (s.items && typeof s.items === 'object')
    out.push(...documentedFields(s.items as JsonSchema, resolve, [...path, 0]));
  return out;
}

function typesOf(s: JsonSchema): string[] {
  return typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : [];
}

function isDateLike(s: JsonSchema, name: string): boolean {
  return (
    s.format === 'date' ||
    s.format === 'date-time' ||
    (typeof s.pattern === 'string' && s.pattern.includes('\\d{4}-')) ||
    ['from', 'to', 'at'].includes(name)
  );
}

type Weighted = { arbitrary: fc.Arbitrary<unknown>; weight: number };

/** Values just outside a documented schema (bounds ±1, wrong enum spellings), plus the generic hostile pool. */
export function hostileFor(schema: JsonSchema, resolve: SchemaResolver, name: string): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const types = typesOf(s);
  const specific: Weighted[] = [{ arbitrary: nearMiss, weight: 2 }];
  if (Array.isArray(s.enum)) {
    const values = (s.enum as unknown[]).filter((v): v is string => typeof v === 'string');
    specific.push(
      {
        arbitrary: fc
          .constantFrom(...values)
          .chain((v) =>
            fc.constantFrom(
              v.toUpperCase(),
              ` ${v}`,
              `${v} `,
              `${v}\u0000`,
              `${v}${v}`,
              v.slice(0, -1),
              `${v},${v}`,
            ),
          ),
        weight: 2,
      },
      {
        arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', ''),
        weight: 1,
      },
    );
  }
  // Dates and cursors are where parsers and the database disagree most: give them most of the draws.
  if (isDateLike(s, name)) specific.push({ arbitrary: fc.constantFrom(...DATE_STRINGS), weight: 6 });
  if (name === 'cursor') specific.push({ arbitrary: fc.constantFrom(...CURSOR_STRINGS()), weight: 6 });
  if (types.includes('string') && typeof s.pattern === 'string' && s.pattern.includes('\\d'))
    specific.push({ arbitrary: fc.constantFrom(...NUMERIC_STRINGS), weight: 2 });
  if (types.includes('string') && typeof s.maxLength === 'number') {
    const max = s.maxLength;
    specific.push({
      arbitrary: fc.constantFrom(
        'a'.repeat(max + 1),
        'é'.repeat(max + 1),
        ' '.repeat(Math.min(max, 8)),
        '😀'.repeat(max + 1),
      ),
      weight: 1,
    });
  }
  if (types.includes('integer') || types.includes('number')) {
    const bounds: number[] = [];
    for (const key of ['minimum', 'exclusiveMinimum'] as const)
      if (typeof s[key] === 'number') bounds.push((s[key] as number) - 1, (s[key] as number) - 0.5);
    if (typeof s.maximum === 'number') bounds.push(s.maximum + 1, s.maximum + 0.5, s.maximum * 1000);
    if (bounds.length > 0) specific.push({ arbitrary: fc.constantFrom(...bounds), weight: 2 });
    specific.push(
      { arbitrary: fc.constantFrom(...NUMERIC_STRINGS), weight: 2 },
      { arbitrary: hostileNumber, weight: 2 },
    );
  }
  if (types.includes('string')) specific.push({ arbitrary: hostileString, weight: 3 });
  if (types.includes('array')) {
    const max = typeof s.maxItems === 'number' ? s.maxItems : 64;
    specific.push(
      {
        arbitrary: fc.constantFrom(
          [],
          Array.from({ length: max + 1 }, () => null),
        ),
        weight: 1,
      },
      { arbitrary: fc.array(hostileValue, { maxLength: 3 }), weight: 1 },
    );
  }
  return fc.oneof({ arbitrary: fc.oneof(...specific), weight: 3 }, { arbitrary: hostileValue, weight: 1 });
}

function queryPair(param: FuzzParameter, resolve: SchemaResolver): fc.Arbitrary<[string, string]> {
  const text = hostileFor(param.schema, resolve, param.name).map((v): string => {
    if (typeof v === 'string') return v;
    if (v instanceof NearMiss) return String(v.apply('1'));
    if (v instanceof RawJson) return v.text;
    return Array.isArray(v) ? v.map(String).join(',') : String(JSON.stringify(v));
  });
  return text.map((v) => [param.name, v]);
}

function bodyRecipe(op: FuzzOperation, resolve: SchemaResolver): fc.Arbitrary<BodyRecipe> {
  const hostileWhole = fc.oneof(hostileStructure, hostileString, fc.constantFrom(0, -1, 1.5, true, 'body'));
  const text = fc.constantFrom(...HOSTILE_BODY_TEXTS()).map((t): BodyRecipe => ({ kind: 'text', text: t }));
  const whole = hostileWhole.map((value): BodyRecipe => ({ kind: 'whole', value }));
  const extraTop = fc
    .array(fc.tuple(hostileKey, hostileValue), { minLength: 1, maxLength: 3 })
    .map((entries): BodyRecipe => ({ kind: 'extraKeys', at: [], entries }));
  if (!op.body) {
    // A body on an operation that documents none.
    return fc.oneof(
      { arbitrary: fc.constant<BodyRecipe>({ kind: 'none' }), weight: 1 },
      { arbitrary: fc.oneof(whole, text, extraTop), weight: 4 },
    );
  }
  const fields = documentedFields(op.body, resolve);
  const objects = [
    [] as JsonPath,
    ...fields.filter((f) => resolve(f.schema).type === 'object').map((f) => f.path),
  ];
  const variants: { arbitrary: fc.Arbitrary<BodyRecipe>; weight: number }[] = [
    { arbitrary: fc.constant<BodyRecipe>({ kind: 'baseline' }), weight: 1 },
    { arbitrary: fc.constant<BodyRecipe>({ kind: 'none' }), weight: 1 },
    { arbitrary: whole, weight: 2 },
    { arbitrary: text, weight: 2 },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(...objects),
          fc.array(fc.tuple(hostileKey, hostileValue), { minLength: 1, maxLength: 3 }),
        )
        .map(([at, entries]): BodyRecipe => ({ kind: 'extraKeys', at, entries })),
      weight: 2,
    },
  ];
  if (fields.length > 0) {
    const edit = fc
      .constantFrom(...fields)
      .chain((f) =>
        hostileFor(f.schema, resolve, String(f.path.at(-1))).map((value) => ({ path: f.path, value })),
      );
    const topKeys = fields.filter((f) => f.path.length === 1).map((f) => String(f.path[0]));
    variants.push(
      // Mostly one edit, so a hostile value is not hidden behind another field's refusal.
      { arbitrary: edit.map((e): BodyRecipe => ({ kind: 'edit', edits: [e] })), weight: 6 },
      {
        arbitrary: fc
          .array(edit, { minLength: 2, maxLength: 3 })
          .map((edits): BodyRecipe => ({ kind: 'edit', edits })),
        weight: 2,
      },
      {
        arbitrary: fc.constantFrom(...fields).map((f): BodyRecipe => ({ kind: 'drop', path: f.path })),
        weight: 1,
      },
    );
    if (topKeys.length > 0)
      variants.push({
        arbitrary: fc
          .record({ key: fc.constantFrom(...topKeys), value: hostileValue, hostileLast: fc.boolean() })
          .map((r): BodyRecipe => ({ kind: 'duplicateKey', ...r })),
        weight: 1,
      });
  }
  return fc.oneof(...variants);
}

const NO_QUERY = { pairs: [] as [string, string][], suffix: '' };

/**
 * The recipe arbitrary of one operation, derived from its documented parameters and body. Most requests are
 * valid but for one hostile part (the path, the query, the body or the Idempotency-Key), so the hostile value
 * is not hidden behind another part's refusal and reaches as deep into the handler as it can; a few are
 * hostile everywhere at once.
 */
export function requestRecipe(op: FuzzOperation, resolve: SchemaResolver): fc.Arbitrary<RequestRecipe> {
  const pathParam = op.parameters.find((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const idempotency = op.parameters.find(
    (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
  );

  const hostileTarget: fc.Arbitrary<TargetRecipe> | null = pathParam
    ? fc.oneof(
        {
          arbitrary: fc.uuid({ version: 4 }).map((value): TargetRecipe => ({ kind: 'unknown', value })),
          weight: 1,
        },
        {
          arbitrary: fc
            .oneof(
              hostileString,
              hostileFor(pathParam.schema, resolve, pathParam.name).map((v) =>
                typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
              ),
            )
            .map((value): TargetRecipe => ({ kind: 'hostile', value })),
          weight: 2,
        },
      )
    : null;

  const unknownPair = fc.tuple(hostileKey, fc.oneof(hostileString, fc.constant('1')));
  const documentedPair = queryParams.length
    ? fc.oneof(...queryParams.map((p) => queryPair(p, resolve)))
    : null;
  const anyPair = documentedPair
    ? fc.oneof({ arbitrary: documentedPair, weight: 4 }, { arbitrary: unknownPair, weight: 1 })
    : unknownPair;
  const garbage = fc.constantFrom(
    '&',
    '&=',
    '&&',
    '&a=%zz',
    '&%',
    '&limit',
    '&cursor=%ED%A0%80',
    '&__proto__[x]=1',
  );
  const hostileQuery = fc.oneof(
    ...(documentedPair
      ? [{ arbitrary: documentedPair.map((p) => ({ pairs: [p], suffix: '' })), weight: 4 }]
      : []),
    { arbitrary: unknownPair.map((p) => ({ pairs: [p], suffix: '' })), weight: 1 },
    {
      arbitrary: fc.record({
        pairs: fc.array(anyPair, { minLength: 2, maxLength: 4 }),
        suffix: fc.constant(''),
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ pairs: fc.array(anyPair, { maxLength: 2 }), suffix: garbage }), weight: 1 },
  );

  // GET requests carry no body (fetch refuses one); every other method gets hostile bodies.
  const hostileBody = op.method === 'GET' ? null : bodyRecipe(op, resolve);
  const hostileKeyHeader: fc.Arbitrary<IdempotencyRecipe> | null = idempotency
    ? fc.oneof(
        { arbitrary: fc.constantFrom<IdempotencyRecipe>({ kind: 'missing' }, { kind: 'reuse' }), weight: 2 },
        {
          arbitrary: hostileHeaderValue.map((value): IdempotencyRecipe => ({ kind: 'hostile', value })),
          weight: 1,
        },
      )
    : null;

  const valid: Omit<RequestRecipe, 'as'> = {
    target: pathParam ? { kind: 'valid' } : null,
    query: NO_QUERY,
    body: { kind: op.method !== 'GET' && op.body ? 'baseline' : 'none' },
    idempotency: idempotency ? { kind: 'fresh' } : null,
  };
  const focused: { arbitrary: fc.Arbitrary<Omit<RequestRecipe, 'as'>>; weight: number }[] = [
    { arbitrary: hostileQuery.map((query) => ({ ...valid, query })), weight: queryParams.length ? 4 : 1 },
  ];
  if (hostileTarget)
    focused.push({ arbitrary: hostileTarget.map((target) => ({ ...valid, target })), weight: 2 });
  if (hostileBody) focused.push({ arbitrary: hostileBody.map((body) => ({ ...valid, body })), weight: 6 });
  if (hostileKeyHeader)
    focused.push({ arbitrary: hostileKeyHeader.map((key) => ({ ...valid, idempotency: key })), weight: 1 });
  // Everything hostile at once, each part independently (valid parts included).
  const or = <T>(hostile: fc.Arbitrary<T> | null, fallback: T): fc.Arbitrary<T> =>
    hostile ? fc.oneof(fc.constant(fallback), hostile) : fc.constant(fallback);
  focused.push({
    arbitrary: fc.record({
      target: or<TargetRecipe | null>(hostileTarget, valid.target),
      query: or(hostileQuery, NO_QUERY),
      body: or(hostileBody, valid.body),
      idempotency: or<IdempotencyRecipe | null>(hostileKeyHeader, valid.idempotency),
    }),
    weight: 1,
  });

  const as: fc.Arbitrary<RequestRecipe['as']> =
    op.credential === 'signedIn'
      ? fc.constantFrom('session', 'apiKey')
      : op.credential === 'session'
        ? fc.constant('session')
        : op.credential === 'nodeToken'
          ? fc.constant('node')
          : fc.constantFrom('anonymous', 'session');

  return fc.tuple(fc.oneof(...focused), as).map(([parts, who]) => ({ ...parts, as: who }));
}
