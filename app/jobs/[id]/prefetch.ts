import type { QueryClient } from '@tanstack/react-query';
import { prefetchJobsSession } from '@/app/jobs/prefetch';
import { loadJobLiveState } from '@/components/jobs/job-history';
import { AppError } from '@/lib/api/errors';
import type { SessionResponse } from '@/lib/auth/schemas';
import { simulationAccessOf } from '@/lib/simulation/control';
import { getJobDetail, getReceipt, listJobEvents, recentLogEvents } from '@/lib/jobs/views';
import { queryKeys } from '@/lib/queries/keys';
import { receiptSigner } from '@/lib/receipts/signer';

export interface JobMonitorPrefetch {
  queryClient: QueryClient;
  /** Whether the data is the simulated demo network (its operators get the "Simulate host failure" button). */
  demo: boolean;
  /** `missing`: no such job for this account (another account's job included), answered as a 404. */
  outcome: 'signed_out' | 'missing' | 'ready';
}

/**
 * What the monitor shows first, under the keys its hooks use: the session, the job's detail, its live state
 * (timeline, the newest log lines, the latest attempt's telemetry) and, once it has ended, its receipt.
 * Anything that fails other than "no such job" is left to the browser, which asks the API.
 */
export async function prefetchJobMonitor(jobId: string): Promise<JobMonitorPrefetch> {
  const { queryClient, ctx, accountId } = await prefetchJobsSession();
  const demo = ctx.simulated;
  if (!accountId) return { queryClient, demo, outcome: 'signed_out' };
  if (demo) {
    // What /api/v1/simulation/access answers, so an operator's failure switch is there on the first paint.
    const wallet = queryClient.getQueryData<SessionResponse>(queryKeys.session)?.account?.address ?? null;
    queryClient.setQueryData(queryKeys.account.simulationAccess, simulationAccessOf(ctx, wallet));
  }

  const detail = await getJobDetail(ctx.db, accountId, jobId).catch((error: unknown) =>
    error instanceof AppError && error.code === 'not_found' ? ('missing' as const) : null,
  );
  if (detail === 'missing') return { queryClient, demo, outcome: 'missing' };
  if (!detail) return { queryClient, demo, outcome: 'ready' };
  queryClient.setQueryData(queryKeys.account.jobs.detail(jobId), detail);

  const live = await loadJobLiveState({
    events: (query) => listJobEvents(ctx.db, jobId, query),
    recentLogs: (limit) => recentLogEvents(ctx.db, jobId, limit),
  }).catch(() => null);
  if (live) queryClient.setQueryData(queryKeys.account.jobs.live(jobId), live);

  if (detail.receiptAvailable) {
    const receipt = await getReceipt(ctx.db, jobId).catch(() => null);
    if (receipt) queryClient.setQueryData(queryKeys.account.jobs.receipt(jobId), receipt);
    // The published signer, so the page can say whether the receipt's signer is the marketplace's.
    const signer = (() => {
      try {
        return receiptSigner().address;
      } catch {
        return null;
      }
    })();
    if (signer) queryClient.setQueryData(queryKeys.receiptSigner, { address: signer });
  }
  return { queryClient, demo, outcome: 'ready' };
}
