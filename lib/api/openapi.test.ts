import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { SIGNED_IN, signedIn } from '@/lib/api/openapi-helpers';
import { SIMULATION_OPENAPI_PATH, buildSimulationOpenApiDocument } from '@/lib/api/openapi-simulation';
import { operationsOf, schemaLabel, schemasOf } from '@/lib/api/openapi-view';
import { discoverApiRoutes } from '@/lib/testing/api-routes';

/** The demo's simulation controls: documented in their own document, never in the public reference. */
const SIMULATION_PREFIX = '/api/v1/simulation/';
const DOCUMENTS = new Set(['/api/v1/openapi.json', SIMULATION_OPENAPI_PATH]);

async function validate(document: unknown) {
  const result = await new Validator().validate(document as Parameters<Validator['validate']>[0]);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
}

const documentedIn = (document: unknown) =>
  operationsOf(document as Record<string, unknown>).map((o) => `${o.method} ${o.path}`);

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();
  const simulation = buildSimulationOpenApiDocument();

  it('validates as OpenAPI 3.1', async () => {
    await validate(document);
  });

  it('documents every method of every API route file, and nothing that does not exist', async () => {
    const implemented = (await discoverApiRoutes())
      .filter((r) => !DOCUMENTS.has(r.path) && !r.path.startsWith(SIMULATION_PREFIX))
      .map((r) => `${r.method} ${r.path}`);
    const documented = documentedIn(document);
    expect(implemented.length).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...implemented].sort());
  });

  it('leaves the simulation controls out of the public reference (probe class 8)', () => {
    const text = JSON.stringify(document);
    expect(documentedIn(document).filter((o) => o.includes('/simulation/'))).toEqual([]);
    expect(text).not.toContain('/api/v1/simulation/');
    expect(text).not.toContain('simulateHostFailure');
    expect(text).not.toContain('Simulation');
  });

  it('describes the simulation controls in their own labelled document, every route of them (probe class 8)', async () => {
    await validate(simulation);
    const implemented = (await discoverApiRoutes())
      .filter((r) => !DOCUMENTS.has(r.path) && r.path.startsWith(SIMULATION_PREFIX))
      .map((r) => `${r.method} ${r.path}`);
    expect(implemented).toContain('POST /api/v1/simulation/nodes/{id}/kill');
    expect([...documentedIn(simulation)].sort()).toEqual([...implemented].sort());
    expect(simulation.info.title).toMatch(/simulation/i);
    expect(simulation.info.description).toMatch(/^NOT PART OF THE BACKFILL MARKETPLACE API/);
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
      'minCpuCores',
      'minRam',
      'minDisk',
      'minCuda',
      'sort',
      'order',
      'cursor',
      'limit',
      'If-None-Match',
    ]);
    expect(search?.parameters.find((p) => p.name === 'sort')?.type).toBe(
      '"price" | "price_per_work" | "reliability" | "vram" | "free_gpus" | "bandwidth" | "cpu_cores" | "ram" | "disk" | "cuda"',
    );
    expect(search?.responses.find((r) => r.status === '400')?.type).toBe('Error');
    const schemas = schemasOf(document as unknown as Record<string, unknown>).map((s) => s.name);
    expect(schemas).toEqual(
      expect.arrayContaining(['Offer', 'OfferPage', 'OfferSummary', 'NodeDetail', 'Error']),
    );
  });

  it('documents who may call the file routes: owners signed in, agents by node token, stored objects by signature', () => {
    const paths = (document as unknown as { paths: Record<string, Record<string, { security?: unknown }>> })
      .paths;
    const security = (method: string, path: string) => paths[path]?.[method]?.security;
    for (const [method, path] of [
      ['get', '/api/v1/files'],
      ['get', '/api/v1/files/{id}'],
      ['get', '/api/v1/files/{id}/download'],
    ] as const)
      expect(security(method, path), `${method} ${path}`).toEqual(SIGNED_IN);
    for (const [method, path] of [
      ['post', '/api/v1/files'],
      ['delete', '/api/v1/files/{id}'],
      ['post', '/api/v1/files/{id}/complete'],
    ] as const)
      expect(security(method, path), `${method} ${path}`).toEqual(signedIn('jobs'));
    const node = security('post', '/api/v1/agent/heartbeat');
    expect(node).toEqual([{ nodeToken: [] }]);
    expect(security('post', '/api/v1/agent/uploads')).toEqual(node);
    expect(security('post', '/api/v1/agent/uploads/{id}/complete')).toEqual(node);
    // The signature in the query is the whole authorization: no session, key or token is asked for.
    expect(security('get', '/api/v1/storage/objects/{key}')).toBeUndefined();
    expect(security('put', '/api/v1/storage/objects/{key}')).toBeUndefined();
    expect((document as { security?: unknown }).security).toBeUndefined();
    const operations = operationsOf(document as unknown as Record<string, unknown>);
    const upload = operations.find((o) => o.id === 'agentCreateUpload');
    expect(upload?.responses.map((r) => r.status)).toEqual(
      expect.arrayContaining(['201', '401', '404', '409']),
    );
    const schemas = schemasOf(document as unknown as Record<string, unknown>).map((s) => s.name);
    expect(schemas).toEqual(
      expect.arrayContaining(['StoredFile', 'SignedTransfer', 'AgentUploadRequest', 'AgentAssignmentInput']),
    );
  });

  it('documents the cached public reads: If-None-Match in, ETag and Cache-Control out, 304 when unchanged', () => {
    const paths = (
      document as unknown as {
        paths: Record<
          string,
          Record<
            string,
            {
              parameters?: { name: string; in: string }[];
              responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }>;
            }
          >
        >;
      }
    ).paths;
    for (const path of [
      '/api/v1/offers',
      '/api/v1/offers/summary',
      '/api/v1/metrics',
      '/api/v1/metrics/{metric}',
    ]) {
      const get = paths[path]?.get;
      expect(get?.parameters, path).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]),
      );
      expect(Object.keys(get?.responses['200']?.headers ?? {}), path).toEqual(
        expect.arrayContaining(['ETag', 'Cache-Control']),
      );
      expect(get?.responses['304']?.headers, path).toHaveProperty('ETag');
      expect(get?.responses['304']?.content, path).toBeUndefined();
    }
    expect(paths['/api/v1/metrics/{metric}']?.get?.responses['200']?.headers).toHaveProperty('Vary');
  });

  it('labels schema shapes readably', () => {
    expect(schemaLabel({ type: 'array', items: { $ref: '#/components/schemas/Offer' } })).toBe('Offer[]');
    expect(schemaLabel({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaLabel({ type: 'string', format: 'uuid' })).toBe('string (uuid)');
  });
});
