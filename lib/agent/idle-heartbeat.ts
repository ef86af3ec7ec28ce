import { sql } from 'drizzle-orm';
import { idleHeartbeatIntervalMs } from '@/lib/agent/heartbeat';
import type { HeartbeatRequest, HeartbeatResponse } from '@/lib/agent/schemas';
import { hashToken } from '@/lib/auth/tokens';
import type { Clock } from '@/lib/clock';
import { queryPreparedRows, type Db } from '@/lib/db/client';
import type { OrchestrationConfig } from '@/lib/jobs/config';

/**
 * Most heartbeats come from idle nodes: nothing to report, nothing to hand out. Such a heartbeat is answered
 * with one statement instead of the seven of the full path (docs/benchmarks.md, Heartbeats), prepared once per
 * connection on PostgreSQL. It finds the node by its token and records its liveness and telemetry only if the
 * full path would do nothing else: the node is already in the status the heartbeat asks for, holds no active
 * attempt and has no open benchmark challenge. Otherwise nothing is written and the caller takes the full path
 * (processHeartbeat), which then decides exactly as it always did; a single statement is atomic, so the
 * heartbeat stays one unit either way.
 *
 * Returns the reply, or null when the full path must answer (an unknown token included: it answers 401).
 */
export async function answerIdleHeartbeat(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  nodeToken: string,
  request: HeartbeatRequest,
): Promise<HeartbeatResponse | null> {
  if (request.leases.length > 0 || request.benchmark) return null;
  const now = clock.now();
  const wanted = request.status === 'draining' ? 'offline' : 'online';
  const [row] = await queryPreparedRows<{ touched: boolean }>(
    db,
    'idle-heartbeat',
    sql`with node as (
          select n.id from nodes n
          where n.token_hash = ${hashToken(nodeToken)} and n.status = ${wanted}
            and not exists (select 1 from job_attempts a
                            where a.node_id = n.id and a.state in ('assigned', 'running'))
            and not exists (select 1 from verification_challenges c
                            where c.node_id = n.id and c.state in ('pending', 'sent', 'committed'))
        ),
        touched as (
          update nodes set last_heartbeat_at = ${now},
                           last_telemetry = ${JSON.stringify(request.telemetry)}::jsonb,
                           agent_version = coalesce(${request.agentVersion ?? null}::text, nodes.agent_version)
          -- The status again: a row changed meanwhile (a worker marked the node lost) is rechecked as it is now.
          from node where nodes.id = node.id and nodes.status = ${wanted}
          returning nodes.id
        )
        select exists (select 1 from touched) as touched`,
  );
  if (!row?.touched) return null;
  return {
    serverTime: now.toISOString(),
    heartbeatIntervalMs: idleHeartbeatIntervalMs(config),
    assignments: [],
    cancellations: [],
    benchmark: null,
  };
}
