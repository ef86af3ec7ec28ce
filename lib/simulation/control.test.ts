import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, like } from 'drizzle-orm';
import { toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as verifyRoute } from '@/app/api/v1/auth/verify/route';
import { POST as nonceRoute } from '@/app/api/v1/auth/nonce/route';
import { GET as accessRoute } from '@/app/api/v1/simulation/access/route';
import { POST as fundingRoute } from '@/app/api/v1/simulation/funding/route';
import { createApiKey } from '@/lib/auth/api-keys';
import { POST as killRoute } from '@/app/api/v1/simulation/nodes/[id]/kill/route';
import type { ServiceContext } from '@/lib/api/context';
import { provideServiceContext } from '@/lib/api/context';
import { LOCAL_TEST_WALLET_INDEXES } from '@/lib/chain/config';
import { devAccount } from '@/lib/chain/local-chain';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle, Db } from '@/lib/db/client';
import { accounts, ledgerTransactions, nodes } from '@/lib/db/schema';
import { parseServerEnv } from '@/lib/env';
import { simulateFailedCheck, simulateHostFailure, simulationOperators } from '@/lib/simulation/control';
import { call, signInThroughApi, useTestServices } from '@/lib/testing/api-harness';
import { createAccount, createNode, TEST_ORCHESTRATION } from '@/lib/testing/orchestration-fixture';
import { createPgliteTestDb } from '@/lib/testing/test-db';

/** LOCAL CHAIN ONLY: a development account as a plain private-key account (what the sign-in helper takes). */
function developmentWallet(index: number) {
  const key = devAccount(index).getHdKey().privateKey;
  if (!key) throw new Error('development accounts have keys');
  return privateKeyToAccount(toHex(key));
}

/** A stand-in for the simulated fleet's control endpoint, recording the kills it is asked for. */
async function startFakeFleet(): Promise<{ url: string; kills: string[]; close(): Promise<void> }> {
  const kills: string[] = [];
  const server: Server = createServer((request, response) => {
    const match = /^\/nodes\/([^/]+)\/kill$/.exec(request.url ?? '');
    if (request.method === 'POST' && match?.[1]) {
      kills.push(match[1]);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kills,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('simulation controls: only the demo’s operators and a node’s supplier (probe class 8)', () => {
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  let handle: DatabaseHandle;
  let db: Db;
  let fleet: Awaited<ReturnType<typeof startFakeFleet>>;
  let ctx: ServiceContext;
  /** A node of the simulated fleet (its supplier is a demo account) and a real supplier's node. */
  let demoSupplier: string;
  let demoNode: string;
  let realNode: string;
  const operator = { accountId: 'operator-account', address: devAccount(1).address };
  const localOperators = simulationOperators({}, { isLocal: true });

  beforeAll(async () => {
    [handle, fleet] = await Promise.all([createPgliteTestDb(), startFakeFleet()]);
    db = handle.db;
    ctx = useTestServices({ db, clock });
    demoSupplier = await createAccount(db, clock, 'demo supplier');
    await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, demoSupplier));
    demoNode = (await createNode(db, clock, { owner: demoSupplier })).id;
    realNode = (await createNode(db, clock, { owner: await createAccount(db, clock, 'supplier') })).id;
  });
  afterAll(async () => {
    provideServiceContext(null);
    await Promise.all([handle?.close(), fleet?.close()]);
  });

  describe('who the operators are', () => {
    it('are the wallets in SIMULATION_OPERATORS when it is set, on any chain', () => {
      const wallet = privateKeyToAccount(generatePrivateKey()).address;
      const env = parseServerEnv({
        SIMULATION_OPERATORS: ` ${wallet}, ${devAccount(2).address.toLowerCase()} `,
      });
      expect(env.SIMULATION_OPERATORS).toEqual([wallet.toLowerCase(), devAccount(2).address.toLowerCase()]);
      for (const chain of [{ isLocal: false }, { isLocal: true }, null]) {
        const operators = simulationOperators(env, chain);
        expect([...operators].sort()).toEqual([...(env.SIMULATION_OPERATORS ?? [])].sort());
        // Naming operators replaces the local chain's default.
        expect(operators.has(devAccount(1).address.toLowerCase())).toBe(false);
      }
    });

    it('default to the local chain’s public development accounts there, and to nobody elsewhere', () => {
      for (const index of [0, ...LOCAL_TEST_WALLET_INDEXES, 9])
        expect(localOperators.has(devAccount(index).address.toLowerCase()), `account ${index}`).toBe(true);
      expect(localOperators.size).toBe(10);
      expect(simulationOperators({}, { isLocal: false }).size).toBe(0);
      expect(simulationOperators({}, null).size).toBe(0);
    });

    it('refuses a SIMULATION_OPERATORS entry that is not an address', () => {
      expect(() => parseServerEnv({ SIMULATION_OPERATORS: '0x1234, nobody' })).toThrow(
        /SIMULATION_OPERATORS/,
      );
      expect(() => parseServerEnv({ SIMULATION_OPERATORS: ' , ' })).toThrow(/SIMULATION_OPERATORS/);
    });
  });

  describe('making a simulated node vanish', () => {
    const kill = (nodeId: string, caller: { accountId: string; address: string }) =>
      simulateHostFailure(db, { nodeId, caller, operators: localOperators, controlUrl: fleet.url });

    it('lets an operator kill any demo node', async () => {
      await expect(kill(demoNode, operator)).resolves.toEqual({ nodeId: demoNode, killed: true });
      expect(fleet.kills).toEqual([demoNode]);
    });

    it('lets a node’s own supplier kill it without being an operator', async () => {
      const wallet = privateKeyToAccount(generatePrivateKey()).address;
      await expect(kill(demoNode, { accountId: demoSupplier, address: wallet })).resolves.toMatchObject({
        killed: true,
      });
      expect(fleet.kills).toEqual([demoNode, demoNode]);
    });

    it('refuses anybody else with 403 before the fleet hears of it', async () => {
      fleet.kills.length = 0;
      const stranger = { accountId: 'stranger', address: privateKeyToAccount(generatePrivateKey()).address };
      await expect(kill(demoNode, stranger)).rejects.toMatchObject({ code: 'forbidden', status: 403 });
      // Not an operator on a real chain either, however public the development keys are.
      await expect(
        simulateHostFailure(db, {
          nodeId: demoNode,
          caller: operator,
          operators: simulationOperators({}, { isLocal: false }),
          controlUrl: fleet.url,
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect(fleet.kills).toEqual([]);
    });

    it('never touches a real supplier’s node, even for an operator', async () => {
      await expect(kill(realNode, operator)).rejects.toMatchObject({ code: 'not_found' });
      expect(fleet.kills).toEqual([]);
    });
  });

  describe('making a simulated node fail a check', () => {
    const failCheck = (nodeId: string, caller: { accountId: string; address: string }) =>
      simulateFailedCheck(db, clock, TEST_ORCHESTRATION, { nodeId, caller, operators: localOperators });

    it('refuses strangers and real suppliers’ nodes, and quarantines a demo node for an operator', async () => {
      const stranger = { accountId: 'stranger', address: privateKeyToAccount(generatePrivateKey()).address };
      const target = (await createNode(db, clock, { owner: demoSupplier })).id;
      await expect(failCheck(target, stranger)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(failCheck(realNode, operator)).rejects.toMatchObject({ code: 'not_found' });
      expect((await db.select().from(nodes).where(eq(nodes.id, realNode)))[0]?.status).not.toBe(
        'quarantined',
      );
      await expect(failCheck(target, operator)).resolves.toEqual({
        nodeId: target,
        quarantined: true,
        suspectAttempts: 0,
        refundedMicros: '0',
      });
      const [row] = await db.select().from(nodes).where(eq(nodes.id, target));
      expect(row).toMatchObject({ status: 'quarantined', verificationState: 'failed' });
      expect(row?.quarantineReason).toMatch(/^Simulated by the demo’s operator/);
      await expect(failCheck(target, operator)).resolves.toMatchObject({ quarantined: false });
    });
  });

  describe('through the API', () => {
    const signIn = { nonce: nonceRoute, verify: verifyRoute };
    const postKill = (nodeId: string, session: string | null) =>
      call(killRoute, `/api/v1/simulation/nodes/${nodeId}/kill`, {
        method: 'POST',
        session,
        params: { id: nodeId },
        body: {},
      });

    it('answers 401 signed out, 403 to a signed-in account that is neither operator nor supplier', async () => {
      ctx.simulated = true;
      expect((await postKill(demoNode, null)).status).toBe(401);
      const stranger = await signInThroughApi(signIn);
      const refused = await postKill(demoNode, stranger.token);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({
        error: {
          code: 'forbidden',
          message: 'Simulation controls are only for the demo’s operators and the node’s own supplier.',
        },
      });
      expect(fleet.kills).toEqual([]);
    });

    it('tells the dashboard whether the signed-in account may use the controls', async () => {
      ctx.simulated = true;
      const access = (token: string) =>
        call(accessRoute, '/api/v1/simulation/access', { session: token }).then((r) => r.json());
      const stranger = await signInThroughApi(signIn);
      const local = await signInThroughApi(signIn, developmentWallet(3));
      expect(await access(stranger.token)).toEqual({ simulated: true, operator: false });
      expect(await access(local.token)).toEqual({ simulated: true, operator: true });
      ctx.simulated = false;
      expect(await access(local.token)).toEqual({ simulated: false, operator: false });
      expect((await postKill(demoNode, local.token)).status).toBe(404);
      expect((await call(accessRoute, '/api/v1/simulation/access')).status).toBe(401);
    });

    it('lets a demo account top itself up with simulated funds, once per key; nobody else, nowhere else', async () => {
      const fund = (bearer: string, key: string, amountMicros = '250000000') =>
        call(fundingRoute, '/api/v1/simulation/funding', {
          method: 'POST',
          bearer,
          headers: { 'idempotency-key': key },
          body: { amountMicros },
        });
      const demoCustomer = await createAccount(db, clock, 'demo customer');
      await db.update(accounts).set({ isDemo: true }).where(eq(accounts.id, demoCustomer));
      const { key: demoKey } = await createApiKey(db, clock, demoCustomer, 'Simulated demand');
      const person = await createAccount(db, clock, 'a person');
      const { key: personKey } = await createApiKey(db, clock, person, 'mine');

      ctx.simulated = false;
      expect((await fund(demoKey, 'top-up-0000')).status).toBe(404);
      ctx.simulated = true;
      try {
        const first = await fund(demoKey, 'top-up-0001');
        expect(first.status).toBe(200);
        expect(await first.json()).toEqual({ amountMicros: '250000000', availableMicros: '250000000' });
        // A retry with the same key replays; a new key funds again.
        expect(await (await fund(demoKey, 'top-up-0001')).json()).toMatchObject({
          availableMicros: '250000000',
        });
        expect(await (await fund(demoKey, 'top-up-0002')).json()).toMatchObject({
          availableMicros: '500000000',
        });
        const rows = await db
          .select({ kind: ledgerTransactions.kind })
          .from(ledgerTransactions)
          .where(like(ledgerTransactions.idempotencyKey, `demo-funding:${demoCustomer}:%`));
        expect(rows.map((r) => r.kind)).toEqual(['simulated_funding', 'simulated_funding']);

        // An account a person signed in with is never funded from nothing; nor over 1,000 USDC at once.
        const refused = await fund(personKey, 'top-up-0003');
        expect(refused.status).toBe(422);
        expect((await fund(demoKey, 'top-up-0004', '1000000001')).status).toBe(400);
        expect((await fund(demoKey, 'top-up-0005', '0')).status).toBe(400);
        expect(
          (
            await call(fundingRoute, '/api/v1/simulation/funding', {
              method: 'POST',
              body: { amountMicros: '1' },
              headers: { 'idempotency-key': 'top-up-0006' },
            })
          ).status,
        ).toBe(401);
      } finally {
        ctx.simulated = false;
      }
    });
  });
});
