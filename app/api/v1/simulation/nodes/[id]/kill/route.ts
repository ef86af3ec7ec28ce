import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { configuredSimulationOperators, simulateHostFailure } from '@/lib/simulation/control';

/**
 * Demo network only: the simulated node vanishes (stops heartbeating), as a real host would. For the demo's
 * operators and the node's own supplier; described in /api/v1/simulation/openapi.json, not the public reference.
 */
export const POST = apiRoute({
  auth: 'required',
  scope: 'jobs',
  body: emptyBodySchema,
  params: uuidParamsSchema,
  handler: async ({ ctx, params, principal }) => {
    if (!ctx.simulated) throw new AppError('not_found', 'There is no simulated fleet on this network.');
    return simulateHostFailure(ctx.db, {
      nodeId: params.id,
      caller: { accountId: principal.accountId, address: principal.address },
      operators: configuredSimulationOperators(ctx.chain),
    });
  },
});
