import { apiRoute } from '@/lib/api/route';
import { authenticateNode } from '@/lib/agent/node-auth';
import { filesConfig } from '@/lib/files/config';
import { createLeaseUpload } from '@/lib/files/lease-files';
import { agentUploadRequestSchema } from '@/lib/files/schemas';
import { callerOrigin } from '@/lib/files/transfer';

/** A signed PUT for an output or a checkpoint of a lease the node holds now. Authenticated by the node token. */
export const POST = apiRoute({
  cookieless: true,
  body: agentUploadRequestSchema,
  status: 201,
  handler: async ({ ctx, request, body }) => {
    const node = await authenticateNode(ctx.db, request);
    return createLeaseUpload(
      ctx.db,
      ctx.clock,
      ctx.storage,
      filesConfig(),
      callerOrigin(request, ctx.web.origins),
      node,
      body,
    );
  },
});
