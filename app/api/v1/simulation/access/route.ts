import { apiRoute } from '@/lib/api/route';
import { simulationAccessOf } from '@/lib/simulation/control';
import type { SimulationAccess } from '@/lib/simulation/schemas';

/** Whether the signed-in account may use the demo's simulation controls (the job page's failure switch). */
export const GET = apiRoute({
  auth: 'required',
  handler: async ({ ctx, principal }): Promise<SimulationAccess> =>
    simulationAccessOf(ctx, principal.address),
});
