import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { ChainConfig } from '@/lib/chain/config';
import type { Clock } from '@/lib/clock';
import { DEV_ACCOUNT_COUNT, devAccount } from '@/lib/chain/local-chain';
import type { Db } from '@/lib/db/client';
import { accounts, nodes } from '@/lib/db/schema';
import { serverEnv, type ServerEnv } from '@/lib/env';
import type { SimulatedFailedCheck, SimulatedHostFailure, SimulationAccess } from '@/lib/simulation/schemas';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { quarantineNode } from '@/lib/verification/quarantine';

/** How the simulated network's fundings read in the ledger (provisioning and the demand's own top-ups). */
export const DEMO_FUNDING_MEMO = 'Simulated demo funding (not on-chain)';

let localDevelopmentAddresses: readonly string[] | undefined;

/**
 * LOCAL CHAIN ONLY: the anvil development accounts (lower-case). Their keys are public, and whoever runs the
 * local demo holds them (the dashboard's local test wallet signs with them), so on the local chain they are the
 * demo's operators unless `SIMULATION_OPERATORS` names others. Never operators on any other chain.
 */
function localDevelopmentOperators(): readonly string[] {
  localDevelopmentAddresses ??= Array.from({ length: DEV_ACCOUNT_COUNT }, (_, index) =>
    devAccount(index).address.toLowerCase(),
  );
  return localDevelopmentAddresses;
}

/**
 * The wallets (lower-case) allowed to use the simulation controls on every demo node: `SIMULATION_OPERATORS`
 * when set; otherwise, on the local chain only, its public development accounts; otherwise nobody.
 */
export function simulationOperators(
  env: Pick<ServerEnv, 'SIMULATION_OPERATORS'>,
  chain: Pick<ChainConfig, 'isLocal'> | null,
): ReadonlySet<string> {
  if (env.SIMULATION_OPERATORS) return new Set(env.SIMULATION_OPERATORS);
  return new Set(chain?.isLocal ? localDevelopmentOperators() : []);
}

/** The operators of this server's configuration. */
export function configuredSimulationOperators(
  chain: Pick<ChainConfig, 'isLocal'> | null,
): ReadonlySet<string> {
  return simulationOperators(serverEnv(), chain);
}

export function isSimulationOperator(operators: ReadonlySet<string>, walletAddress: string): boolean {
  return operators.has(walletAddress.toLowerCase());
}

/** What /api/v1/simulation/access answers for a signed-in wallet (null: nobody signed in). */
export function simulationAccessOf(
  network: { simulated: boolean; chain: Pick<ChainConfig, 'isLocal'> | null },
  walletAddress: string | null,
): SimulationAccess {
  return {
    simulated: network.simulated,
    operator:
      network.simulated &&
      walletAddress !== null &&
      isSimulationOperator(configuredSimulationOperators(network.chain), walletAddress),
  };
}

/** Who asks: the signed-in account and its wallet. */
export interface SimulationCaller {
  accountId: string;
  address: string;
}

/** The simulated fleet's control endpoint of this server's configuration (127.0.0.1 only). */
export function fleetControlUrl(): string {
  return `http://127.0.0.1:${serverEnv().FLEET_CONTROL_PORT}`;
}

/**
 * Asks the simulated fleet (a separate process speaking only HTTP, like real suppliers) to make one of its
 * nodes vanish. Only nodes of demo suppliers can be killed (a real supplier's machine is a 404 here), and only
 * by the demo's operators or the node's own supplier (403 for anyone else: demo nodes are public in the market,
 * so hiding them behind a 404 would protect nothing).
 */
/** Only demo nodes, and only for the demo's operators or the node's own supplier. */
async function assertMayControl(
  db: Db,
  input: { nodeId: string; caller: SimulationCaller; operators: ReadonlySet<string> },
): Promise<void> {
  const [row] = await db
    .select({ id: nodes.id, owner: nodes.ownerAccountId, demo: accounts.isDemo })
    .from(nodes)
    .innerJoin(accounts, eq(accounts.id, nodes.ownerAccountId))
    .where(eq(nodes.id, input.nodeId));
  if (!row?.demo) throw new AppError('not_found', 'No such simulated node.');
  if (row.owner !== input.caller.accountId && !isSimulationOperator(input.operators, input.caller.address))
    throw new AppError(
      'forbidden',
      'Simulation controls are only for the demo’s operators and the node’s own supplier.',
    );
}

/**
 * Demo network only: the simulated node is caught as a canary would catch a node that skips its work —
 * quarantined, with the same remedies for its customers (refunds, notices, amended receipts; see
 * lib/verification/remedies.ts). It shows what a customer of a cheating node sees, without waiting for a canary.
 */
export async function simulateFailedCheck(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  input: { nodeId: string; caller: SimulationCaller; operators: ReadonlySet<string> },
): Promise<SimulatedFailedCheck> {
  await assertMayControl(db, input);
  const outcome = await quarantineNode(
    db,
    clock,
    config,
    input.nodeId,
    'Simulated by the demo’s operator: a canary job came back wrong (the work was not done)',
  );
  return {
    nodeId: input.nodeId,
    quarantined: outcome.quarantined,
    suspectAttempts: outcome.remedies.suspectAttempts,
    refundedMicros: outcome.remedies.refunds.reduce((t, r) => t + r.refundedMicros, 0n).toString(),
  };
}

export async function simulateHostFailure(
  db: Db,
  input: {
    nodeId: string;
    caller: SimulationCaller;
    operators: ReadonlySet<string>;
    /** Defaults to `fleetControlUrl()`. */
    controlUrl?: string;
  },
): Promise<SimulatedHostFailure> {
  const { nodeId } = input;
  await assertMayControl(db, input);
  const url = `${input.controlUrl ?? fleetControlUrl()}/nodes/${nodeId}/kill`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new AppError('conflict', 'The simulated fleet is not running.');
  }
  if (response.status === 404) throw new AppError('not_found', 'The fleet does not run that node.');
  if (!response.ok) throw new AppError('conflict', `The fleet refused (${response.status}).`);
  return { nodeId, killed: true };
}
