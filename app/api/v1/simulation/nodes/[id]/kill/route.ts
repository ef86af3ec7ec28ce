import { uuidParamsSchema } from '@/lib/api/common-schemas';
import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { simulateHostFailure } from '@/lib/fleet/simulation-control';

/** Demo network only: the simulated node vanishes (stops heartbeating), as a real host would. */
export const POST = apiRoute({
  auth: 'required',
  params: uuidParamsSchema,
  handler: async ({ ctx, params }) => {
    if (!ctx.simulated) throw new AppError('not_found', 'There is no simulated fleet on this network.');
    return simulateHostFailure(ctx.db, params.id);
  },
});
