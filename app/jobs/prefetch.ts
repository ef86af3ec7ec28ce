import { QueryClient } from '@tanstack/react-query';
import { cookies } from 'next/headers';
import { serviceContext, type ServiceContext } from '@/lib/api/context';
import { getAccountView } from '@/lib/auth/accounts';
import type { SessionResponse } from '@/lib/auth/schemas';
import { resolveSession, SESSION_COOKIE } from '@/lib/auth/sessions';
import { listJobs } from '@/lib/jobs/views';
import { JOBS_PAGE_SIZE, type JobListFilters } from '@/lib/queries/jobs';
import { queryKeys } from '@/lib/queries/keys';

export interface JobsPrefetch {
  queryClient: QueryClient;
  ctx: ServiceContext;
  /** The signed-in account, or null (the page then shows its signed-out state). */
  accountId: string | null;
}

/**
 * A query cache holding the session, as the header and the jobs pages read it, and who it belongs to.
 * Whatever fails here is left to the browser, which asks the API and shows the API's error.
 */
export async function prefetchJobsSession(): Promise<JobsPrefetch> {
  const queryClient = new QueryClient();
  const ctx = await serviceContext();
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const principal = token ? await resolveSession(ctx.db, ctx.clock, token).catch(() => null) : null;
  const account = principal ? await getAccountView(ctx.db, principal.accountId).catch(() => null) : null;
  if (!principal || !account) {
    if (!principal) {
      const signedOut: SessionResponse = { account: null, expiresAt: null };
      queryClient.setQueryData(queryKeys.session, signedOut);
    }
    return { queryClient, ctx, accountId: null };
  }
  const session: SessionResponse = { account, expiresAt: principal.expiresAt?.toISOString() ?? null };
  queryClient.setQueryData(queryKeys.session, session);
  return { queryClient, ctx, accountId: principal.accountId };
}

/** The session and the first page of "my jobs" under the filters in the URL, as the list's hook asks. */
export async function prefetchJobList(filters: JobListFilters): Promise<QueryClient> {
  const { queryClient, ctx, accountId } = await prefetchJobsSession();
  if (!accountId) return queryClient;
  const page = await listJobs(ctx.db, accountId, { ...filters, limit: JOBS_PAGE_SIZE }).catch(() => null);
  if (page)
    queryClient.setQueryData(queryKeys.account.jobs.list(filters), { pages: [page], pageParams: [null] });
  return queryClient;
}
