/**
 * Flattens the OpenAPI document into what the reference page renders: operations with their parameters and
 * responses, and each named schema's properties. Plain data in, plain data out, unit-tested.
 */
import {
  accessOf,
  examplesOf,
  type OperationAccess,
  type OperationExamples,
} from '@/lib/api/openapi-examples';

type Json = Record<string, unknown>;

export interface ParameterView {
  name: string;
  in: string;
  type: string;
  required: boolean;
  description: string;
}

export interface ResponseView {
  status: string;
  description: string;
  type: string;
}

export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  parameters: ParameterView[];
  /** The JSON body's type, empty when it takes none. */
  requestBody: string;
  responses: ResponseView[];
  access: OperationAccess;
  examples: OperationExamples;
}

export interface SchemaView {
  name: string;
  description: string;
  properties: { name: string; type: string; required: boolean; description: string }[];
  enumValues: string[];
}

const asJson = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A short human label for a JSON schema: `string`, `integer`, `Offer[]`, `"a" | "b"`, `string | null`. */
export function schemaLabel(schema: unknown): string {
  const s = asJson(schema);
  const ref = asString(s.$ref);
  if (ref) return ref.split('/').at(-1) ?? ref;
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    return ((s.anyOf ?? s.oneOf) as unknown[]).map(schemaLabel).join(' | ');
  }
  const type = s.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (type === 'array') return `${schemaLabel(s.items)}[]`;
  if (typeof type === 'string') return s.format ? `${type} (${asString(s.format)})` : type;
  return 'object';
}

export function operationsOf(document: Json): OperationView[] {
  const operations: OperationView[] = [];
  for (const [path, item] of Object.entries(asJson(document.paths))) {
    for (const [method, raw] of Object.entries(asJson(item))) {
      const op = asJson(raw);
      const parameters = (Array.isArray(op.parameters) ? op.parameters : []).map((p) => {
        const param = asJson(p);
        return {
          name: asString(param.name),
          in: asString(param.in),
          type: schemaLabel(param.schema),
          required: param.required === true,
          description: asString(param.description),
        };
      });
      const responses = Object.entries(asJson(op.responses)).map(([status, r]) => {
        const response = asJson(r);
        const schema = asJson(asJson(asJson(response.content)['application/json']).schema);
        return {
          status,
          description: asString(response.description),
          type: Object.keys(schema).length ? schemaLabel(schema) : '',
        };
      });
      operations.push({
        id: asString(op.operationId) || `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: asString(op.summary),
        description: asString(op.description),
        tag: (Array.isArray(op.tags) ? asString(op.tags[0]) : '') || 'Other',
        parameters,
        requestBody: (() => {
          const schema = asJson(asJson(asJson(asJson(op.requestBody).content)['application/json']).schema);
          return Object.keys(schema).length ? schemaLabel(schema) : '';
        })(),
        responses,
        access: accessOf(op),
        examples: examplesOf(document, method, path, op),
      });
    }
  }
  return operations;
}

export function schemasOf(document: Json): SchemaView[] {
  return Object.entries(asJson(asJson(document.components).schemas)).map(([name, raw]) => {
    const schema = asJson(raw);
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    return {
      name,
      description: asString(schema.description),
      properties: Object.entries(asJson(schema.properties)).map(([prop, value]) => ({
        name: prop,
        type: schemaLabel(value),
        required: required.has(prop),
        description: asString(asJson(value).description),
      })),
      enumValues: Array.isArray(schema.enum) ? schema.enum.map(String) : [],
    };
  });
}
