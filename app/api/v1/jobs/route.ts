import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { launchJob } from '@/lib/jobs/launch';
import { jobListQuerySchema, jobSpecSchema } from '@/lib/jobs/schemas';
import { getJobDetail, listJobs } from '@/lib/jobs/views';

export const GET = apiRoute({
  auth: 'required',
  query: jobListQuerySchema,
  handler: async ({ ctx, principal, query }) => listJobs(ctx.db, principal.accountId, query),
});

/** Launch: holds the budget and queues the job, once per Idempotency-Key; 402 when the balance is short. */
export const POST = apiRoute({
  auth: 'required',
  scope: 'jobs',
  body: jobSpecSchema,
  rateLimit: RATE_LIMITS.launches,
  idempotency: 'required',
  status: 201,
  handler: async ({ ctx, principal, body }) => {
    const job = await launchJob(ctx.db, ctx.clock, { accountId: principal.accountId, spec: body });
    return getJobDetail(ctx.db, principal.accountId, job.id);
  },
});
