import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { nodeStatusIntervals, nodes, type NodeStatus } from '@/lib/db/schema';

/**
 * Moves a node to a new status and keeps its history: the open interval is closed and a new one opened, so
 * uptime and reliability are always computed from what really happened.
 */
export async function setNodeStatus(db: Db, nodeId: string, status: NodeStatus, at: Date): Promise<void> {
  await db
    .update(nodeStatusIntervals)
    .set({ endedAt: at })
    .where(and(eq(nodeStatusIntervals.nodeId, nodeId), isNull(nodeStatusIntervals.endedAt)));
  await db.insert(nodeStatusIntervals).values({ nodeId, status, startedAt: at });
  await db.update(nodes).set({ status, statusSince: at }).where(eq(nodes.id, nodeId));
}
