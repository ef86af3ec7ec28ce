import { z } from 'zod';
import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { jobEventStream } from '@/lib/jobs/live';
import { getOwnJob } from '@/lib/jobs/views';

/** SSE of the job's events; resumes after `Last-Event-ID` (sent by EventSource on reconnect) or `?after=`. */
export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  query: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
  handler: async ({ ctx, principal, params, query, request }) => {
    const job = await getOwnJob(ctx.db, principal.accountId, params.id);
    const header = Number(request.headers.get('last-event-id'));
    const after = Number.isSafeInteger(header) && header > 0 ? header : (query.after ?? 0);
    return jobEventStream(ctx.db, job.id, after, request.signal);
  },
});
