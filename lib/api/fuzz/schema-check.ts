import { z } from 'zod';

/** A JSON Schema (OpenAPI 3.1 dialect) node, as the generated document holds it. */
export type JsonSchema = Record<string, unknown>;

/** Resolves `#/components/schemas/X` references against the document's components. */
export type SchemaResolver = (schema: JsonSchema) => JsonSchema;

export function schemaResolver(components: Record<string, JsonSchema>): SchemaResolver {
  return (schema) => {
    let current = schema;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops++) {
      const name = current.$ref.split('/').at(-1) ?? '';
      const target = components[name];
      if (!target) throw new Error(`unresolved schema reference ${current.$ref}`);
      current = target;
    }
    return current;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** Beyond this depth the check gives up and calls the value conforming (it only reports sure violations). */
const MAX_DEPTH = 64;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

/**
 * Where a value violates a documented schema, as `path: reason` lines; empty when it conforms. Deliberately
 * one-sided: a keyword it does not know is ignored, so an empty list means "not provably invalid" and a
 * non-empty one means "the document says this must be refused".
 */
export function schemaViolations(
  schema: JsonSchema,
  value: unknown,
  resolve: SchemaResolver,
  path = '$',
  depth = 0,
): string[] {
  if (depth > MAX_DEPTH) return [];
  const s = resolve(schema);
  const out: string[] = [];
  const fail = (reason: string) => out.push(`${path}: ${reason}`);

  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const ok = (branches as JsonSchema[]).some(
        (b) => schemaViolations(b, value, resolve, path, depth + 1).length === 0,
      );
      if (!ok) fail(`matches none of ${key}`);
    }
  }
  if (Array.isArray(s.allOf))
    for (const part of s.allOf as JsonSchema[])
      out.push(...schemaViolations(part, value, resolve, path, depth + 1));

  if (typeof value === 'number' && !Number.isFinite(value)) {
    fail('not a finite number');
    return out;
  }
  const actual = typeOf(value);
  const types = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : null;
  if (types && !types.some((t) => typeMatches(t, actual))) {
    fail(`expected ${types.join(' | ')}, got ${actual}`);
    return out;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === value)) fail('not one of the enum values');
  if ('const' in s && s.const !== value) fail('not the constant');

  if (typeof value === 'string') {
    // JSON Schema counts characters (code points); an emoji is one, not two UTF-16 units.
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) fail(`shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) fail(`longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern).test(value))
      fail(`does not match ${s.pattern}`);
    if (s.format === 'uuid' && !UUID.test(value)) fail('not a UUID');
    if (s.format === 'date' && !isoDate.safeParse(value).success) fail('not a calendar date');
    if (s.format === 'date-time' && !isoDateTime.safeParse(value).success) fail('not an ISO 8601 date-time');
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum)
      fail(`not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum)
      fail(`not below ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail(`fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail(`more than ${s.maxItems} items`);
    if (s.items && typeof s.items === 'object')
      value.forEach((item, i) =>
        out.push(...schemaViolations(s.items as JsonSchema, item, resolve, `${path}[${i}]`, depth + 1)),
      );
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (s.required as string[] | undefined) ?? [])
      if (!Object.hasOwn(object, name)) fail(`missing required ${name}`);
    for (const [key, item] of Object.entries(object)) {
      const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (property) out.push(...schemaViolations(property, item, resolve, `${path}.${key}`, depth + 1));
      else if (s.additionalProperties === false) fail(`unknown key ${JSON.stringify(key)}`);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object')
        out.push(
          ...schemaViolations(
            s.additionalProperties as JsonSchema,
            item,
            resolve,
            `${path}.${key}`,
            depth + 1,
          ),
        );
    }
  }
  return out;
}
