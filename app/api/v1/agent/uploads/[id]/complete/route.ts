import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { authenticateNode } from '@/lib/agent/node-auth';
import { completeLeaseUpload } from '@/lib/files/lease-files';
import { agentCompleteRequestSchema } from '@/lib/files/schemas';

/** The upload is done: its bytes are checked, and a checkpoint is kept from now on. Node token. */
export const POST = apiRoute({
  cookieless: true,
  params: uuidParamsSchema,
  body: agentCompleteRequestSchema,
  handler: async ({ ctx, request, params, body }) => {
    const node = await authenticateNode(ctx.db, request);
    return completeLeaseUpload(ctx.db, ctx.clock, ctx.storage, node, params.id, body.fencingToken);
  },
});
