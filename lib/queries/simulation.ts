import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import type { SimulatedHostFailure, SimulationAccess } from '@/lib/simulation/schemas';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/** Whether the signed-in account is one of the demo's operators (who see the simulation controls). */
export function simulationAccessQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.account.simulationAccess,
    queryFn: ({ signal }) => getJson<SimulationAccess>('/api/v1/simulation/access', signal),
    // Configuration, not live data: it changes with a restart of the server at most.
    staleTime: 5 * 60_000,
  });
}

export function useSimulationAccess(enabled: boolean) {
  return useQuery({ ...simulationAccessQueryOptions(), enabled });
}

/** Demo network only: makes a simulated node vanish, to show failover. */
export function useSimulateHostFailure() {
  return useMutation({
    mutationFn: (nodeId: string) =>
      sendJson<SimulatedHostFailure>('POST', `/api/v1/simulation/nodes/${nodeId}/kill`, {}),
  });
}
