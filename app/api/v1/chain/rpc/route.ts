import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { requireChain } from '@/lib/billing/chain-info';
import { forwardRpc, rpcPayloadSchema } from '@/lib/chain/rpc-proxy';

export const POST = apiRoute({
  body: rpcPayloadSchema,
  rateLimit: RATE_LIMITS.chainRpc,
  handler: async ({ ctx, body }) => forwardRpc(requireChain(ctx), body),
});
