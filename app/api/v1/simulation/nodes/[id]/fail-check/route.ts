import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { AppError } from '@/lib/api/errors';
import { apiRoute } from '@/lib/api/route';
import { configuredSimulationOperators, simulateFailedCheck } from '@/lib/simulation/control';
import { orchestrationConfig } from '@/lib/jobs/config';

/**
 * Demo network only: the simulated node fails a check (as a canary catching skipped work would) and is
 * quarantined, with the remedies for its customers. For the demo's operators and the node's own supplier;
 * described in /api/v1/simulation/openapi.json, not the public reference.
 */
export const POST = apiRoute({
  auth: 'required',
  scope: 'supplier',
  body: emptyBodySchema,
  params: uuidParamsSchema,
  handler: async ({ ctx, params, principal }) => {
    if (!ctx.simulated) throw new AppError('not_found', 'There is no simulated fleet on this network.');
    return simulateFailedCheck(ctx.db, ctx.clock, orchestrationConfig(), {
      nodeId: params.id,
      caller: { accountId: principal.accountId, address: principal.address },
      operators: configuredSimulationOperators(ctx.chain),
    });
  },
});
