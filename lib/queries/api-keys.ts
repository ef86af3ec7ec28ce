import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyView, CreatedApiKey } from '@/lib/auth/schemas';
import type { ApiKeyScope } from '@/lib/auth/scopes';
import { getJson, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

/** The signed-in account's API keys, newest first, revoked ones included (they show when they stopped). */
export function useApiKeys(enabled = true) {
  return useQuery({
    queryKey: queryKeys.account.apiKeys,
    queryFn: ({ signal }) => getJson<{ items: ApiKeyView[] }>('/api/v1/api-keys', signal),
    select: (data) => data.items,
    enabled,
  });
}

/** Creates a key; the answer carries the secret, which is never stored in the query cache. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: ApiKeyScope[] }) =>
      sendJson<CreatedApiKey>('POST', '/api/v1/api-keys', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.account.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      sendJson<ApiKeyView>('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.account.apiKeys }),
  });
}
