import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { operationsOf, schemaLabel, schemasOf } from '@/lib/api/openapi-view';
import { discoverApiRoutes } from '@/lib/testing/api-routes';

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('validates as OpenAPI 3.1', async () => {
    const result = await new Validator().validate(
      document as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every method of every API route file, and nothing that does not exist', async () => {
    const implemented = (await discoverApiRoutes())
      .filter((r) => r.path !== '/api/v1/openapi.json')
      .map((r) => `${r.method} ${r.path}`);
    const documented = operationsOf(document as unknown as Record<string, unknown>).map(
      (o) => `${o.method} ${o.path}`,
    );
    expect(implemented.length).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...implemented].sort());
  });

  it('describes each filter and sort of the offer search, and the error envelope', () => {
    const operations = operationsOf(document as unknown as Record<string, unknown>);
    const search = operations[0];
    expect(search?.parameters.map((p) => p.name)).toEqual([
      'gpu',
      'minGpus',
      'minVram',
      'region',
      'maxPrice',
      'minReliability',
      'verified',
      'verifiedWithin',
      'interconnect',
      'minBandwidth',
      'sort',
      'order',
      'cursor',
      'limit',
    ]);
    expect(search?.parameters.find((p) => p.name === 'sort')?.type).toBe(
      '"price" | "price_per_work" | "reliability" | "vram" | "free_gpus"',
    );
    expect(search?.responses.find((r) => r.status === '400')?.type).toBe('Error');
    const schemas = schemasOf(document as unknown as Record<string, unknown>).map((s) => s.name);
    expect(schemas).toEqual(
      expect.arrayContaining(['Offer', 'OfferPage', 'OfferSummary', 'NodeDetail', 'Error']),
    );
  });

  it('labels schema shapes readably', () => {
    expect(schemaLabel({ type: 'array', items: { $ref: '#/components/schemas/Offer' } })).toBe('Offer[]');
    expect(schemaLabel({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaLabel({ type: 'string', format: 'uuid' })).toBe('string (uuid)');
  });
});
