import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import { newNodeToken } from '@/lib/agent/register';
import { createApiKey } from '@/lib/auth/api-keys';
import type { Clock } from '@/lib/clock';
import { queryRows, type Db } from '@/lib/db/client';
import { accounts, apiKeys, ledgerTransactions, nodes } from '@/lib/db/schema';
import { serverEnv } from '@/lib/env';
import {
  credentialsPath,
  readCredentials,
  writeCredentials,
  type Cheat,
  type DemandCustomer,
  type FleetCredentials,
  type FleetNode,
} from '@/simulator/sim/credentials';
import { drawsSkipCheater, hiddenProfile } from '@/simulator/sim/profile';
import { balanceOf, creditSimulatedFunding, getBalances } from '@/lib/ledger/operations';
import { DEMO_FUNDING_MEMO } from '@/lib/simulation/control';
import { GPU_MODEL_IDS, type GpuModelId } from '@/lib/market/gpu-models';

/**
 * Prepares the simulated fleet before the web process starts (PGlite has one connection, so this runs on its
 * own and closes the database again): fresh node tokens for every demo node, the demo customer accounts of
 * the simulated demand with fresh API keys and simulated funding, and the credentials file the fleet process
 * reads, with each node's hidden profile — including the few skip-work cheaters, drawn from the seed. Safe to
 * run on every start: customers are created once, funding happens only when a balance is low
 * (once per run, idempotent), tokens and keys are rotated.
 */

export const DEMAND_KEY_NAME = 'Simulated demand';
/** A demo customer is topped up to about this when its available balance is below LOW_BALANCE. */
export const DEMO_FUNDING_MICROS = 500_000_000n;
export const LOW_BALANCE_MICROS = 50_000_000n;

export function demoCustomerName(index: number): string {
  return `Demo customer ${index + 1}`;
}

/** Which nodes secretly skip work, and how often. */
export interface SkipWorkOptions {
  /** Seed of the draw (the demo network's). */
  seed: number;
  /** Chance that a verified, heartbeating node is a skip-work cheater. */
  cheaterShare: number;
  /** Chance that such a cheater skips a given assignment. */
  skipShare: number;
}

export interface ProvisionOptions {
  dataDir: string;
  /** How many demo customer accounts the simulated demand uses (0: none). */
  demandAccounts: number;
  /** DEMO_SEED, FLEET_SKIP_CHEATER_SHARE and FLEET_SKIP_SHARE unless given. */
  skipWork?: SkipWorkOptions;
}

export interface ProvisionSummary {
  file: string;
  nodes: number;
  heartbeating: number;
  quarantined: number;
  /** Nodes that skip work now and then (only canaries can tell). */
  skipCheaters: number;
  customers: number;
  /** Customers funded in this run. */
  funded: number;
}

interface DemoNodeRow {
  id: string;
  name: string;
  status: string;
  region: string;
  gpu_model: string;
  gpu_count: number;
  verification_state: string;
  /** The node's first recorded benchmark: the seeded one, never a score the live fleet produced itself. */
  measured_score: number | null;
}

function isGpuModel(id: string): id is GpuModelId {
  return (GPU_MODEL_IDS as readonly string[]).includes(id);
}

async function demoNodes(db: Db): Promise<DemoNodeRow[]> {
  return queryRows<DemoNodeRow>(
    db,
    sql`select n.id, n.name, n.status, n.region, n.gpu_model, n.gpu_count, n.verification_state,
          (select v.measured_score from node_verifications v
            where v.node_id = n.id and v.method = 'benchmark'
            order by v.created_at asc, v.id asc limit 1) as measured_score
        from ${nodes} n join ${accounts} a on a.id = n.owner_account_id
        where a.is_demo
        order by n.name`,
  );
}

/** The demo customers, created on first use with random wallet-like addresses (they hold no keys). */
async function ensureCustomers(db: Db, clock: Clock, count: number): Promise<{ id: string; name: string }[]> {
  const names = Array.from({ length: count }, (_, i) => demoCustomerName(i));
  if (names.length === 0) return [];
  const existing = await db
    .select({ id: accounts.id, name: accounts.displayName })
    .from(accounts)
    .where(and(eq(accounts.isDemo, true), inArray(accounts.displayName, names)));
  const byName = new Map(existing.map((row) => [row.name ?? '', row.id]));
  const customers: { id: string; name: string }[] = [];
  for (const name of names) {
    let id = byName.get(name);
    if (!id) {
      const [row] = await db
        .insert(accounts)
        .values({
          walletAddress: `0x${randomBytes(20).toString('hex')}`,
          displayName: name,
          isDemo: true,
          createdAt: clock.now(),
        })
        .returning({ id: accounts.id });
      if (!row) throw new Error(`could not create ${name}`);
      id = row.id;
    }
    customers.push({ id, name });
  }
  return customers;
}

/** A fresh key for the simulated demand; the previous ones are revoked (at most one live demand key). */
async function rotateDemandKey(db: Db, clock: Clock, accountId: string): Promise<string> {
  await db
    .update(apiKeys)
    .set({ revokedAt: clock.now() })
    .where(
      and(eq(apiKeys.accountId, accountId), eq(apiKeys.name, DEMAND_KEY_NAME), isNull(apiKeys.revokedAt)),
    );
  const created = await createApiKey(db, clock, accountId, DEMAND_KEY_NAME);
  return created.key;
}

/**
 * Tops a demo customer up when its available balance is low. The idempotency key counts earlier fundings,
 * so a retried provisioning run funds once, and a later run funds again only if the balance is low again.
 */
async function fundIfLow(db: Db, clock: Clock, accountId: string): Promise<boolean> {
  const available = balanceOf(await getBalances(db, accountId), 'customer_available');
  if (available >= LOW_BALANCE_MICROS) return false;
  const prefix = `demo-funding:${accountId}:`;
  const [earlier] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(ledgerTransactions)
    .where(like(ledgerTransactions.idempotencyKey, `${prefix}%`));
  const { created } = await creditSimulatedFunding(db, clock, {
    customer: accountId,
    amountMicros: DEMO_FUNDING_MICROS,
    memo: DEMO_FUNDING_MEMO,
    idempotencyKey: `${prefix}${(earlier?.count ?? 0) + 1}`,
  });
  return created;
}

function skipWorkFromEnv(): SkipWorkOptions {
  const env = serverEnv();
  return {
    seed: env.DEMO_SEED,
    cheaterShare: env.FLEET_SKIP_CHEATER_SHARE,
    skipShare: env.FLEET_SKIP_SHARE,
  };
}

/**
 * A skip-work cheat for a node verified by the benchmark (its GPU is what it claims) that heartbeats — the
 * cheat only the canaries can catch — drawn from the seed and the node alone, so it is the same on every
 * start with the same settings.
 */
function skipWorkCheat(row: DemoNodeRow, heartbeats: boolean, options: SkipWorkOptions): Cheat | null {
  if (row.verification_state !== 'verified' || !heartbeats) return null;
  if (!drawsSkipCheater(options.seed, row.id, options.cheaterShare)) return null;
  return { kind: 'skip_work', skipShare: options.skipShare };
}

export async function provisionFleet(
  db: Db,
  clock: Clock,
  options: ProvisionOptions,
): Promise<ProvisionSummary> {
  const file = credentialsPath(options.dataDir);
  // Which nodes heartbeat is decided once, from the seeded status, and kept: later the marketplace marks
  // nodes lost while the stack is down, and that must not silence them for good.
  let previous: FleetCredentials | null = null;
  try {
    previous = readCredentials(file);
  } catch {
    previous = null;
  }
  const decided = new Map(previous?.nodes.map((n) => [n.id, n.heartbeats]) ?? []);
  const skipWork = options.skipWork ?? skipWorkFromEnv();

  const rows = await demoNodes(db);
  const fleetNodes: FleetNode[] = [];
  let quarantined = 0;
  await db.transaction(async (tx) => {
    for (const row of rows) {
      if (!isGpuModel(row.gpu_model)) continue;
      const isQuarantined = row.status === 'quarantined' || row.verification_state === 'failed';
      const heartbeats =
        !isQuarantined && (decided.get(row.id) ?? (row.status === 'online' || row.status === 'busy'));
      let profile: FleetNode['profile'];
      try {
        profile = hiddenProfile(
          row.name,
          row.measured_score === null ? null : Number(row.measured_score),
          row.gpu_model,
          skipWorkCheat(row, heartbeats, skipWork),
        );
      } catch {
        // Not a generated node (no supplier-kind prefix): the fleet does not play it.
        continue;
      }
      const { token, hash } = newNodeToken();
      await tx.update(nodes).set({ tokenHash: hash }).where(eq(nodes.id, row.id));
      if (isQuarantined) quarantined += 1;
      fleetNodes.push({
        id: row.id,
        name: row.name,
        token,
        region: row.region,
        gpuModel: row.gpu_model,
        gpuCount: row.gpu_count,
        heartbeats,
        quarantined: isQuarantined,
        profile,
      });
    }
  });

  const customers: DemandCustomer[] = [];
  let funded = 0;
  for (const customer of await ensureCustomers(db, clock, options.demandAccounts)) {
    const apiKey = await rotateDemandKey(db, clock, customer.id);
    if (await fundIfLow(db, clock, customer.id)) funded += 1;
    customers.push({ accountId: customer.id, name: customer.name, apiKey });
  }

  writeCredentials(file, {
    version: 1,
    createdAt: clock.now().toISOString(),
    nodes: fleetNodes,
    customers,
  });
  return {
    file,
    nodes: fleetNodes.length,
    heartbeating: fleetNodes.filter((n) => n.heartbeats).length,
    quarantined,
    skipCheaters: fleetNodes.filter((n) => n.profile.cheat?.kind === 'skip_work').length,
    customers: customers.length,
    funded,
  };
}
