import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '@/lib/auth/tokens';
import { resolveApiKey } from '@/lib/auth/api-keys';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { accounts, apiKeys, ledgerTransactions, nodes } from '@/lib/db/schema';
import { generateDemoNetwork } from '@/simulator/demo-network';
import { DEMO_FUNDING_MEMO } from '@/lib/simulation/control';
import {
  DEMO_FUNDING_MICROS,
  DEMAND_KEY_NAME,
  demoCustomerName,
  provisionFleet,
} from '@/simulator/provision';
import { seedDemoNetwork } from '@/simulator/seed-demo-network';
import {
  credentialsPath,
  readCredentials,
  writeCredentials,
  type FleetCredentials,
} from '@/simulator/sim/credentials';
import { balanceOf, getBalances, placeHold } from '@/lib/ledger/operations';
import { createPgliteTestDb } from '@/lib/testing/test-db';

const NETWORK = { seed: 42, nodeCount: 80, now: new Date('2026-11-10T06:00:00Z') };
const network = generateDemoNetwork(NETWORK);
const clock = new ManualClock(NETWORK.now);

describe('fleet provisioning', () => {
  let handle: DatabaseHandle;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'backfill-provision-'));
  const file = credentialsPath(dataDir);

  beforeAll(async () => {
    handle = await createPgliteTestDb();
    await seedDemoNetwork(handle.db, NETWORK);
  });
  afterAll(() => handle.close());

  it('issues node tokens, creates funded demo customers with API keys, and writes the credentials file', async () => {
    const summary = await provisionFleet(handle.db, clock, { dataDir, demandAccounts: 3 });
    expect(summary).toMatchObject({ nodes: 80, customers: 3, funded: 3, file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const credentials = readCredentials(file);
    if (!credentials) throw new Error('no credentials file');

    // Every node's token authenticates that node (only its hash is stored).
    const rows = await handle.db.select({ id: nodes.id, tokenHash: nodes.tokenHash }).from(nodes);
    const hashes = new Map(rows.map((r) => [r.id, r.tokenHash]));
    for (const node of credentials.nodes) expect(hashes.get(node.id)).toBe(hashToken(node.token));

    // Heartbeating: the seeded online/busy nodes; quarantined ones never.
    const expected = network.nodes
      .filter((n) => n.status === 'online' || n.status === 'busy')
      .map((n) => n.id);
    expect(
      credentials.nodes
        .filter((n) => n.heartbeats)
        .map((n) => n.id)
        .sort(),
    ).toEqual(expected.sort());
    const cheaters = network.nodes.filter((n) => n.verificationState === 'failed').map((n) => n.id);
    expect(cheaters.length).toBeGreaterThan(0);
    expect(
      credentials.nodes
        .filter((n) => n.quarantined)
        .map((n) => n.id)
        .sort(),
    ).toEqual(cheaters.sort());
    expect(summary.quarantined).toBe(cheaters.length);
    for (const node of credentials.nodes) {
      expect(node.profile.archetype.slice(0, 2)).toBe(node.name.slice(0, 2));
      expect(node.profile.performanceFactor).toBeGreaterThan(0);
    }

    expect(credentials.customers.map((c) => c.name)).toEqual([0, 1, 2].map(demoCustomerName));
    for (const customer of credentials.customers) {
      expect((await resolveApiKey(handle.db, clock, customer.apiKey))?.accountId).toBe(customer.accountId);
      const balances = await getBalances(handle.db, customer.accountId);
      expect(balanceOf(balances, 'customer_available')).toBe(DEMO_FUNDING_MICROS);
    }
    const [demo] = await handle.db
      .select({ isDemo: accounts.isDemo })
      .from(accounts)
      .where(eq(accounts.id, credentials.customers[0]?.accountId ?? ''));
    expect(demo?.isDemo).toBe(true);
    const funding = await handle.db
      .select({ memo: ledgerTransactions.memo })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.kind, 'simulated_funding'));
    expect(funding.map((f) => f.memo)).toEqual(Array(3).fill(DEMO_FUNDING_MEMO));
  });

  it('is idempotent: same customers, funded again only when low, keys and tokens rotated', async () => {
    const first = readCredentials(file);
    if (!first) throw new Error('no credentials file');
    const [spender, saver] = first.customers;
    if (!spender || !saver) throw new Error('expected customers');
    // One customer spends most of their balance (a hold is enough: it leaves the available balance).
    await placeHold(handle.db, clock, {
      customer: spender.accountId,
      amountMicros: 480_000_000n,
      memo: 'spent',
    });

    clock.advance(60_000);
    const summary = await provisionFleet(handle.db, clock, { dataDir, demandAccounts: 3 });
    expect(summary.funded).toBe(1);
    const second = readCredentials(file);
    if (!second) throw new Error('no credentials file');
    expect(second.customers.map((c) => c.accountId)).toEqual(first.customers.map((c) => c.accountId));
    const available = async (id: string) => balanceOf(await getBalances(handle.db, id), 'customer_available');
    expect(await available(spender.accountId)).toBe(20_000_000n + DEMO_FUNDING_MICROS);
    expect(await available(saver.accountId)).toBe(DEMO_FUNDING_MICROS);

    // The old key no longer works, the new one does; one live demand key per customer.
    expect(await resolveApiKey(handle.db, clock, spender.apiKey)).toBeNull();
    expect(await resolveApiKey(handle.db, clock, second.customers[0]?.apiKey ?? '')).not.toBeNull();
    const live = await handle.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(
        and(
          inArray(
            apiKeys.accountId,
            second.customers.map((c) => c.accountId),
          ),
          eq(apiKeys.name, DEMAND_KEY_NAME),
          isNull(apiKeys.revokedAt),
        ),
      );
    expect(live).toHaveLength(3);
    expect(second.nodes[0]?.token).not.toBe(first.nodes[0]?.token);
  });

  it('keeps each node’s heartbeating decision across runs, whatever its status became', async () => {
    const credentials = readCredentials(file);
    const online = credentials?.nodes.find((n) => n.heartbeats);
    if (!credentials || !online) throw new Error('expected a heartbeating node');
    // The marketplace marked it lost while the stack was down.
    await handle.db.update(nodes).set({ status: 'lost' }).where(eq(nodes.id, online.id));
    await provisionFleet(handle.db, clock, { dataDir, demandAccounts: 3 });
    expect(readCredentials(file)?.nodes.find((n) => n.id === online.id)?.heartbeats).toBe(true);

    // Without an earlier file the current status decides.
    writeCredentials(file, { ...credentials, nodes: [] });
    await provisionFleet(handle.db, clock, { dataDir, demandAccounts: 0 });
    const fresh = readCredentials(file);
    expect(fresh?.nodes.find((n) => n.id === online.id)?.heartbeats).toBe(false);
    expect(fresh?.customers).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('makes a seeded share of the verified, heartbeating nodes skip-work cheaters', async () => {
    const provision = (cheaterShare: number, seed = 42) =>
      provisionFleet(handle.db, clock, {
        dataDir,
        demandAccounts: 0,
        skipWork: { seed, cheaterShare, skipShare: 0.3 },
      }).then((summary) => ({ summary, credentials: readCredentials(file) }));
    const cheatersOf = (credentials: FleetCredentials | null) =>
      (credentials?.nodes ?? []).filter((n) => n.profile.cheat !== null);

    const { summary, credentials } = await provision(0.5);
    const cheaters = cheatersOf(credentials);
    const verified = new Set(
      network.nodes.filter((n) => n.verificationState === 'verified').map((n) => n.id),
    );
    const eligible = (credentials?.nodes ?? []).filter((n) => n.heartbeats && verified.has(n.id));
    expect(summary.skipCheaters).toBe(cheaters.length);
    for (const node of cheaters) {
      expect(node.profile.cheat).toEqual({ kind: 'skip_work', skipShare: 0.3 });
      expect(eligible.map((n) => n.id)).toContain(node.id);
    }
    // About half of the eligible nodes (a binomial draw: 4 standard deviations either side).
    const sd = Math.sqrt(eligible.length * 0.25);
    expect(Math.abs(cheaters.length - eligible.length / 2)).toBeLessThan(4 * sd);

    // The same seed and share pick the same nodes; another seed others; share 0 none.
    const again = await provision(0.5);
    expect(cheatersOf(again.credentials).map((n) => n.id)).toEqual(cheaters.map((n) => n.id));
    const other = await provision(0.5, 7);
    expect(cheatersOf(other.credentials).map((n) => n.id)).not.toEqual(cheaters.map((n) => n.id));
    expect((await provision(0)).summary.skipCheaters).toBe(0);
  });

  it('reads a credentials file written before cheats existed as honest nodes', async () => {
    await provisionFleet(handle.db, clock, {
      dataDir,
      demandAccounts: 0,
      skipWork: { seed: 42, cheaterShare: 0, skipShare: 0.5 },
    });
    const json = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { profile: Record<string, unknown> }[] };
    for (const node of json.nodes) delete node.profile.cheat;
    writeFileSync(file, JSON.stringify(json));
    const old = readCredentials(file);
    expect(old?.nodes.length).toBeGreaterThan(0);
    expect(old?.nodes.every((n) => n.profile.cheat === null)).toBe(true);
  });
});
