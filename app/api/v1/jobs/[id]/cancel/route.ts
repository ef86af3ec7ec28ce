import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { cancelJob } from '@/lib/jobs/cancel';
import { getJobDetail, getOwnJob } from '@/lib/jobs/views';

export const POST = apiRoute({
  auth: 'required',
  scope: 'jobs',
  body: emptyBodySchema,
  params: uuidParamsSchema,
  idempotency: 'optional',
  handler: async ({ ctx, principal, params }) => {
    await getOwnJob(ctx.db, principal.accountId, params.id);
    await cancelJob(ctx.db, ctx.clock, principal.accountId, params.id);
    return getJobDetail(ctx.db, principal.accountId, params.id);
  },
});
