import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { provideServiceContext } from '@/lib/api/context';
import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { useTestServices } from '@/lib/testing/api-harness';
import { createCustomer } from '@/lib/testing/orchestration-fixture';
import { createTestDb } from '@/lib/testing/test-db';
import { createSnapshotter, type Snapshotter } from '@/lib/api/fuzz/database-snapshot';
import { runCase } from '@/lib/api/fuzz/fuzz-check';
import { materialize, type ConcreteRequest } from '@/lib/api/fuzz/fuzz-request';
import type { FuzzWorld } from '@/lib/api/fuzz/fuzz-world';
import { JsonEntries, RawJson } from '@/lib/api/fuzz/json-text';
import type { FuzzOperation } from '@/lib/api/fuzz/operations';
import { schemaResolver, schemaViolations, type JsonSchema } from '@/lib/api/fuzz/schema-check';

/** The fuzz suite is only as good as its checks: each failure class must be caught, a clean refusal not. */

const resolve = schemaResolver({
  Thing: {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 8 }, count: { type: 'integer', minimum: 1 } },
    required: ['name'],
    additionalProperties: false,
  },
});
const envelope: Record<string, JsonSchema> = { 'application/json': {} };
const op: FuzzOperation = {
  id: 'createThing',
  method: 'POST',
  path: '/api/v1/things',
  credential: 'public',
  parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 10 } }],
  body: { $ref: '#/components/schemas/Thing' },
  responses: new Map<number, Map<string, JsonSchema>>([
    [
      201,
      new Map([
        [
          'application/json',
          { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        ],
      ]),
    ],
    [400, new Map(Object.entries(envelope))],
    [500, new Map(Object.entries(envelope))],
  ]),
};
const request = (overrides: Partial<ConcreteRequest> = {}): ConcreteRequest => ({
  method: 'POST',
  url: '/api/v1/things',
  params: {},
  rawBody: '{"name":"thing"}',
  headers: {},
  session: undefined,
  bearer: undefined,
  idempotencyKey: null,
  mustRefuse: [],
  ...overrides,
});

describe('fuzz checks', () => {
  let handle: DatabaseHandle;
  let snapshots: Snapshotter;
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  const log: string[] = [];

  beforeAll(async () => {
    handle = await createTestDb('pglite');
    useTestServices({ db: handle.db, clock });
    snapshots = await createSnapshotter(handle.db);
  });
  afterAll(async () => {
    provideServiceContext(null);
    await handle.close();
  });

  const world = () => ({
    snapshot: () => snapshots.snapshot(),
    idempotencyStatus: () => Promise.resolve(undefined),
  });
  const kinds = async (handler: ReturnType<typeof apiRoute>, r = request()) =>
    (await runCase(world(), op, handler, r, resolve, log)).violations.map((v) => v.kind);

  it('passes a clean refusal and a clean success', async () => {
    const refuse = apiRoute({
      body: z.strictObject({ name: z.string().max(8) }),
      handler: async () => {
        throw new AppError('bad_request', 'no');
      },
    });
    expect(await kinds(refuse)).toEqual([]);
    const create = apiRoute({
      body: z.strictObject({ name: z.string() }),
      status: 201,
      handler: async ({ body }) => ({ name: body.name }),
    });
    expect(await kinds(create)).toEqual([]);
  });

  it('catches a 500, with the cause the server logged', async () => {
    const crash = apiRoute({
      handler: async () => {
        console.error('[test] boom');
        throw new Error('boom');
      },
    });
    log.length = 0;
    const originalError = console.error;
    console.error = (...args: unknown[]) => log.push(args.map(String).join(' '));
    try {
      const result = await runCase(world(), op, crash, request({ rawBody: undefined }), resolve, log);
      expect(result.violations.map((v) => v.kind)).toContain('5xx');
      expect(result.serverLog).toContain('boom');
    } finally {
      console.error = originalError;
    }
  });

  it('catches a refused request that wrote to the database', async () => {
    const customer = await createCustomer(handle.db, clock, 1n);
    const writeThenRefuse = apiRoute({
      handler: async ({ ctx }) => {
        await ctx.db.execute(sql`update accounts set display_name = 'changed' where id = ${customer}`);
        throw new AppError('bad_request', 'refused, but too late');
      },
    });
    expect(await kinds(writeThenRefuse, request({ rawBody: undefined }))).toContain('db-changed');
  });

  it('catches an accepted invalid request, an undocumented status, a bad envelope and a wrong success body', async () => {
    const anything = apiRoute({ body: z.unknown(), status: 201, handler: async () => ({ name: 'ok' }) });
    expect(await kinds(anything, request({ mustRefuse: ['body $.name: longer than 8'] }))).toContain(
      'accepted-invalid',
    );
    const teapot = apiRoute({ handler: async () => new Response('{"oops":1}', { status: 418 }) });
    expect(await kinds(teapot, request({ rawBody: undefined }))).toEqual(
      expect.arrayContaining(['undocumented-status', 'error-shape']),
    );
    const wrongShape = apiRoute({ body: z.unknown(), status: 201, handler: async () => ({ name: 7 }) });
    expect(await kinds(wrongShape)).toContain('response-schema');
    const truncate = apiRoute({
      body: z.strictObject({ name: z.string() }),
      status: 201,
      handler: async ({ body }) => ({ name: body.name.slice(0, 2) }),
    });
    expect(await kinds(truncate)).toContain('round-trip');
  });

  it('says what the document refuses: types, bounds, unknown and prototype keys, bad JSON, query values', async () => {
    const thing = { $ref: '#/components/schemas/Thing' };
    expect(schemaViolations(thing, { name: 'ok' }, resolve)).toEqual([]);
    expect(schemaViolations(thing, { name: '😀'.repeat(8) }, resolve)).toEqual([]);
    expect(schemaViolations(thing, null, resolve)).not.toEqual([]);
    expect(schemaViolations(thing, { name: 'ok', count: 1.5 }, resolve)).not.toEqual([]);
    expect(schemaViolations(thing, JSON.parse('{"name":"ok","__proto__":{}}'), resolve)).not.toEqual([]);

    const fake = {
      baseline: async () => ({ name: 'ok' }),
      validTarget: () => '',
      freshIdempotencyKey: () => 'fuzz-key-1',
      sessionFor: async () => 'session',
      apiKey: 'key',
      node: { id: '', token: '' },
    } as unknown as FuzzWorld;
    const make = (recipe: Partial<Parameters<typeof materialize>[2]>) =>
      materialize(
        fake,
        op,
        {
          target: null,
          query: { pairs: [], suffix: '' },
          body: { kind: 'baseline' },
          idempotency: null,
          as: 'anonymous',
          ...recipe,
        },
        resolve,
        undefined,
      );
    expect((await make({})).mustRefuse).toEqual([]);
    expect((await make({ body: { kind: 'whole', value: null } })).mustRefuse).not.toEqual([]);
    expect((await make({ body: { kind: 'text', text: '{"name":' } })).mustRefuse).toContain(
      'the body is not JSON',
    );
    expect((await make({ body: { kind: 'text', text: '\uFEFF{"name":"ok"}' } })).mustRefuse).toEqual([]);
    const proto = await make({
      body: { kind: 'extraKeys', at: [], entries: [['__proto__', { admin: true }]] },
    });
    expect(proto.rawBody).toBe('{"name":"ok","__proto__":{"admin":true}}');
    expect(proto.mustRefuse).not.toEqual([]);
    const raw = await make({
      body: { kind: 'edit', edits: [{ path: ['count'], value: new RawJson('1e400') }] },
    });
    expect(raw.rawBody).toBe('{"name":"ok","count":1e400}');
    expect(raw.mustRefuse).not.toEqual([]);
    const twice = await make({
      body: {
        kind: 'whole',
        value: new JsonEntries([
          ['name', 'a'],
          ['name', 'b'],
        ]),
      },
    });
    expect(twice.rawBody).toBe('{"name":"a","name":"b"}');
    expect((await make({ query: { pairs: [['limit', '1e1']], suffix: '' } })).mustRefuse).toEqual([]);
    expect((await make({ query: { pairs: [['limit', '11']], suffix: '' } })).mustRefuse).not.toEqual([]);
    expect((await make({ query: { pairs: [['__proto__', '1']], suffix: '' } })).mustRefuse).not.toEqual([]);
  });
});
