import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { accessOf, examplesOf, sampleOf } from '@/lib/api/openapi-examples';
import { createApiKeyRequestSchema } from '@/lib/auth/schemas';
import { createFileRequestSchema } from '@/lib/files/schemas';
import { jobSpecSchema, quoteRequestSchema } from '@/lib/jobs/schemas';
import { requestWithdrawalSchema } from '@/lib/payouts/schemas';

type Json = Record<string, unknown>;
const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as Json;
const paths = document.paths as Record<string, Record<string, Json>>;
const operation = (method: string, path: string) => paths[path]?.[method] as Json;
const examples = (method: string, path: string) =>
  examplesOf(document, method, path, operation(method, path));

describe('API reference examples', () => {
  it('every operation has a curl, a TypeScript and a Python example', () => {
    for (const [path, item] of Object.entries(paths))
      for (const [method, op] of Object.entries(item)) {
        const { curl, typescript, python } = examplesOf(document, method, path, op);
        expect(curl, `${method} ${path}`).toContain(
          path.replace(/\{(\w+)\}/g, (_, n: string) => `$${n.toUpperCase()}`),
        );
        expect(typescript).toContain(`api.${method.toUpperCase()}('${path}'`);
        expect(python).toContain(`client.request("${method.toUpperCase()}"`);
      }
  });

  it('sends the credential the operation needs, and none to a public one', () => {
    expect(examples('get', '/api/v1/offers').curl).toBe('curl "$BACKFILL_API_URL/api/v1/offers"');
    expect(examples('get', '/api/v1/jobs/{id}').curl).toBe(
      'curl "$BACKFILL_API_URL/api/v1/jobs/$ID" \\\n  -H "Authorization: Bearer $BACKFILL_API_KEY"',
    );
    expect(examples('post', '/api/v1/agent/heartbeat').curl).toContain('Bearer $BACKFILL_NODE_TOKEN');
    expect(examples('post', '/api/v1/api-keys').curl).not.toContain('Authorization');
    expect(accessOf(operation('post', '/api/v1/jobs'))).toEqual({ kind: 'key', scope: 'jobs' });
    expect(accessOf(operation('post', '/api/v1/withdrawals'))).toEqual({ kind: 'key', scope: 'billing' });
    expect(accessOf(operation('post', '/api/v1/api-keys'))).toEqual({ kind: 'session' });
    expect(accessOf(operation('post', '/api/v1/quotes'))).toEqual({ kind: 'public' });
  });

  it('a launch sends a fresh idempotency key in every language', () => {
    const launch = examples('post', '/api/v1/jobs');
    expect(launch.curl).toContain('-H "Idempotency-Key: $(uuidgen)"');
    expect(launch.typescript).toContain("'Idempotency-Key': crypto.randomUUID()");
    expect(launch.python).toContain('"Idempotency-Key": str(uuid.uuid4())');
    expect(launch.python.split('\n')[0]).toBe('import os, uuid');
  });

  it('request bodies are valid requests: the API accepts what the reference shows', () => {
    const bodies: [string, string, z.ZodType][] = [
      ['post', '/api/v1/jobs', jobSpecSchema],
      ['post', '/api/v1/quotes', quoteRequestSchema],
      ['post', '/api/v1/files', createFileRequestSchema],
      ['post', '/api/v1/api-keys', createApiKeyRequestSchema],
      ['post', '/api/v1/withdrawals', requestWithdrawalSchema],
    ];
    for (const [method, path, schema] of bodies) {
      const curl = examples(method, path).curl;
      const body = /-d '(.*)'$/s.exec(curl)?.[1] ?? '';
      const parsed = schema.safeParse(JSON.parse(body.replace(/'\\''/g, "'")));
      expect(parsed.success, `${method} ${path}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('makes a value from the types where the schema has no example', () => {
    const schema = {
      type: 'object',
      required: ['id', 'count', 'tags', 'kind', 'when'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        count: { type: 'integer', minimum: 3 },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        kind: { anyOf: [{ type: 'null' }, { enum: ['a', 'b'] }] },
        when: { type: 'string', format: 'date-time' },
        optional: { type: 'string' },
      },
    };
    expect(sampleOf({}, schema)).toEqual({
      id: '7d1f7f1e-3c4b-4a8e-9b61-2f0c5d9e8a41',
      count: 3,
      tags: ['<tags>'],
      kind: 'a',
      when: '2026-12-01T00:00:00.000Z',
    });
  });
});
