import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { searchParamsToObject } from '@/lib/api/search-params';
import type { DatabaseHandle } from '@/lib/db/client';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import { offerSearchQuerySchema } from '@/lib/market/offer-schemas';
import { searchOffers } from '@/lib/market/search-offers';
import { ManualClock } from '@/lib/clock';
import { useTestServices } from '@/lib/testing/api-harness';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const noParams = { params: Promise.resolve({}) };
const get = (url: string) => new NextRequest(new URL(url, 'http://localhost'));

describe('query parsing', () => {
  it('collects repeated and comma-separated list values, keeps the last scalar, drops empties', () => {
    const params = new URLSearchParams('gpu=h100-80gb,a100-80gb&gpu=l4-24gb&limit=5&limit=7&maxPrice=');
    expect(searchParamsToObject(params, offerSearchQuerySchema)).toEqual({
      gpu: ['h100-80gb', 'a100-80gb', 'l4-24gb'],
      limit: '7',
    });
  });
});

describe('the route wrapper', () => {
  let handle: DatabaseHandle;
  const search = apiRoute({
    query: offerSearchQuerySchema,
    handler: ({ query }) => searchOffers(handle.db, query),
  });

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock: new ManualClock('2026-11-01T00:00:00Z') });
    await seedDemoNetwork(handle.db, { seed: 3, nodeCount: 60, now: new Date('2026-11-01T00:00:00Z') });
  });
  afterAll(() => handle.close());

  it('answers a page of offers as JSON', async () => {
    const response = await search(get('/api/v1/offers?gpu=rtx-4090-24gb&limit=3'), noParams);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{2}$/);
    const body = (await response.json()) as { data: { gpuModel: string }[]; nextCursor: string | null };
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((o) => o.gpuModel === 'rtx-4090-24gb')).toBe(true);
  });

  it('answers 400 naming every offending field, including unknown parameters', async () => {
    const response = await search(
      get('/api/v1/offers?minGpus=0&maxPrice=cheap&sort=fastest&gpu=h100-80gb,tpu-v5&colour=red'),
      noParams,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; message: string; fields: { field: string }[] };
    };
    expect(body.error.code).toBe('bad_request');
    const fields = body.error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['minGpus', 'maxPrice', 'sort', 'gpu.1', 'colour']));
    for (const field of ['minGpus', 'maxPrice', 'sort', 'colour'])
      expect(body.error.message).toContain(field);
  });

  it('validates path parameters and maps AppError to its status', async () => {
    const route = apiRoute({
      params: z.strictObject({ id: z.uuid() }),
      handler: async ({ params }) => {
        throw new AppError('not_found', `No node with id ${params.id}.`);
      },
    });
    const bad = await route(get('/x'), { params: Promise.resolve({ id: 'nope' }) });
    expect(bad.status).toBe(400);
    const missing = await route(get('/x'), {
      params: Promise.resolve({ id: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'not_found', message: 'No node with id 00000000-0000-4000-8000-000000000000.' },
    });
  });

  it('answers unexpected failures with a generic 500 that leaks nothing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const route = apiRoute({
      handler: async () => {
        throw new Error('connection to 10.0.0.5:5432 refused; password=hunter2');
      },
    });
    const response = await route(get('/x'), noParams);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('5432');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
