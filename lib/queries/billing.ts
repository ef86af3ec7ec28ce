import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BalanceView } from '@/lib/billing/schemas';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/** Available / reserved / runway, and the low-balance alert, of the signed-in account. */
export function balanceQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.account.balance,
    queryFn: ({ signal }) => getJson<BalanceView>('/api/v1/balance', signal),
    // Runway moves while jobs run; a minute is fresh enough for a countdown in hours.
    refetchInterval: 60_000,
  });
}

export function useBalance(enabled = true) {
  return useQuery({ ...balanceQueryOptions(), enabled });
}

export interface AccountSettings {
  lowBalanceThresholdMicros: string | null;
}

/**
 * Sets (or, with null, turns off) the low-balance alert. The answer is the saved settings; the balance is
 * then re-read, since whether it is "low" is the server's call.
 */
export function useUpdateLowBalanceThreshold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (lowBalanceThresholdMicros: string | null) =>
      sendJson<AccountSettings>('PATCH', '/api/v1/account/settings', { lowBalanceThresholdMicros }),
    onSuccess: (settings) => {
      queryClient.setQueryData<BalanceView>(queryKeys.account.balance, (balance) =>
        balance ? { ...balance, ...settings } : balance,
      );
      return queryClient.invalidateQueries({ queryKey: queryKeys.account.balance });
    },
  });
}
