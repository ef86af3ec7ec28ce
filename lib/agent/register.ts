import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '@/lib/api/errors';
import { hashToken, randomToken } from '@/lib/auth/tokens';
import type { Clock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { nodeGpus, nodeRegistrationTokens, nodes } from '@/lib/db/schema';
import { setNodeStatus } from '@/lib/agent/node-status';
import { NODE_TOKEN_PREFIX } from '@/lib/agent/node-auth';
import type { registerRequestSchema, registerResponseSchema } from '@/lib/agent/schemas';
import type { OrchestrationConfig } from '@/lib/jobs/config';
import { gpuModel } from '@/lib/market/gpu-models';

export const REGISTRATION_TOKEN_PREFIX = 'bfr_';
/** How long a registration token can wait to be used. */
export const REGISTRATION_TOKEN_TTL_MS = 60 * 60_000;

/** A one-time token a supplier gives a new machine's agent; only its hash is kept. */
export async function issueRegistrationToken(
  db: Db,
  clock: Clock,
  accountId: string,
): Promise<{ registrationToken: string; expiresAt: string }> {
  const token = `${REGISTRATION_TOKEN_PREFIX}${randomToken(24)}`;
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + REGISTRATION_TOKEN_TTL_MS);
  await db
    .insert(nodeRegistrationTokens)
    .values({ tokenHash: hashToken(token), ownerAccountId: accountId, expiresAt, createdAt: now });
  return { registrationToken: token, expiresAt: expiresAt.toISOString() };
}

/** A fresh node token: returned once, stored as its hash. */
export function newNodeToken(): { token: string; hash: string } {
  const token = `${NODE_TOKEN_PREFIX}${randomToken(32)}`;
  return { token, hash: hashToken(token) };
}

/**
 * Registers a machine: consumes the one-time token (a second use, even concurrent, is refused), creates the
 * node owned by the token's supplier with the GPUs the agent detected, and returns the node token. The node
 * starts unverified and online; it is listed once the offer refresh sees it.
 */
export async function registerNode(
  db: Db,
  clock: Clock,
  config: OrchestrationConfig,
  request: z.infer<typeof registerRequestSchema>,
): Promise<z.infer<typeof registerResponseSchema>> {
  const now = clock.now();
  const model = gpuModel(request.gpus[0]?.model ?? '');
  const nodeToken = newNodeToken();
  return db.transaction(async (tx) => {
    // Claiming the token is one conditional update: of two concurrent registrations only one matches.
    const [claimed] = await tx
      .update(nodeRegistrationTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(nodeRegistrationTokens.tokenHash, hashToken(request.registrationToken)),
          isNull(nodeRegistrationTokens.usedAt),
          gt(nodeRegistrationTokens.expiresAt, now),
        ),
      )
      .returning();
    if (!claimed)
      throw new AppError(
        'unauthorized',
        'The registration token is unknown, used or expired; ask for a new one.',
      );
    const [node] = await tx
      .insert(nodes)
      .values({
        ownerAccountId: claimed.ownerAccountId,
        name: request.name,
        region: request.region,
        gpuModel: model.id,
        gpuCount: request.gpus.length,
        vramGb: Math.min(...request.gpus.map((g) => g.vramGb)),
        interconnect: request.gpus.length > 1 ? request.interconnect : 'pcie',
        bandwidthMbps: request.bandwidthMbps,
        cpuCores: request.cpuCores,
        ramGb: request.ramGb,
        diskGb: request.diskGb,
        cudaVersion: request.cudaVersion,
        agentVersion: request.agentVersion ?? null,
        pricePerGpuHourMicros: BigInt(request.pricePerGpuHourMicros),
        status: 'offline',
        statusSince: now,
        lastHeartbeatAt: now,
        tokenHash: nodeToken.hash,
        createdAt: now,
      })
      .returning({ id: nodes.id });
    if (!node) throw new Error('node insert returned nothing');
    // Indexes are 0…n-1 as the agent's nvidia-smi numbers them; leases name GPUs by these indexes.
    await tx.insert(nodeGpus).values(
      request.gpus.map((gpu) => ({
        nodeId: node.id,
        index: gpu.index,
        model: gpu.model,
        vramGb: gpu.vramGb,
        serial: gpu.serial,
      })),
    );
    await tx
      .update(nodeRegistrationTokens)
      .set({ nodeId: node.id })
      .where(eq(nodeRegistrationTokens.tokenHash, claimed.tokenHash));
    await setNodeStatus(tx, node.id, 'online', now);
    return {
      nodeId: node.id,
      nodeToken: nodeToken.token,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      lostAfterMs: config.lostAfterMs,
    };
  });
}
