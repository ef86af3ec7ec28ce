import { queryOptions, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { SessionResponse } from '@/lib/auth/schemas';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/** Who is signed in (`account` is null when nobody is). */
export function sessionQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => getJson<SessionResponse>('/api/v1/auth/session', signal),
    staleTime: 60_000,
    // Read without a query observer (below), so nothing would keep it alive; it is one tiny object.
    gcTime: Infinity,
  });
}

/**
 * The session, from the shared query cache. Every page's header reads it, so it subscribes to the cache
 * directly instead of through `useQuery`: React Query's observer would add about 3 kB gzip to the first load
 * of public pages, which have a JavaScript budget. Fetching still goes through the cache (`prefetchQuery`,
 * which keeps hydrated or fresh data), and the billing page and header always agree.
 */
export function useSession() {
  const queryClient = useQueryClient();
  const subscribe = useCallback(
    (onChange: () => void) =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.query.queryKey[0] === queryKeys.session[0]) onChange();
      }),
    [queryClient],
  );
  const read = () => queryClient.getQueryState<SessionResponse>(queryKeys.session);
  const state = useSyncExternalStore(subscribe, read, read);
  useEffect(() => {
    void queryClient.prefetchQuery(sessionQueryOptions());
  }, [queryClient]);
  const refetch = useCallback(
    () => queryClient.fetchQuery({ ...sessionQueryOptions(), staleTime: 0 }).catch(() => undefined),
    [queryClient],
  );
  return {
    data: state?.data,
    error: state?.status === 'error' ? state.error : null,
    isPending: !state || state.status === 'pending',
    refetch,
  };
}

/**
 * Records a new session answer and drops everything cached for the previous account, so a second wallet
 * signing in on the same browser never sees the first one's balance, deposits or ledger.
 */
export function applySession(queryClient: QueryClient, session: SessionResponse): void {
  queryClient.removeQueries({ queryKey: queryKeys.account.all });
  queryClient.setQueryData(queryKeys.session, session);
}

/** Server-side logout (the session stops working everywhere). Plain state, for the same reason as above. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ pending: boolean; error: Error | null }>({
    pending: false,
    error: null,
  });
  const signOut = useCallback(async () => {
    setState({ pending: true, error: null });
    try {
      applySession(queryClient, await sendJson<SessionResponse>('POST', '/api/v1/auth/logout', {}));
      setState({ pending: false, error: null });
    } catch (error) {
      setState({ pending: false, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }, [queryClient]);
  return { ...state, signOut };
}
