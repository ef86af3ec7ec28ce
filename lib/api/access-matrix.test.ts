import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provideServiceContext } from '@/lib/api/context';
import { ManualClock } from '@/lib/clock';
import { queryRows, type DatabaseHandle } from '@/lib/db/client';
import { startTestChain, type TestChain } from '@/lib/testing/test-chain';
import { creditDeposit, placeHold, captureHold } from '@/lib/ledger/operations';
import { discoverApiRoutes, type DiscoveredRoute } from '@/lib/testing/api-routes';
import { call, signInThroughApi, useTestServices, type CallOptions } from '@/lib/testing/api-harness';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { createAccount, createNode, TEST_ORCHESTRATION, testSpec } from '@/lib/testing/orchestration-fixture';
import { orchestrationTick } from '@/lib/worker/background-loops';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { buildSimulationOpenApiDocument } from '@/lib/api/openapi-simulation';
import { routeAccess } from '@/lib/api/route';
import { createApiKey } from '@/lib/auth/api-keys';
import { API_KEY_SCOPES, type ApiKeyScope } from '@/lib/auth/scopes';

type Route = DiscoveredRoute;

/** Anyone may call these; every other route needs a signed-in account or an API key. */
const PUBLIC = new Set([
  'GET /api/v1/offers',
  'GET /api/v1/offers/summary',
  'GET /api/v1/nodes/{id}',
  'GET /api/v1/openapi.json',
  'GET /api/v1/simulation/openapi.json',
  'GET /api/v1/chain',
  'POST /api/v1/chain/rpc',
  'POST /api/v1/auth/nonce',
  'POST /api/v1/auth/verify',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/logout',
  'POST /api/v1/quotes',
  'GET /api/v1/receipts/signer',
  'POST /api/v1/agent/register',
  'GET /api/v1/agent/release',
  'GET /api/v1/metrics',
  'GET /api/v1/metrics/{metric}',
  'GET /api/v1/metrics/chain-reconciliation',
  'GET /api/v1/metrics/exports',
  'GET /api/v1/metrics/exports/{day}',
  'GET /api/v1/metrics/history',
  'GET /api/v1/health/live',
  'GET /api/v1/health/ready',
  ...SIGNED_URL_ROUTES(),
]);

/**
 * The embedded store's signed URLs: no session, key or token, but public only by signature — the query names
 * one method on one object until it expires, and nothing else is served.
 */
function SIGNED_URL_ROUTES(): string[] {
  return ['GET /api/v1/storage/objects/{key}', 'PUT /api/v1/storage/objects/{key}'];
}

/**
 * Agent endpoints never read the session cookie (node and registration tokens only), so the Origin check
 * does not apply to them; a session cookie must simply not authenticate anything there.
 */
const COOKIELESS = new Set([
  'POST /api/v1/agent/register',
  'POST /api/v1/agent/heartbeat',
  'POST /api/v1/agent/uploads',
  'POST /api/v1/agent/uploads/{id}/complete',
]);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SCENE = '{"frames": 24}';

/** A body each mutation accepts, so the matrix reaches the ownership check rather than validation. */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/deposits': { chainId: 31337, txHash: `0x${'ab'.repeat(32)}` },
  'POST /api/v1/payouts': {},
  'POST /api/v1/withdrawals': { amountMicros: '1000000' },
  'POST /api/v1/api-keys': { name: 'matrix', scopes: ['read', 'jobs', 'supplier', 'billing'] },
  'PATCH /api/v1/account/settings': { lowBalanceThresholdMicros: null },
  'POST /api/v1/auth/verify': { message: 'x', signature: '0x00' },
  'POST /api/v1/chain/rpc': { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
  'POST /api/v1/quotes': testSpec(),
  'POST /api/v1/jobs': testSpec(),
  'PATCH /api/v1/nodes/{id}': { pricePerGpuHourMicros: '450000' },
  'POST /api/v1/files': { name: 'matrix.json', sizeBytes: 2, sha256: sha256('{}') },
  // The agent upload routes' bodies name Alice's lease; they are filled in once it exists.
};

describe('access matrix over every API route', () => {
  let handle: DatabaseHandle;
  let chain: TestChain;
  let routes: Route[];
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  /** Account A's resources, by the path segment of the route that serves them. */
  const owned: Record<string, string> = {};
  let alice: { token: string; accountId: string };
  let bob: { token: string; accountId: string };
  let bobKey: string;
  /** Another supplier's node: it holds no lease of Alice's. */
  let bobNode: { id: string; token: string };

  const request = (route: Route, options: CallOptions & { id?: string } = {}) => {
    const id = options.id ?? '00000000-0000-4000-8000-000000000000';
    // A statement's month: any well-formed one (the access rules do not depend on it).
    const month = '2026-11';
    const url = route.path.replace('{id}', id).replace('{month}', month);
    const key = `${route.method} ${route.path}`;
    return call(route.handler, url, {
      method: route.method,
      params: {
        ...(route.path.includes('{id}') ? { id } : {}),
        ...(route.path.includes('{month}') ? { month } : {}),
      },
      ...(route.method === 'GET' ? {} : { body: BODIES[key] ?? {} }),
      headers: { 'idempotency-key': `matrix-${Math.random().toString(36).slice(2, 12)}` },
      ...options,
    });
  };

  beforeAll(async () => {
    [handle, chain, routes] = await Promise.all([
      createPgliteTestDb(),
      startTestChain({ confirmations: 1 }),
      discoverApiRoutes(),
    ]);
    useTestServices({ db: handle.db, clock, chain: chain.config, chainClient: chain.client });
    const signIn = {
      nonce: route('POST', '/api/v1/auth/nonce').handler,
      verify: route('POST', '/api/v1/auth/verify').handler,
    };
    const aliceWallet = await chain.fundedWallet(500_000_000n);
    alice = await signInThroughApi(signIn, aliceWallet);
    bob = await signInThroughApi(signIn);

    // Alice deposits on-chain, holds an API key, and has earned and requested a payout.
    const receipt = await chain.transfer(aliceWallet, chain.config.treasuryAddress, 100_000_000n);
    const deposit = await request(route('POST', '/api/v1/deposits'), {
      session: alice.token,
      body: { chainId: chain.config.chainId, txHash: receipt.transactionHash },
    });
    expect(deposit.status).toBe(200);
    owned.deposits = ((await deposit.json()) as { id: string }).id;
    const key = await request(route('POST', '/api/v1/api-keys'), { session: alice.token });
    owned['api-keys'] = ((await key.json()) as { id: string }).id;
    const customer = bob.accountId;
    await creditDeposit(handle.db, clock, { customer, amountMicros: 50_000_000n, memo: 'seed' });
    await placeHold(handle.db, clock, { customer, amountMicros: 50_000_000n, memo: 'job' });
    await captureHold(handle.db, clock, {
      customer,
      supplier: alice.accountId,
      supplierMicros: 40_000_000n,
      feeMicros: 10_000_000n,
      memo: 'metered work',
    });
    const payout = await request(route('POST', '/api/v1/payouts'), { session: alice.token });
    expect(payout.status).toBe(201);
    owned.payouts = ((await payout.json()) as { id: string }).id;
    // …and withdrew 1 USDC of her unused deposit back to her wallet.
    const withdrawal = await request(route('POST', '/api/v1/withdrawals'), { session: alice.token });
    expect(withdrawal.status).toBe(201);
    owned.withdrawals = ((await withdrawal.json()) as { id: string }).id;

    // Alice launched a job and cancelled it: it has events, a log and a signed receipt.
    await creditDeposit(handle.db, clock, {
      customer: alice.accountId,
      amountMicros: 50_000_000n,
      memo: 'seed',
    });
    const job = await request(route('POST', '/api/v1/jobs'), { session: alice.token });
    expect(job.status).toBe(201);
    owned.jobs = ((await job.json()) as { id: string }).id;
    const cancelled = await request(route('POST', '/api/v1/jobs/{id}/cancel'), {
      session: alice.token,
      id: owned.jobs,
    });
    expect(cancelled.status).toBe(200);
    // Demo-only: without a simulated fleet the kill switch is a 404 for everyone.
    owned.simulation = owned.jobs;

    // Alice supplies a node (the PATCH /nodes/{id} route is its owner's).
    const aliceNode = await createNode(handle.db, clock, { owner: alice.accountId, priceMicros: 400_000n });
    owned.nodes = aliceNode.id;

    // Alice uploads an input file: created, its bytes PUT to the signed URL, completed.
    const created = await request(route('POST', '/api/v1/files'), {
      session: alice.token,
      body: { name: 'scene.json', sizeBytes: SCENE.length, sha256: sha256(SCENE) },
    });
    expect(created.status).toBe(201);
    const input = (await created.json()) as { file: { id: string }; upload: SignedUpload };
    expect((await putSigned(input.upload, SCENE)).status).toBe(201);
    const ready = await request(route('POST', '/api/v1/files/{id}/complete'), {
      session: alice.token,
      id: input.file.id,
    });
    expect(ready.status).toBe(200);
    owned.files = input.file.id;

    // Alice's node runs a job of hers, and has started uploading a checkpoint of that lease.
    const pinned = await request(route('POST', '/api/v1/jobs'), {
      session: alice.token,
      body: testSpec({ requirements: { nodeId: aliceNode.id } }),
    });
    expect(pinned.status).toBe(201);
    await orchestrationTick(handle.db, clock, TEST_ORCHESTRATION);
    const beat = await call(route('POST', '/api/v1/agent/heartbeat').handler, '/api/v1/agent/heartbeat', {
      method: 'POST',
      body: {},
      origin: null,
      bearer: aliceNode.token,
    });
    const [lease] = ((await beat.json()) as { assignments: { attemptId: string; fencingToken: number }[] })
      .assignments;
    if (!lease) throw new Error('no assignment for the pinned job');
    const checkpoint = 'state at 10 units';
    BODIES['POST /api/v1/agent/uploads'] = {
      attemptId: lease.attemptId,
      fencingToken: lease.fencingToken,
      kind: 'checkpoint',
      name: 'ckpt-10',
      sizeBytes: checkpoint.length,
      sha256: sha256(checkpoint),
      units: 10,
    };
    BODIES['POST /api/v1/agent/uploads/{id}/complete'] = { fencingToken: lease.fencingToken };
    const upload = await request(route('POST', '/api/v1/agent/uploads'), {
      bearer: aliceNode.token,
      origin: null,
    });
    expect(upload.status).toBe(201);
    const pending = (await upload.json()) as { fileId: string; upload: SignedUpload };
    expect((await putSigned(pending.upload, checkpoint)).status).toBe(201);
    owned.agent = pending.fileId;
    bobNode = await createNode(handle.db, clock, {
      owner: await createAccount(handle.db, clock, 'supplier'),
    });

    const bobKeyResponse = await request(route('POST', '/api/v1/api-keys'), { session: bob.token });
    bobKey = ((await bobKeyResponse.json()) as { key: string }).key;
  }, 60_000);

  interface SignedUpload {
    url: string;
    headers: Record<string, string>;
  }

  /** PUTs bytes to a signed URL of the embedded store, with no credential but the signature. */
  function putSigned(upload: SignedUpload, body: string) {
    return call(route('PUT', '/api/v1/storage/objects/{key}').handler, upload.url, {
      method: 'PUT',
      rawBody: body,
      origin: null,
      contentType: null,
      headers: upload.headers,
    });
  }

  afterAll(async () => {
    provideServiceContext(null);
    await Promise.all([handle?.close(), chain?.stop()]);
  });

  function route(method: string, apiPath: string): Route {
    const found = routes.find((r) => r.method === method && r.path === apiPath);
    if (!found) throw new Error(`no route ${method} ${apiPath}`);
    return found;
  }
  const label = (r: Route) => `${r.method} ${r.path}`;

  it('finds the routes it checks', () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const resource of [
      'deposits',
      'payouts',
      'withdrawals',
      'api-keys',
      'jobs',
      'nodes',
      'files',
      'agent',
    ])
      expect(owned[resource]).toBeTruthy();
  });

  it('answers 401 on every non-public route without credentials', async () => {
    for (const r of routes.filter((r) => !PUBLIC.has(label(r)))) {
      const response = await request(r);
      expect(response.status, label(r)).toBe(401);
    }
  });

  it('lets an API key do only what its scopes allow on every signed-in route, as the OpenAPI documents say', async () => {
    const documents = [buildOpenApiDocument(), buildSimulationOpenApiDocument()] as unknown as {
      paths: Record<string, Record<string, { security?: unknown } | undefined> | undefined>;
    }[];
    const documented = (r: Route) =>
      documents.map((d) => d.paths[r.path]?.[r.method.toLowerCase()]).find(Boolean)?.security;
    // For each scope, a key of Alice's with every scope but that one.
    const lacking = new Map<ApiKeyScope, string>();
    for (const scope of API_KEY_SCOPES) {
      const others = API_KEY_SCOPES.filter((s) => s !== scope);
      lacking.set(scope, (await createApiKey(handle.db, clock, alice.accountId, `no ${scope}`, others)).key);
    }
    const everything = (await createApiKey(handle.db, clock, alice.accountId, 'all scopes')).key;
    let checked = 0;
    for (const r of routes) {
      const access = routeAccess(r.handler);
      if (!PUBLIC.has(label(r))) expect(access, `${label(r)} is built with apiRoute`).toBeDefined();
      if (!access || access.auth === 'public') continue;
      const needed = r.method === 'GET' ? 'read' : access.scope;
      const id = owned[r.path.split('/')[3] ?? ''];
      if (needed === null) {
        expect(documented(r), label(r)).toEqual([{ session: [] }]);
        const refused = await request(r, { bearer: everything, id });
        expect(refused.status, `${label(r)} with an API key`).toBe(403);
        continue;
      }
      // A public route that also knows who calls (the session probe) may leave credentials undocumented.
      if (!PUBLIC.has(label(r)) || documented(r) !== undefined)
        expect(documented(r) ?? [], label(r)).toContainEqual({ apiKey: [needed] });
      const refused = await request(r, { bearer: lacking.get(needed), id });
      expect(refused.status, `${label(r)} without "${needed}"`).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
        `"${needed}" scope`,
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    // A key with the scope gets past the check (a read of Alice's own jobs, a quote).
    const reader = (await createApiKey(handle.db, clock, alice.accountId, 'reader', ['read'])).key;
    expect((await request(route('GET', '/api/v1/jobs'), { bearer: reader })).status).toBe(200);
    const quote = await request(route('POST', '/api/v1/quotes'), { bearer: lacking.get('billing') });
    expect(quote.status).toBe(200);
  });

  it("answers 404 for another account's resources, by session and by API key, on every {id} route", async () => {
    const resourceRoutes = routes.filter((r) => r.path.includes('{id}') && !PUBLIC.has(label(r)));
    expect(resourceRoutes.length).toBeGreaterThanOrEqual(3);
    for (const r of resourceRoutes) {
      const resource = r.path.split('/')[3] ?? '';
      const id = owned[resource];
      expect(id, `no owned ${resource} to probe`).toBeTruthy();
      if (COOKIELESS.has(label(r))) {
        // A node token opens only the node's own uploads; no account credential opens them at all.
        const viaOtherNode = await request(r, { bearer: bobNode.token, origin: null, id });
        expect(viaOtherNode.status, `${label(r)} with another node's token`).toBe(404);
        const viaAccount = await request(r, { session: alice.token, origin: null, id });
        expect(viaAccount.status, `${label(r)} with the job owner's session`).toBe(401);
        continue;
      }
      const viaSession = await request(r, { session: bob.token, id });
      expect(viaSession.status, `${label(r)} as another account`).toBe(404);
      if (r.method === 'GET') {
        const viaKey = await request(r, { bearer: bobKey, id });
        expect(viaKey.status, `${label(r)} with another account's key`).toBe(404);
        // The owner does see it (a download is a redirect to a signed URL).
        const mine = await request(r, { session: alice.token, id });
        expect(mine.status, `${label(r)} as owner`).toBe(r.path.endsWith('/download') ? 303 : 200);
        await mine.body?.cancel();
      }
    }
    // Nothing Bob tried deleted, completed or kept anything of Alice's.
    const detail = await request(route('GET', '/api/v1/files/{id}'), {
      session: alice.token,
      id: owned.files,
    });
    expect(((await detail.json()) as { state: string }).state).toBe('ready');
    const [kept] = await queryRows<{ units: string; state: string }>(
      handle.db,
      sql`select j.checkpoint_units::text as units, f.state::text as state
            from stored_files f join jobs j on j.id = f.job_id where f.id = ${owned.agent}`,
    );
    expect(kept).toEqual({ units: '0', state: 'pending' });
  });

  it('lets a node upload only for a lease it holds', async () => {
    const upload = route('POST', '/api/v1/agent/uploads');
    expect((await request(upload, { bearer: bobNode.token, origin: null })).status).toBe(404);
    expect((await request(upload, { session: alice.token, origin: null })).status).toBe(401);
    expect((await request(upload, { bearer: bobKey, origin: null })).status).toBe(401);
  });

  it('serves a stored object to whoever holds its signed URL, and to nobody without one', async () => {
    const get = route('GET', '/api/v1/storage/objects/{key}');
    const put = route('PUT', '/api/v1/storage/objects/{key}');
    const detail = (await (
      await request(route('GET', '/api/v1/files/{id}'), { session: alice.token, id: owned.files })
    ).json()) as { download: { url: string } };
    const signed = new URL(detail.download.url);
    // No session, key or token: the signature is the whole authorization.
    const anonymous = await call(get.handler, signed.toString());
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toBe(SCENE);
    // Without it, with it tampered, for another object or another method: refused, whoever asks.
    const unsigned = `${signed.origin}${signed.pathname}`;
    const tampered = new URL(signed);
    tampered.searchParams.set('sig', `${signed.searchParams.get('sig')?.slice(0, -2)}AA`);
    const otherKey = new URL(signed);
    otherKey.pathname = otherKey.pathname.replace(owned.files ?? '', owned.agent ?? '');
    for (const [what, url] of [
      ['no signature', unsigned],
      ['a tampered signature', tampered.toString()],
      ['another object', otherKey.toString()],
    ] as const) {
      for (const session of [undefined, alice.token, bob.token]) {
        const response = await call(get.handler, url, { session });
        expect(response.status, `${what} (${session ? 'signed in' : 'anonymous'})`).toBe(403);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }
    }
    const overwrite = await call(put.handler, signed.toString(), {
      method: 'PUT',
      rawBody: 'overwritten',
      origin: null,
      contentType: null,
    });
    expect(overwrite.status).toBe(403);
    expect(await (await call(get.handler, signed.toString())).text()).toBe(SCENE);
  });

  it("lists none of another account's resources or ledger entries", async () => {
    const lists = routes.filter(
      (r) =>
        r.method === 'GET' &&
        !r.path.includes('{id}') &&
        !PUBLIC.has(label(r)) &&
        !r.path.endsWith('/export'),
    );
    const aliceIds = Object.values(owned);
    for (const r of lists) {
      const text = await (await request(r, { session: bob.token })).text();
      for (const id of aliceIds) expect(text, label(r)).not.toContain(id);
    }
    // Postings: a capture touches both accounts' ledgers, but each sees only the postings on its own accounts.
    const ledgerOf = async (token: string) => {
      const page = (await (
        await call(route('GET', '/api/v1/ledger').handler, '/api/v1/ledger', { session: token })
      ).json()) as { items: { id: string; account: string }[] };
      return page.items;
    };
    const aliceEntries = await ledgerOf(alice.token);
    const bobEntries = await ledgerOf(bob.token);
    expect(aliceEntries.map((e) => e.account)).toContain('supplier_payable');
    expect(bobEntries.map((e) => e.account)).not.toContain('supplier_payable');
    const bobIds = new Set(bobEntries.map((e) => e.id));
    for (const entry of aliceEntries) expect(bobIds.has(entry.id)).toBe(false);
    const bobCsv = await (
      await call(route('GET', '/api/v1/ledger/export').handler, '/api/v1/ledger/export', {
        session: bob.token,
      })
    ).text();
    const bobCsvIds = new Set(
      bobCsv
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    );
    for (const entry of aliceEntries) expect(bobCsvIds.has(entry.id)).toBe(false);
  });

  it('refuses every cookie-authenticated mutation from a foreign Origin or without a JSON body', async () => {
    for (const r of routes.filter((r) => r.method !== 'GET')) {
      const id = owned[r.path.split('/')[3] ?? ''];
      if (COOKIELESS.has(label(r))) {
        const cookieOnly = await request(r, { session: alice.token, origin: 'https://evil.example', id });
        expect([400, 401], `${label(r)} with only a session cookie`).toContain(cookieOnly.status);
        continue;
      }
      if (SIGNED_URL_ROUTES().includes(label(r))) {
        // No cookie is read there: a session authorizes nothing without a signature.
        const object = `/api/v1/storage/objects/accounts/${alice.accountId}/files/${owned.files}`;
        const cookieOnly = await call(r.handler, object, {
          method: r.method,
          session: alice.token,
          rawBody: 'overwritten',
          contentType: null,
        });
        expect(cookieOnly.status, `${label(r)} with only a session cookie`).toBe(403);
        continue;
      }
      const foreign = await request(r, { session: alice.token, origin: 'https://evil.example', id });
      expect(foreign.status, `${label(r)} from a foreign origin`).toBe(403);
      const missing = await request(r, { session: alice.token, origin: null, id });
      expect(missing.status, `${label(r)} without an Origin`).toBe(403);
      if (r.method !== 'DELETE') {
        const form = await request(r, { session: alice.token, contentType: 'text/plain' });
        expect(form.status, `${label(r)} with a text/plain body`).toBe(415);
      }
    }
  });

  it("lets only a node's owner set its price, and shows a supplier only their own nodes, earnings and exports", async () => {
    const patch = route('PATCH', '/api/v1/nodes/{id}');
    const byKey = await request(patch, { bearer: bobKey, id: owned.nodes });
    expect(byKey.status).toBe(404);
    const mine = await request(patch, { session: alice.token, id: owned.nodes });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { priceMicros: string }).priceMicros).toBe('450000');
    const tooHigh = await request(patch, {
      session: alice.token,
      id: owned.nodes,
      body: { pricePerGpuHourMicros: '1000000001' },
    });
    expect(tooHigh.status).toBe(400);

    const nodesOf = async (token: string) =>
      (
        (await (await request(route('GET', '/api/v1/supplier/nodes'), { session: token })).json()) as {
          items: { id: string }[];
        }
      ).items.map((n) => n.id);
    expect(await nodesOf(alice.token)).toEqual([owned.nodes]);
    expect(await nodesOf(bob.token)).toEqual([]);

    const earnings = route('GET', '/api/v1/supplier/earnings');
    const aliceEarnings = (await (await request(earnings, { session: alice.token })).json()) as {
      totals: { paidMicros: string };
      balances: { payoutPendingMicros: string };
    };
    expect(aliceEarnings.balances.payoutPendingMicros).toBe('40000000');
    const bobEarnings = (await (await request(earnings, { session: bob.token })).json()) as {
      nodes: unknown[];
      balances: Record<string, string>;
    };
    expect(bobEarnings.nodes).toEqual([]);
    expect(Object.values(bobEarnings.balances)).toEqual(['0', '0', '0', '0']);
    const tooLong = await call(earnings.handler, '/api/v1/supplier/earnings?from=2025-01-01&to=2026-11-25', {
      session: alice.token,
    });
    expect(tooLong.status).toBe(400);

    for (const path of ['/api/v1/supplier/earnings/export', '/api/v1/supplier/payouts/export']) {
      const exporter = route('GET', path);
      const bobCsv = await (await request(exporter, { session: bob.token })).text();
      expect(bobCsv.trim().split('\n'), path).toHaveLength(1);
      for (const id of Object.values(owned)) expect(bobCsv, path).not.toContain(id);
    }
    const alicePayouts = await request(route('GET', '/api/v1/supplier/payouts/export'), {
      session: alice.token,
    });
    expect(alicePayouts.headers.get('content-type')).toContain('text/csv');
    const payoutsCsv = await alicePayouts.text();
    expect(payoutsCsv).toContain(owned.payouts);
    // A customer's withdrawal is no supplier payout: not in the payouts export, nor in the payouts list.
    expect(payoutsCsv).not.toContain(owned.withdrawals);
    const listed = (await (
      await request(route('GET', '/api/v1/payouts'), { session: alice.token })
    ).json()) as {
      items: { id: string }[];
    };
    expect(listed.items.map((p) => p.id)).toEqual([owned.payouts]);
  });

  /** Row counts of everything a request could change. */
  async function snapshot(): Promise<string> {
    const [row] = await queryRows<Record<string, string>>(
      handle.db,
      sql`select (select count(*) from ledger_postings)::text as postings,
                 (select count(*) from deposits)::text as deposits,
                 (select count(*) from payouts)::text as payouts,
                 (select count(*) from api_keys where revoked_at is null)::text as keys,
                 (select count(*) from sessions where revoked_at is null)::text as sessions,
                 (select count(*) from jobs)::text as jobs,
                 (select count(*) from nodes)::text as nodes,
                 (select string_agg(price_per_gpu_hour_micros::text, ',' order by id) from nodes) as prices,
                 (select count(*) from job_events)::text as job_events,
                 (select string_agg(id::text || ':' || state::text, ',' order by id) from stored_files) as files,
                 (select string_agg(coalesce(checkpoint_ref, '-'), ',' order by id) from jobs) as checkpoints,
                 (select string_agg(coalesce(low_balance_threshold_micros::text, '-'), ',' order by id) from accounts) as settings`,
    );
    return JSON.stringify(row);
  }

  it('answers fuzzed bodies and queries on every route without a 5xx, and a refused request changes nothing', async () => {
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(
        fc.constantFrom(
          'name',
          'chainId',
          'txHash',
          'amountMicros',
          'expectedAmountMicros',
          'lowBalanceThresholdMicros',
          'pricePerGpuHourMicros',
          'message',
          'signature',
          'jsonrpc',
          'method',
          'id',
          'sizeBytes',
          'sha256',
          'attemptId',
          'fencingToken',
          'kind',
          'units',
          '__proto__',
        ),
        fc.oneof(
          fc.string(),
          fc.integer(),
          fc.double(),
          fc.constant(null),
          fc.boolean(),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 70 }).map((h) => `0x${h}`),
        ),
      ),
    );
    for (const r of routes) {
      const id = owned[r.path.split('/')[3] ?? ''];
      await fc.assert(
        fc.asyncProperty(payload, fc.string({ maxLength: 40 }), fc.boolean(), async (body, query, asBob) => {
          const before = r.method === 'GET' ? '' : await snapshot();
          const session = asBob ? bob.token : alice.token;
          const response =
            r.method === 'GET'
              ? await call(
                  r.handler,
                  `${r.path.replace('{id}', id ?? 'x')}?cursor=${encodeURIComponent(query)}&limit=${encodeURIComponent(query)}`,
                  {
                    session,
                    params: id ? { id } : {},
                  },
                )
              : await call(r.handler, r.path.replace('{id}', id ?? 'x'), {
                  method: r.method,
                  session,
                  rawBody: JSON.stringify(body),
                  params: id ? { id } : {},
                  headers: { 'idempotency-key': `fuzz-${query.replace(/[^A-Za-z0-9]/g, '')}-padding` },
                });
          expect(response.status, `${label(r)} with ${JSON.stringify(body)}`).toBeLessThan(500);
          await response.body?.cancel();
          if (response.status >= 400 && r.method !== 'GET') expect(await snapshot(), label(r)).toBe(before);
        }),
        { numRuns: 100, seed: 20261125 },
      );
    }
  }, 300_000);
});
