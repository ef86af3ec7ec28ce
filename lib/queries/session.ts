import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { NonceResponse, SessionResponse } from '@/lib/auth/schemas';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/** Who is signed in (`account` is null when nobody is). Read by the header on every page; no wallet code. */
export function sessionQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => getJson<SessionResponse>('/api/v1/auth/session', signal),
    staleTime: 60_000,
  });
}

export function useSession() {
  return useQuery(sessionQueryOptions());
}

/**
 * Records a new session answer and drops everything cached for the previous account, so a second wallet
 * signing in on the same browser never sees the first one's balance, deposits or ledger.
 */
export function applySession(queryClient: QueryClient, session: SessionResponse): void {
  queryClient.removeQueries({ queryKey: queryKeys.account.all });
  queryClient.setQueryData(queryKeys.session, session);
}

/** A fresh single-use nonce and the exact fields the sign-in message must carry. */
export function requestSignInNonce(): Promise<NonceResponse> {
  return sendJson<NonceResponse>('POST', '/api/v1/auth/nonce', {});
}

/** Exchanges a signed EIP-4361 message for a session (an HttpOnly cookie) and the account it opens. */
export function verifySignIn(message: string, signature: string): Promise<SessionResponse> {
  return sendJson<SessionResponse>('POST', '/api/v1/auth/verify', { message, signature });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<SessionResponse>('POST', '/api/v1/auth/logout', {}),
    onSuccess: (session) => applySession(queryClient, session),
  });
}
