import { API_KEY_SCOPES, API_KEY_SCOPE_DESCRIPTIONS, type ApiKeyScope } from '@/lib/auth/scopes';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorEnvelopeSchema } from '@/lib/api/errors';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `error.fields` names the offending fields.',
  401: 'Not signed in, or the API key is unknown or revoked.',
  402: 'Not enough balance.',
  403: 'A browser request from another origin (or without one), an API key without the scope the operation names, or an action that needs a wallet session.',
  404: "No such resource — also the answer for another account's resources.",
  409: 'Conflicts with the current state, or a request with the same Idempotency-Key is still running.',
  415: 'The body must be JSON (`Content-Type: application/json`).',
  422: 'Well-formed but refused; the message says why.',
  426: 'The node agent is older than the marketplace accepts; the message names the minimum and where to download.',
  429: 'Rate-limited; retry after the number of seconds in `Retry-After`.',
  500: 'Unexpected failure; the message carries an incident id and no internals.',
};

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: errorEnvelopeSchema } },
      },
    ]),
  );
}

interface DocumentedOperation {
  parameters?: { name?: string; in?: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

/**
 * Answers every operation can give, added to a generated document so it never under-documents: any
 * operation refuses invalid input (an unexpected query parameter or body) with 400; one that takes a body
 * refuses a non-JSON one with 415; one that takes an `Idempotency-Key` answers 409 while a duplicate runs and
 * 422 when the key is reused for another request.
 */
export function completeErrorResponses<D extends { paths?: object }>(document: D): D {
  for (const item of Object.values(document.paths ?? {}) as Record<string, unknown>[])
    for (const [method, value] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = value as DocumentedOperation;
      const statuses = [400];
      if (operation.requestBody) statuses.push(415);
      if (operation.parameters?.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'idempotency-key'))
        statuses.push(409, 422);
      operation.responses ??= {};
      // Already generated: the envelope is referenced as the component the generator made of it.
      for (const status of statuses)
        operation.responses[String(status)] ??= {
          description: ERROR_DESCRIPTIONS[status],
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
    }
  return document;
}

export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const csv = (description: string) => ({
  description,
  content: { 'text/csv': { schema: z.string() } },
});
type Security = Record<string, string[]>[];
/** A read of the account's resources: a session, or an API key with the `read` scope. */
export const SIGNED_IN: Security = [{ session: [] }, { apiKey: ['read'] }];
/** A mutation: a session, or an API key with `scope` (lib/auth/scopes.ts; enforced by lib/api/route.ts). */
export const signedIn = (scope: ApiKeyScope): Security => [{ session: [] }, { apiKey: [scope] }];
/** A mutation that accepts no credential at all, or either with the scope (quotes). */
export const optionallySignedIn = (scope: ApiKeyScope): Security => [{}, ...signedIn(scope)];

/** The two ways an account signs its requests, as `SIGNED_IN` names them; every document with account endpoints has them. */
export function registerAccountSecuritySchemes(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'bf_session',
    description:
      'Set by /api/v1/auth/verify. Mutations with the cookie must come from the dashboard origin with a JSON body.',
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key (`bfk_…`) created in the dashboard (Account → API keys). Each operation names the scope a key needs: ' +
      API_KEY_SCOPES.map((scope) => `\`${scope}\`: ${API_KEY_SCOPE_DESCRIPTIONS[scope]}`).join(' ') +
      ' Keys cannot create or revoke keys.',
  });
}
export const idempotencyHeader = (required: boolean) =>
  z.object({
    'Idempotency-Key': (required ? z.string() : z.string().optional()).meta({
      description:
        'Makes the request safe to retry: a replay returns the first answer; the same key with another body is refused (422).',
    }),
  });

export const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });
/** A request body that may be omitted (an empty body reads as `{}`). */
export const optionalBody = (schema: z.ZodType) => ({
  body: { required: false, content: { 'application/json': { schema } } },
});

/**
 * The conditional GET of a cached public read (lib/cache/public-reads.ts): send back the `ETag` of an answer
 * you hold as `If-None-Match`, and an unchanged answer is `304 Not Modified` with no body.
 */
export const conditionalGetHeaders = z.object({
  'If-None-Match': z
    .string()
    .optional()
    .meta({ description: 'ETags of answers you hold (or `*`): unchanged, the answer is 304 with no body.' }),
});

const validatorHeaders = (cacheControl: string, vary?: string) => ({
  ETag: {
    description: 'Strong entity tag of the body (the first 128 bits of its sha256).',
    schema: { type: 'string' as const },
  },
  'Cache-Control': { description: `\`${cacheControl}\``, schema: { type: 'string' as const } },
  ...(vary
    ? {
        Vary: {
          description: `\`${vary}\`: it chooses the representation.`,
          schema: { type: 'string' as const },
        },
      }
    : {}),
});

/**
 * The answers of a cached public read: its 200 (with `ETag` and `Cache-Control`) and the 304 that answers an
 * `If-None-Match` naming the current ETag.
 */
export function cachedReadResponses(
  ok: ResponseConfig,
  cacheControl: string,
  vary?: string,
): Record<200 | 304, ResponseConfig> {
  return {
    200: { ...ok, headers: validatorHeaders(cacheControl, vary) },
    304: {
      description:
        'Not Modified: the answer whose ETag the request named in `If-None-Match` is still current; no body.',
      headers: validatorHeaders(cacheControl, vary),
    },
  };
}
