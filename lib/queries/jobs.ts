import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  skipToken,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  JobDetailView,
  JobEventType,
  JobEventView,
  JobSpecInput,
  JobView,
  quoteRequestSchema,
  quoteSchema,
  receiptSchema,
} from '@/lib/jobs/schemas';
import { JOB_TEMPLATES } from '@/lib/jobs/templates';
import { getJson, isApiError, sendJson } from '@/lib/queries/api-client';
import { queryKeys } from '@/lib/queries/keys';

export type JobState = JobView['state'];
export type JobTemplateId = JobView['template'];
export type QuoteRequest = z.input<typeof quoteRequestSchema>;
export type Quote = z.infer<typeof quoteSchema>;
export type JobReceipt = z.infer<typeof receiptSchema>;

export interface JobPage {
  items: JobView[];
  nextCursor: string | null;
}

export interface JobEventPage {
  items: JobEventView[];
  lastId: number;
}

/** A state, or one of the groups the API understands: active (queued, scheduled, running) or finished. */
export type JobStateFilter = 'active' | 'finished' | JobState;

/** The "my jobs" view as it lives in the URL (`?state=&template=`). */
export interface JobListFilters {
  state?: JobStateFilter;
  template?: JobTemplateId;
}

/** Every job state, in lifecycle order; a record so a new state in the schema fails to compile here. */
const STATE_ORDER: Record<JobState, number> = {
  queued: 0,
  scheduled: 1,
  running: 2,
  succeeded: 3,
  failed: 4,
  cancelled: 5,
  out_of_budget: 6,
};
export const JOB_STATES = (Object.keys(STATE_ORDER) as JobState[]).sort(
  (a, b) => STATE_ORDER[a] - STATE_ORDER[b],
);
export const JOB_STATE_FILTERS: readonly JobStateFilter[] = ['active', 'finished', ...JOB_STATES];

/** Jobs that can still change: the monitor streams them and offers Cancel. */
export function isJobActive(state: JobState): boolean {
  return state === 'queued' || state === 'scheduled' || state === 'running';
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/**
 * Reads the list filters from the URL. Free of zod (the browser bundle stays small): unknown values are
 * dropped rather than refused. The server page and the client read the URL through this same function,
 * so their query keys match and hydration reuses the server's first page.
 */
export function readJobFilters(params: URLSearchParams): JobListFilters {
  const filters: JobListFilters = {};
  const state = oneOf(params.get('state'), JOB_STATE_FILTERS);
  if (state) filters.state = state;
  const template = oneOf(
    params.get('template'),
    JOB_TEMPLATES.map((t) => t.id),
  );
  if (template) filters.template = template;
  return filters;
}

/** Canonical query string of the filters: fixed key order, unset filters omitted. */
export function jobFiltersToSearchParams(filters: JobListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.state) params.set('state', filters.state);
  if (filters.template) params.set('template', filters.template);
  return params;
}

/** Jobs per page of "my jobs"; the server page prefetches the first page with the same size. */
export const JOBS_PAGE_SIZE = 25;

/** How often a list showing active jobs is re-read, so progress and cost move without a reload. */
const ACTIVE_LIST_POLL_MS = 5_000;

export function jobsQueryOptions(filters: JobListFilters) {
  return infiniteQueryOptions({
    queryKey: queryKeys.account.jobs.list(filters),
    queryFn: ({ pageParam, signal }) => {
      const params = jobFiltersToSearchParams(filters);
      params.set('limit', String(JOBS_PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      return getJson<JobPage>(`/api/v1/jobs?${params}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((job) => isJobActive(job.state)))
        ? ACTIVE_LIST_POLL_MS
        : false,
  });
}

export function useJobs(filters: JobListFilters, enabled = true) {
  return useInfiniteQuery({ ...jobsQueryOptions(filters), enabled });
}

/** One job with its attempts. Kept current by the monitor's event stream, not by polling. */
export function jobDetailQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.account.jobs.detail(id),
    queryFn: ({ signal }) => getJson<JobDetailView>(`/api/v1/jobs/${id}`, signal),
    retry: (count, error) => count < 2 && !isApiError(error),
  });
}

/**
 * The job's detail. `pollMs` re-reads it while the live stream is down, so the page never goes stale
 * silently.
 */
export function useJobDetail(id: string, { enabled = true, pollMs }: { enabled?: boolean; pollMs?: number }) {
  return useQuery({ ...jobDetailQueryOptions(id), enabled, refetchInterval: pollMs ?? false });
}

/** One page of a job's events, oldest first, after event `after`, optionally of some types only. */
export function fetchJobEvents(
  id: string,
  query: { after: number; types?: readonly JobEventType[]; limit?: number },
  signal?: AbortSignal,
): Promise<JobEventPage> {
  const params = new URLSearchParams({ after: String(query.after) });
  if (query.types) params.set('types', query.types.join(','));
  if (query.limit) params.set('limit', String(query.limit));
  return getJson<JobEventPage>(`/api/v1/jobs/${id}/events?${params}`, signal);
}

/** Path of the job's live event stream (Server-Sent Events), resuming after event `after`. */
export function jobStreamPath(id: string, after: number): string {
  return `/api/v1/jobs/${id}/stream?after=${after}`;
}

/** Plain-text download of every log line of the job. */
export function jobLogsPath(id: string): string {
  return `/api/v1/jobs/${id}/logs`;
}

/** The signed receipt (JSON); 404 until the job has finished. */
export function jobReceiptPath(id: string): string {
  return `/api/v1/jobs/${id}/receipt`;
}

export function useJobReceipt(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.account.jobs.receipt(id),
    queryFn: ({ signal }) => getJson<JobReceipt>(jobReceiptPath(id), signal),
    enabled,
    // A signed receipt never changes.
    staleTime: Infinity,
    retry: (count, error) => count < 2 && !isApiError(error),
  });
}

/** The marketplace's receipt-signing address, as published for verifiers. */
export function useReceiptSigner(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.receiptSigner,
    queryFn: ({ signal }) => getJson<{ address: string }>('/api/v1/receipts/signer', signal),
    enabled,
    staleTime: Infinity,
  });
}

/**
 * A live quote for a spec (matching offers, best options, estimate, runway). A POST, but a read: it is
 * cached per request, and the previous answer stays on screen while the next one loads.
 */
export function quoteQueryOptions(request: QuoteRequest | null) {
  return queryOptions({
    queryKey: queryKeys.account.quote(request),
    queryFn: request ? () => sendJson<Quote>('POST', '/api/v1/quotes', request) : skipToken,
    placeholderData: keepPreviousData,
    // Offers move as jobs start and finish; half a minute is fresh enough for a quote.
    staleTime: 30_000,
    retry: (count, error) => count < 2 && !isApiError(error),
  });
}

/** The quote of `request`; null (a spec that cannot be quoted yet) asks nothing. */
export function useQuote(request: QuoteRequest | null) {
  return useQuery(quoteQueryOptions(request));
}

export interface LaunchRequest {
  spec: JobSpecInput;
  /** One key per submission attempt, reused when the same attempt is retried. */
  idempotencyKey: string;
}

/**
 * Launches a job (`POST /api/v1/jobs`, which requires an `Idempotency-Key`). The answer is the new job's
 * detail; it goes straight into the cache so the monitor opens without a request.
 */
export function useLaunchJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ spec, idempotencyKey }: LaunchRequest) =>
      sendJson<JobDetailView>('POST', '/api/v1/jobs', spec, { 'Idempotency-Key': idempotencyKey }),
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.account.jobs.detail(job.id), job);
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.jobs.lists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.balance });
    },
  });
}

/** Asks the job to stop; the answer is its detail (the stream then reports the cancellation). */
/** One click re-runs suspect work (POST /jobs/{id}/rerun); the new job's detail is cached for its page. */
export function useRerunJob(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<JobDetailView>('POST', `/api/v1/jobs/${id}/rerun`, {}),
    onSuccess: (rerun) => {
      queryClient.setQueryData(queryKeys.account.jobs.detail(rerun.id), rerun);
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.jobs.detail(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.jobs.lists });
    },
  });
}

export function useCancelJob(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<JobDetailView>('POST', `/api/v1/jobs/${id}/cancel`, {}),
    onSuccess: (job) => {
      queryClient.setQueryData(queryKeys.account.jobs.detail(id), job);
      void queryClient.invalidateQueries({ queryKey: queryKeys.account.jobs.lists });
    },
  });
}
