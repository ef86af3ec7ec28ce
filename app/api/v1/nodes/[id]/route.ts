import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { nodeIdParamsSchema } from '@/lib/market/node-schemas';

export const GET = apiRoute({
  params: nodeIdParamsSchema,
  handler: async ({ params, ctx }) => {
    const { db, clock } = ctx;
    const node = await getNodeDetail(db, clock, params.id);
    if (!node) throw new AppError('not_found', `No node with id ${params.id}.`);
    return node;
  },
});
