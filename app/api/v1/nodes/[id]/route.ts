import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { getNodeDetail } from '@/lib/market/get-node-detail';
import { nodeIdParamsSchema } from '@/lib/market/node-schemas';
import { supplierViewConfig } from '@/lib/supplier/config';
import { getSupplierNode, updateNodePrice } from '@/lib/supplier/nodes';
import { updateNodePriceSchema } from '@/lib/supplier/schemas';

export const GET = apiRoute({
  params: nodeIdParamsSchema,
  handler: async ({ params, ctx }) => {
    const { db, clock } = ctx;
    const node = await getNodeDetail(db, clock, params.id);
    if (!node) throw new AppError('not_found', `No node with id ${params.id}.`);
    return node;
  },
});

/**
 * The owner sets the node's price; the market offer follows at once. Another account's node is a 404. Jobs
 * already placed keep the price they locked.
 */
export const PATCH = apiRoute({
  auth: 'required',
  scope: 'supplier',
  params: nodeIdParamsSchema,
  body: updateNodePriceSchema,
  idempotency: 'optional',
  handler: async ({ params, body, ctx, principal }) => {
    const { db, clock } = ctx;
    await updateNodePrice(db, clock, principal.accountId, params.id, BigInt(body.pricePerGpuHourMicros));
    return getSupplierNode(db, clock, supplierViewConfig(), principal.accountId, params.id);
  },
});
