import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as registerRoute } from '@/app/api/v1/agent/register/route';
import { DELETE as revokeKeyRoute } from '@/app/api/v1/api-keys/[id]/route';
import { POST as createKeyRoute } from '@/app/api/v1/api-keys/route';
import { POST as nonceRoute } from '@/app/api/v1/auth/nonce/route';
import { POST as verifyRoute } from '@/app/api/v1/auth/verify/route';
import { POST as filesRoute } from '@/app/api/v1/files/route';
import { POST as cancelRoute } from '@/app/api/v1/jobs/[id]/cancel/route';
import { POST as jobsRoute } from '@/app/api/v1/jobs/route';
import { POST as registrationTokensRoute } from '@/app/api/v1/nodes/registration-tokens/route';
import { POST as payoutsRoute } from '@/app/api/v1/payouts/route';
import { GET as earningsExportRoute } from '@/app/api/v1/supplier/earnings/export/route';
import { GET as earningsRoute } from '@/app/api/v1/supplier/earnings/route';
import { GET as payoutsExportRoute } from '@/app/api/v1/supplier/payouts/export/route';
import { provideServiceContext } from '@/lib/api/context';
import { apiRoute } from '@/lib/api/route';
import { issueRegistrationToken } from '@/lib/agent/register';
import { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle } from '@/lib/db/client';
import { auditLedger } from '@/lib/ledger/operations';
import { call, signInThroughApi, useTestServices, type CallOptions } from '@/lib/testing/api-harness';
import { testSpec } from '@/lib/testing/orchestration-fixture';
import { createTestDb, TEST_ENGINES } from '@/lib/testing/test-db';

/**
 * One regression test per class of input an outside probe broke (docs/security.md lists the mechanisms). Each
 * request must be refused with a 400 naming the field, and must change nothing in the database.
 */

type Handler = Parameters<typeof call>[0];

async function rowCounts(handle: DatabaseHandle): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    handle.db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`,
  );
  const counts: Record<string, number> = {};
  // Rate-limit buckets count every attempt, refused or not, before the body is read: that is their job.
  for (const { name } of tables.filter((t) => t.name !== 'rate_limit_buckets')) {
    const [row] = await queryRows<{ n: number }>(
      handle.db,
      sql.raw(`select count(*)::int as n from "${name}"`),
    );
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

describe.each(TEST_ENGINES)('hardening regressions on %s', (engine) => {
  let handle: DatabaseHandle;
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  let session: string;
  let jobId: string;

  beforeAll(async () => {
    handle = await createTestDb(engine);
    useTestServices({ db: handle.db, clock });
    ({ token: session } = await signInThroughApi({ nonce: nonceRoute, verify: verifyRoute }));
    const launched = await call(jobsRoute, '/api/v1/jobs', {
      method: 'POST',
      session,
      headers: { 'idempotency-key': 'hardening-launch' },
      body: testSpec({ budgetMicros: '1000000' }),
    });
    // No balance: the launch is refused, so cancel below runs against an id that exists nowhere.
    jobId = launched.status === 201 ? ((await launched.json()) as { id: string }).id : crypto.randomUUID();
  });
  afterAll(async () => {
    provideServiceContext(null);
    await handle?.close();
  });

  /** Sends the request and checks: a 400 with the error envelope naming `field`, and no change at all. */
  async function refused(handler: Handler, path: string, options: CallOptions, field: RegExp) {
    const before = { rows: await rowCounts(handle), audit: await auditLedger(handle.db) };
    const response = await call(handler, path, options);
    const body = (await response.json()) as { error?: { code: string; fields?: { field: string }[] } };
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.error?.code).toBe('bad_request');
    expect(body.error?.fields?.map((f) => f.field).join(' ')).toMatch(field);
    const after = { rows: await rowCounts(handle), audit: await auditLedger(handle.db) };
    expect(Object.entries(after.rows).filter(([t, n]) => before.rows[t] !== n)).toEqual([]);
    expect(after).toEqual(before);
    return body;
  }

  describe('probe class 1: NUL and unpaired surrogates are refused as a 400 naming the field', () => {
    it('in API-key names, job names, env values, command arguments and node names', async () => {
      await refused(
        createKeyRoute,
        '/api/v1/api-keys',
        { method: 'POST', session, body: { name: 'laptop\u0000' } },
        /name/,
      );
      await refused(
        createKeyRoute,
        '/api/v1/api-keys',
        { method: 'POST', session, body: { name: 'bidi \u202Egnp.exe' } },
        /name/,
      );
      const launch = (spec: Record<string, unknown>) => ({
        method: 'POST',
        session,
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: { ...testSpec(), ...spec },
      });
      await refused(jobsRoute, '/api/v1/jobs', launch({ name: 'job\u0000' }), /name/);
      await refused(jobsRoute, '/api/v1/jobs', launch({ env: { TOKEN: 'a\u0000b' } }), /env\.TOKEN/);
      await refused(jobsRoute, '/api/v1/jobs', launch({ command: ['run', 'x\uD800'] }), /command\.1/);
      const supplier = (await queryRows<{ id: string }>(handle.db, sql`select id from accounts limit 1`))[0];
      const { registrationToken } = await issueRegistrationToken(handle.db, clock, supplier?.id ?? '');
      await refused(
        registerRoute,
        '/api/v1/agent/register',
        {
          method: 'POST',
          origin: null,
          body: {
            registrationToken,
            name: 'box\u0000',
            region: 'eu-west',
            pricePerGpuHourMicros: '450000',
            gpus: [{ index: 0, model: 'rtx-4090-24gb', vramGb: 24, serial: 'GPU-1' }],
            cpuCores: 8,
            ramGb: 32,
            diskGb: 500,
            bandwidthMbps: 1000,
            cudaVersion: '12.4',
          },
        },
        /name/,
      );
    });
  });

  describe('probe class 1 for stored files: a name is a relative path that stays in its directory', () => {
    it('refuses NUL, climbing out, absolute and hidden names, and a digest that is not lowercase hex', async () => {
      const file = (body: Record<string, unknown>) => ({
        method: 'POST',
        session,
        body: { name: 'scene.json', sizeBytes: 2, sha256: 'a'.repeat(64), ...body },
      });
      for (const name of [
        'scene\u0000.json',
        'x\uD800',
        '../../etc/passwd',
        'frames/../../x',
        '/etc/passwd',
        '.env',
        '',
      ])
        await refused(filesRoute, '/api/v1/files', file({ name }), /^name$/);
      await refused(filesRoute, '/api/v1/files', file({ sha256: 'A'.repeat(64) }), /^sha256$/);
      await refused(filesRoute, '/api/v1/files', file({ sizeBytes: -1 }), /^sizeBytes$/);
    });
  });

  describe('probe class 3: bodies must be what the endpoint documents', () => {
    it('a JSON null, an array or a scalar is never read as {} (a payout of everything)', async () => {
      for (const raw of ['null', '[]', '"all"', '7'])
        await refused(
          payoutsRoute,
          '/api/v1/payouts',
          { method: 'POST', session, rawBody: raw, headers: { 'idempotency-key': crypto.randomUUID() } },
          /body/,
        );
    });

    it('an endpoint without a body refuses one, and an empty-object endpoint refuses anything else', async () => {
      const bodyless = apiRoute({ handler: async () => ({ ok: true }) });
      await refused(bodyless, '/api/v1/bodyless', { method: 'POST', body: {} }, /body/);
      expect((await call(bodyless, '/api/v1/bodyless', { method: 'POST' })).status).toBe(200);
      const id = crypto.randomUUID();
      await refused(
        revokeKeyRoute,
        `/api/v1/api-keys/${id}`,
        { method: 'DELETE', session, params: { id }, body: { revoke: true } },
        /revoke/,
      );
      for (const raw of ['null', '[1]', '"token"', '{"unknown":1}', '{"__proto__":{"admin":true}}'])
        await refused(
          registrationTokensRoute,
          '/api/v1/nodes/registration-tokens',
          { method: 'POST', session, rawBody: raw },
          /body|unknown/,
        );
      // What the documentation says still works: nothing, or {}.
      for (const raw of [undefined, '{}']) {
        const ok = await call(registrationTokensRoute, '/api/v1/nodes/registration-tokens', {
          method: 'POST',
          session,
          ...(raw === undefined ? {} : { rawBody: raw }),
        });
        expect(ok.status).toBe(201);
      }
    });

    it('a body over the size limit is refused from its declared length, before it is read', async () => {
      await refused(
        createKeyRoute,
        '/api/v1/api-keys',
        { method: 'POST', session, rawBody: JSON.stringify({ name: 'x'.repeat(70 * 1024) }) },
        /body/,
      );
    });
  });

  describe('probe class 4: extreme dates are a 400, and a refused export sends no first byte', () => {
    it('on supplier earnings and both CSV exports', async () => {
      for (const [handler, path] of [
        [earningsRoute, '/api/v1/supplier/earnings'],
        [earningsExportRoute, '/api/v1/supplier/earnings/export'],
        [payoutsExportRoute, '/api/v1/supplier/payouts/export'],
      ] as const) {
        for (const query of [
          'to=9999-12-31',
          'from=0001-01-01&to=0001-01-10',
          'to=2026-02-30',
          'from=+275760-09-13',
        ])
          await refused(handler, `${path}?${query}`, { session }, /from|to/);
      }
      const ok = await call(
        earningsExportRoute,
        '/api/v1/supplier/earnings/export?from=2099-12-01&to=2099-12-31',
        {
          session,
        },
      );
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/^\S/);
    });
  });

  describe('probe class 5: deeply nested bodies are refused before anything reads them', () => {
    it('a 5,000-deep body on cancel (with an Idempotency-Key) is a 400', async () => {
      const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
      await refused(
        cancelRoute,
        `/api/v1/jobs/${jobId}/cancel`,
        {
          method: 'POST',
          session,
          params: { id: jobId },
          rawBody: deep,
          headers: { 'idempotency-key': 'deep-cancel' },
        },
        /body/,
      );
      const deepObject = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
      await refused(
        cancelRoute,
        `/api/v1/jobs/${jobId}/cancel`,
        { method: 'POST', session, params: { id: jobId }, rawBody: deepObject },
        /body/,
      );
    });
  });
});
