import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { getOwnJob, jobLogText } from '@/lib/jobs/views';

export const GET = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, principal, params }) => {
    const job = await getOwnJob(ctx.db, principal.accountId, params.id);
    return new Response(await jobLogText(ctx.db, job.id), {
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="job-${job.id}-logs.txt"`,
        'Cache-Control': 'no-store',
      },
    });
  },
});
