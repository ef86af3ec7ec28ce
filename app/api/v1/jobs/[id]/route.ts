import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { getJobDetail } from '@/lib/jobs/views';

export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params }) => getJobDetail(ctx.db, principal.accountId, params.id),
});
