import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { rerunSuspectJob } from '@/lib/jobs/rerun';
import { getJobDetail } from '@/lib/jobs/views';

/**
 * Re-runs a finished job whose work became suspect (docs/verification.md): a new job with the same spec and
 * budget, from the last checkpoint a trusted node wrote. 409 when nothing is suspect, the job still runs, or it
 * was re-run already; 402 when the balance does not cover the budget.
 */
export const POST = apiRoute({
  auth: 'required',
  scope: 'jobs',
  body: emptyBodySchema,
  params: uuidParamsSchema,
  rateLimit: RATE_LIMITS.launches,
  idempotency: 'optional',
  status: 201,
  handler: async ({ ctx, principal, params }) => {
    const job = await rerunSuspectJob(ctx.db, ctx.clock, {
      accountId: principal.accountId,
      jobId: params.id,
    });
    return getJobDetail(ctx.db, principal.accountId, job.id);
  },
});
