import { TEST_ORIGIN } from '@/lib/testing/api-harness';
import type { FuzzWorld } from '@/lib/api/fuzz/fuzz-world';
import { JsonEntries, preview, toJsonText, wellFormed } from '@/lib/api/fuzz/json-text';
import type { FuzzOperation, FuzzParameter } from '@/lib/api/fuzz/operations';
import { NearMiss, type JsonPath, type RequestRecipe } from '@/lib/api/fuzz/request-recipe';
import { schemaViolations, type JsonSchema, type SchemaResolver } from '@/lib/api/fuzz/schema-check';

/** The largest body any route reads (the heartbeat's); every larger one must be refused. */
const LARGEST_BODY_BYTES = 1024 * 1024;

/** A recipe applied to the world's baseline: what is sent, and why the document says it must be refused. */
export interface ConcreteRequest {
  method: string;
  url: string;
  params: Record<string, string>;
  rawBody: string | undefined;
  headers: Record<string, string>;
  session: string | undefined;
  bearer: string | undefined;
  idempotencyKey: string | null;
  /** Reasons the document gives for refusing this request; empty when it may succeed. */
  mustRefuse: string[];
}

export function describeRequest(request: ConcreteRequest): string {
  const auth = request.bearer ? 'bearer' : request.session ? 'session' : 'anonymous';
  const lines = [`${request.method} ${preview(request.url, 200)} (${auth})`];
  if (request.idempotencyKey !== null) lines.push(`Idempotency-Key: ${preview(request.idempotencyKey, 60)}`);
  if (request.rawBody !== undefined) lines.push(`body: ${preview(request.rawBody)}`);
  if (request.mustRefuse.length) lines.push(`must be refused: ${request.mustRefuse.slice(0, 3).join('; ')}`);
  return lines.join('\n    ');
}

function getAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function setAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...JsonPath];
  const container: Record<string | number, unknown> =
    root !== null && typeof root === 'object' && !(root instanceof JsonEntries)
      ? (root as Record<string | number, unknown>)
      : ((typeof head === 'number' ? [] : {}) as Record<string | number, unknown>);
  container[head] = setAt(container[head], rest, value);
  return container;
}

function deleteAt(root: unknown, path: JsonPath): void {
  const parent = getAt(root, path.slice(0, -1));
  const last = path.at(-1);
  if (parent && typeof parent === 'object' && last !== undefined) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else delete (parent as Record<string | number, unknown>)[last];
  }
}

const entriesOf = (value: unknown): [string, unknown][] =>
  value instanceof JsonEntries
    ? value.entries.map(([k, v]) => [k, v])
    : value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value)
      : [];

/**
 * Checks a query string the way the route wrapper reads it: an operation that documents no query parameters
 * takes no query string at all; otherwise empty values are dropped, the last value wins, and any other key
 * is refused (the query schemas are strict).
 */
function queryViolations(op: FuzzOperation, url: URL, resolve: SchemaResolver): string[] {
  const documented = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  if (documented.size === 0)
    return url.search.length > 1 ? ['a query string on an operation that documents none'] : [];
  const out: string[] = [];
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key).filter((v) => v !== '');
    if (values.length === 0) continue;
    const param = documented.get(key);
    if (!param) out.push(`unknown query parameter ${JSON.stringify(key)}`);
    else out.push(...parameterViolations(param, values, resolve).map((v) => `query ${v}`));
  }
  return out;
}

function parameterViolations(param: FuzzParameter, values: string[], resolve: SchemaResolver): string[] {
  const schema = resolve(param.schema);
  const types =
    typeof schema.type === 'string' ? [schema.type] : ((schema.type as string[] | undefined) ?? []);
  let value: unknown = values.at(-1);
  if (types.includes('array')) value = values.flatMap((v) => v.split(',')).filter((v) => v !== '');
  else if (types.includes('integer') || types.includes('number')) value = Number(value);
  return schemaViolations(schema as JsonSchema, value, resolve, param.name);
}

/** Applies a recipe to the world's valid baseline. */
export async function materialize(
  world: FuzzWorld,
  op: FuzzOperation,
  recipe: RequestRecipe,
  resolve: SchemaResolver,
  lastKey: string | undefined,
): Promise<ConcreteRequest> {
  const mustRefuse: string[] = [];

  let path = op.path;
  const params: Record<string, string> = {};
  const pathParam = op.parameters.find((p) => p.in === 'path');
  if (pathParam && recipe.target) {
    const raw = recipe.target.kind === 'valid' ? world.validTarget(op) : recipe.target.value;
    // What Next.js hands the handler: the decoded segment (a URL cannot carry a lone surrogate).
    const value = wellFormed(raw);
    params[pathParam.name] = value;
    path = path.replace(`{${pathParam.name}}`, encodeURIComponent(value));
    mustRefuse.push(...parameterViolations(pathParam, [value], resolve).map((v) => `path ${v}`));
    if (recipe.target.kind === 'unknown') mustRefuse.push(`path ${pathParam.name}: no such resource`);
  }

  const pairs = recipe.query.pairs.map(
    ([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`,
  );
  const search = [pairs.join('&'), recipe.query.suffix].filter(Boolean).join('');
  const url = search ? `${path}?${search.replace(/^&/, '')}` : path;
  mustRefuse.push(...queryViolations(op, new URL(url, TEST_ORIGIN), resolve));

  let rawBody: string | undefined;
  const body = recipe.body;
  if (body.kind !== 'none') {
    const base = (await world.baseline(op)) ?? (op.body ? undefined : {});
    if (base === undefined) throw new Error(`no baseline body for ${op.id}: add one to fuzz-world.ts`);
    let value: unknown = structuredClone(base);
    switch (body.kind) {
      case 'baseline':
        break;
      case 'edit':
        for (const edit of body.edits) {
          const next = edit.value instanceof NearMiss ? edit.value.apply(getAt(base, edit.path)) : edit.value;
          value = setAt(value, edit.path, next);
        }
        break;
      case 'drop':
        deleteAt(value, body.path);
        break;
      case 'extraKeys':
        value = setAt(
          value,
          body.at,
          new JsonEntries([...entriesOf(getAt(value, body.at)), ...body.entries]),
        );
        break;
      case 'duplicateKey': {
        const entries = entriesOf(value);
        value = new JsonEntries(
          body.hostileLast ? [...entries, [body.key, body.value]] : [[body.key, body.value], ...entries],
        );
        break;
      }
      case 'whole':
        value = body.value;
        break;
      case 'text':
        break;
    }
    rawBody = body.kind === 'text' ? body.text : toJsonText(value);
  }
  if (rawBody !== undefined && rawBody !== '') {
    if (!op.body) mustRefuse.push('a body on an operation that documents none');
    if (Buffer.byteLength(rawBody) > LARGEST_BODY_BYTES) mustRefuse.push('a body over 1 MiB');
    let parsed: unknown;
    try {
      // RFC 8259 lets a parser ignore a leading byte order mark.
      parsed = JSON.parse(rawBody.replace(/^\uFEFF/, ''));
    } catch {
      mustRefuse.push('the body is not JSON');
    }
    if (parsed !== undefined && op.body)
      mustRefuse.push(...schemaViolations(op.body, parsed, resolve).map((v) => `body ${v}`));
  }

  const headers: Record<string, string> = {};
  let idempotencyKey: string | null = null;
  const keyParam = op.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  if (keyParam && recipe.idempotency) {
    const r = recipe.idempotency;
    idempotencyKey =
      r.kind === 'fresh'
        ? world.freshIdempotencyKey()
        : r.kind === 'reuse'
          ? (lastKey ?? world.freshIdempotencyKey())
          : r.kind === 'hostile'
            ? r.value
            : null;
    if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
    else if (keyParam.required) mustRefuse.push('missing required Idempotency-Key');
  }

  const session = recipe.as === 'session' ? await world.sessionFor(op) : undefined;
  const bearer = recipe.as === 'apiKey' ? world.apiKey : recipe.as === 'node' ? world.node.token : undefined;
  return { method: op.method, url, params, rawBody, headers, session, bearer, idempotencyKey, mustRefuse };
}
