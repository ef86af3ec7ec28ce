import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { getOwnJob, getReceipt } from '@/lib/jobs/views';

/** The signed receipt of a finished job (404 until it ends, and for other accounts' jobs). */
export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params }) => {
    const job = await getOwnJob(ctx.db, principal.accountId, params.id);
    return getReceipt(ctx.db, job.id);
  },
});
