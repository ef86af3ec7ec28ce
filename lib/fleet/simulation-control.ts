import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/api/errors';
import type { Db } from '@/lib/db/client';
import { accounts, nodes } from '@/lib/db/schema';
import { serverEnv } from '@/lib/env';

/**
 * Asks the simulated fleet (a separate process speaking only HTTP, like real suppliers) to make one of its
 * nodes vanish. Only nodes of demo suppliers can be killed; a real supplier's machine is a 404 here.
 */
export async function simulateHostFailure(
  db: Db,
  nodeId: string,
): Promise<{ nodeId: string; killed: boolean }> {
  const [row] = await db
    .select({ id: nodes.id, demo: accounts.isDemo })
    .from(nodes)
    .innerJoin(accounts, eq(accounts.id, nodes.ownerAccountId))
    .where(eq(nodes.id, nodeId));
  if (!row?.demo) throw new AppError('not_found', 'No such simulated node.');
  const url = `http://127.0.0.1:${serverEnv().FLEET_CONTROL_PORT}/nodes/${nodeId}/kill`;
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
