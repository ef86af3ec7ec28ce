import { buildOpenApiDocument } from '@/lib/api/openapi';
import { buildSimulationOpenApiDocument } from '@/lib/api/openapi-simulation';
import { schemaResolver, type JsonSchema, type SchemaResolver } from '@/lib/api/fuzz/schema-check';

export interface FuzzParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** How an operation authenticates, from its `security` requirement in the document. */
export type Credential = 'public' | 'signedIn' | 'session' | 'nodeToken';

/** One operation of the OpenAPI document, reduced to what the fuzz needs. */
export interface FuzzOperation {
  id: string;
  method: string;
  /** OpenAPI path, e.g. /api/v1/jobs/{id}/cancel. */
  path: string;
  credential: Credential;
  parameters: FuzzParameter[];
  /** The JSON request body schema; null when the operation documents no body. */
  body: JsonSchema | null;
  /** Documented statuses, and for each the documented media types with their schema. */
  responses: Map<number, Map<string, JsonSchema>>;
}

export interface FuzzDocument {
  operations: FuzzOperation[];
  resolve: SchemaResolver;
  components: Record<string, JsonSchema>;
}

function credentialOf(security: unknown): Credential {
  if (!Array.isArray(security) || security.length === 0) return 'public';
  const schemes = new Set(security.flatMap((s: Record<string, unknown>) => Object.keys(s)));
  if (schemes.has('nodeToken')) return 'nodeToken';
  if (schemes.has('apiKey')) return 'signedIn';
  return 'session';
}

interface OpenApiJson {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Every operation of the served OpenAPI documents — the marketplace's and the demo's simulation controls' —
 * computed at run time (the documents are the contract).
 */
export function loadFuzzDocument(): FuzzDocument {
  const main = JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenApiJson;
  const simulation = JSON.parse(JSON.stringify(buildSimulationOpenApiDocument())) as OpenApiJson;
  const doc: OpenApiJson = {
    paths: { ...main.paths, ...simulation.paths },
    components: { schemas: { ...simulation.components?.schemas, ...main.components?.schemas } },
  };
  const components = doc.components?.schemas ?? {};
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content?.['application/json']?.schema;
      const responses = new Map<number, Map<string, JsonSchema>>();
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, unknown>)) {
        const content = ((response as { content?: Record<string, { schema?: JsonSchema }> }).content ??
          {}) as Record<string, { schema?: JsonSchema }>;
        responses.set(
          Number(status),
          new Map(Object.entries(content).map(([type, media]) => [type, media.schema ?? {}])),
        );
      }
      operations.push({
        id: typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        credential: credentialOf(op.security),
        parameters: ((op.parameters ?? []) as FuzzParameter[]).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          schema: p.schema ?? {},
        })),
        body: body ?? null,
        responses,
      });
    }
  }
  return { operations, resolve: schemaResolver(components), components };
}

export const operationLabel = (op: Pick<FuzzOperation, 'method' | 'path'>) => `${op.method} ${op.path}`;
