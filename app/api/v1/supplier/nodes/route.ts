import { pageQuerySchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { supplierViewConfig } from '@/lib/supplier/config';
import { listSupplierNodes } from '@/lib/supplier/nodes';

/** The caller's own nodes with status, uptime, utilization, verification, market band and earnings. */
export const GET = apiRoute({
  auth: 'required',
  query: pageQuerySchema,
  handler: async ({ ctx, principal, query }) =>
    listSupplierNodes(ctx.db, ctx.clock, supplierViewConfig(), principal.accountId, query),
});
