/**
 * A runnable example of each operation of the OpenAPI document, with curl, the TypeScript client and the
 * Python package: the reference page shows them, each with a copy button. Built from the document alone: the
 * request body is the schema's own `example` where it has one, else a value made from its types; a required
 * query parameter gets its example or default; the credential is the one the operation's `security` names.
 */
type Json = Record<string, unknown>;

export interface OperationExamples {
  curl: string;
  typescript: string;
  python: string;
}

/** What the operation accepts as credentials. */
export type OperationAccess =
  { kind: 'public' } | { kind: 'key'; scope: string } | { kind: 'session' } | { kind: 'node' };

const asJson = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** From the operation's `security`: none, or an empty requirement among them, means anyone may call it. */
export function accessOf(operation: Json): OperationAccess {
  const requirements = asArray(operation.security).map(asJson);
  if (!requirements.length || requirements.some((r) => Object.keys(r).length === 0))
    return { kind: 'public' };
  const key = requirements.find((r) => 'apiKey' in r);
  if (key) return { kind: 'key', scope: String(asArray(key.apiKey)[0] ?? 'read') };
  if (requirements.some((r) => 'nodeToken' in r)) return { kind: 'node' };
  return { kind: 'session' };
}

/** Follows a local `$ref` (`#/components/schemas/X`). */
function resolve(document: Json, schema: unknown): Json {
  const s = asJson(schema);
  const ref = typeof s.$ref === 'string' ? s.$ref : '';
  if (!ref.startsWith('#/')) return s;
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((node, key) => asJson(node[key]), document);
}

const SAMPLE_UUID = '7d1f7f1e-3c4b-4a8e-9b61-2f0c5d9e8a41';

/** A value of the schema: its example or default, else one made from its type (required properties only). */
export function sampleOf(document: Json, schema: unknown, hint = 'value', depth = 0): unknown {
  const s = resolve(document, schema);
  if ('example' in s) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ('default' in s && depth > 0) return s.default;
  if (Array.isArray(s.enum)) return s.enum.find((v) => v !== null) ?? null;
  const options = asArray(s.anyOf ?? s.oneOf);
  if (options.length)
    return sampleOf(document, options.find((o) => asJson(o).type !== 'null') ?? options[0], hint, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (depth > 6) return null;
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return SAMPLE_UUID;
      if (s.format === 'date-time') return '2026-12-01T00:00:00.000Z';
      if (s.format === 'uri') return 'https://example.com/file';
      return `<${hint}>`;
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? Math.max(s.minimum, 1) : 1;
    case 'boolean':
      return true;
    case 'array': {
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      return min > 0 ? [sampleOf(document, s.items, hint, depth + 1)] : [];
    }
    default: {
      const required = new Set(asArray(s.required).map(String));
      return Object.fromEntries(
        Object.entries(asJson(s.properties))
          .filter(([name]) => required.has(name))
          .map(([name, property]) => [name, sampleOf(document, property, name, depth + 1)]),
      );
    }
  }
}

interface Request {
  method: string;
  path: string;
  pathParams: string[];
  query: [string, string][];
  headers: [string, string][];
  body: unknown;
  access: OperationAccess;
  responseType: string;
}

function requestOf(document: Json, method: string, path: string, operation: Json): Request {
  const parameters = asArray(operation.parameters).map((p) => resolve(document, p));
  const valueOf = (p: Json) => {
    const schema = resolve(document, p.schema);
    const value =
      p.example ?? schema.example ?? schema.default ?? sampleOf(document, schema, String(p.name), 1);
    return Array.isArray(value) ? value.join(',') : String(value);
  };
  const content = asJson(asJson(operation.requestBody).content);
  const bodySchema = asJson(content['application/json']).schema;
  const success = Object.entries(asJson(operation.responses)).find(([status]) => status.startsWith('2'));
  const responseContent = Object.keys(asJson(asJson(success?.[1]).content));
  return {
    method: method.toUpperCase(),
    path,
    pathParams: parameters.filter((p) => p.in === 'path').map((p) => String(p.name)),
    query: parameters.filter((p) => p.in === 'query' && p.required).map((p) => [String(p.name), valueOf(p)]),
    headers: parameters
      .filter((p) => p.in === 'header' && p.required)
      .map((p) => [String(p.name), p.name === 'Idempotency-Key' ? '<a new UUID per request>' : valueOf(p)]),
    body: bodySchema ? sampleOf(document, bodySchema) : undefined,
    access: accessOf(operation),
    responseType: responseContent[0] ?? 'application/json',
  };
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const camel = (name: string) => name.replace(/[-_](\w)/g, (_, c: string) => c.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const upperSnake = (name: string) => snake(name).toUpperCase();

function curlOf(r: Request): string {
  const path = r.path.replace(/\{(\w+)\}/g, (_, name: string) => `$${upperSnake(name)}`);
  const query = r.query.length
    ? `?${r.query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`
    : '';
  const lines = [`curl${r.method === 'GET' ? '' : ` -X ${r.method}`} "$BACKFILL_API_URL${path}${query}"`];
  if (r.access.kind === 'key') lines.push(`-H "Authorization: Bearer $BACKFILL_API_KEY"`);
  if (r.access.kind === 'node') lines.push(`-H "Authorization: Bearer $BACKFILL_NODE_TOKEN"`);
  for (const [name, value] of r.headers)
    lines.push(
      name === 'Idempotency-Key'
        ? `-H "Idempotency-Key: $(uuidgen)"`
        : `-H ${shellQuote(`${name}: ${value}`)}`,
    );
  if (r.body !== undefined)
    lines.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(r.body))}`);
  return lines.join(' \\\n  ');
}

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}

function typescriptOf(r: Request): string {
  const init: string[] = [];
  const params: string[] = [];
  if (r.pathParams.length) params.push(`path: { ${r.pathParams.join(', ')} }`);
  if (r.query.length)
    params.push(
      `query: { ${r.query.map(([k, v]) => `${camel(k) === k ? k : `'${k}'`}: ${JSON.stringify(v)}`).join(', ')} }`,
    );
  if (r.headers.length)
    params.push(
      `header: { ${r.headers.map(([k, v]) => `'${k}': ${k === 'Idempotency-Key' ? 'crypto.randomUUID()' : JSON.stringify(v)}`).join(', ')} }`,
    );
  if (params.length) init.push(`params: { ${params.join(', ')} }`);
  if (r.body !== undefined) init.push(`body: ${indent(JSON.stringify(r.body, null, 2), '  ')}`);
  if (r.responseType === 'text/event-stream') init.push(`parseAs: 'stream'`);
  else if (r.responseType !== 'application/json') init.push(`parseAs: 'text'`);
  const credential =
    r.access.kind === 'key'
      ? 'process.env.BACKFILL_API_KEY!'
      : r.access.kind === 'node'
        ? 'process.env.BACKFILL_NODE_TOKEN!'
        : "''";
  const args = init.length ? `, {\n  ${init.join(',\n  ')},\n}` : '';
  return [
    `import { BackfillClient } from './clients/typescript/client';`,
    '',
    `const { api } = new BackfillClient({ apiUrl: process.env.BACKFILL_API_URL!, apiKey: ${credential} });`,
    ...(r.pathParams.length ? [`const ${r.pathParams.join(', ')} = '${SAMPLE_UUID}';`] : []),
    `const { data, error } = await api.${r.method}('${r.path}'${args});`,
  ].join('\n');
}

const pythonValue = (value: unknown): string =>
  JSON.stringify(value, null, 4)
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False')
    .replace(/\bnull\b/g, 'None');

function pythonOf(r: Request): string {
  const path = r.path.replace(/\{(\w+)\}/g, (_, name: string) => `{${snake(name)}}`);
  const args = [r.pathParams.length ? `f"${path}"` : `"${path}"`];
  if (r.query.length)
    args.push(`query={${r.query.map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(', ')}}`);
  if (r.headers.length)
    args.push(
      `headers={${r.headers.map(([k, v]) => `"${k}": ${k === 'Idempotency-Key' ? 'str(uuid.uuid4())' : JSON.stringify(v)}`).join(', ')}}`,
    );
  if (r.body !== undefined) args.push(`body=${pythonValue(r.body)}`);
  const credential =
    r.access.kind === 'key'
      ? 'os.environ["BACKFILL_API_KEY"]'
      : r.access.kind === 'node'
        ? 'os.environ["BACKFILL_NODE_TOKEN"]'
        : 'None';
  const imports = ['os', ...(r.headers.some(([k]) => k === 'Idempotency-Key') ? ['uuid'] : [])];
  return [
    `import ${imports.join(', ')}`,
    'import backfill',
    '',
    `client = backfill.Client(os.environ["BACKFILL_API_URL"], ${credential})`,
    ...r.pathParams.map((p) => `${snake(p)} = "${SAMPLE_UUID}"`),
    `answer = client.request("${r.method}", ${args.join(', ')})`,
  ].join('\n');
}

/** The three examples of one operation of `document`. */
export function examplesOf(document: Json, method: string, path: string, operation: Json): OperationExamples {
  const request = requestOf(document, method, path, operation);
  return { curl: curlOf(request), typescript: typescriptOf(request), python: pythonOf(request) };
}
