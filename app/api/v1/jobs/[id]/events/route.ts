import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { jobEventsQuerySchema } from '@/lib/jobs/schemas';
import { getOwnJob, listJobEvents } from '@/lib/jobs/views';

export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  query: jobEventsQuerySchema,
  handler: async ({ ctx, principal, params, query }) => {
    await getOwnJob(ctx.db, principal.accountId, params.id);
    return listJobEvents(ctx.db, params.id, {
      after: query.after,
      types: query.types?.split(',').map((t) => t.trim()),
      limit: query.limit,
    });
  },
});
