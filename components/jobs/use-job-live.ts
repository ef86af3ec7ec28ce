'use client';

import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  applyJobEvents,
  changesJobDetail,
  isJobEventType,
  isTerminalEvent,
  JOB_EVENT_TYPES,
  num,
  resumeAfter,
  type JobLiveState,
} from '@/components/jobs/job-events';
import { loadJobLiveState } from '@/components/jobs/job-history';
import type { JobDetailView, JobEventView } from '@/lib/jobs/schemas';
import { fetchJobEvents, jobStreamPath } from '@/lib/queries/jobs';
import { queryKeys } from '@/lib/queries/keys';

/** `connecting` until the stream opens; `ended` once the job's final event has arrived. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended';

/** Events are applied in small batches: a burst of log lines costs one render, not one each. */
const BATCH_MS = 100;
/** State changes re-read the job's detail once per burst (a checkpoint is followed by its charge). */
const REFETCH_MS = 250;
/** After the browser gives up on the stream (an HTTP error), a new one is opened this much later. */
const RETRY_MS = 5_000;

/**
 * The monitor's live state: prefetched by the server page, or read from the events API when the server
 * could not. Never stale by time: the stream keeps it current.
 */
export function jobLiveQueryOptions(id: string) {
  return queryOptions({
    queryKey: queryKeys.account.jobs.live(id),
    queryFn: ({ signal }) => loadJobLiveState({ events: (query) => fetchJobEvents(id, query, signal) }),
    staleTime: Infinity,
  });
}

function parseEvent(text: string): JobEventView | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const event = value as Partial<JobEventView>;
    if (typeof event.id !== 'number' || typeof event.type !== 'string' || !isJobEventType(event.type))
      return null;
    if (typeof event.data !== 'object' || event.data === null || typeof event.createdAt !== 'string')
      return null;
    return event as JobEventView;
  } catch {
    return null;
  }
}

/**
 * Keeps the job's live state and detail current over one EventSource: events are folded into the live
 * state in the query cache, progress is patched into the detail, and state-changing events re-read the
 * detail. The browser reconnects by itself with `Last-Event-ID`; if it gives up, a new stream resumes from
 * the last event applied. The stream closes when the job's final event arrives.
 */
export function useJobLive(id: string, enabled: boolean) {
  const queryClient = useQueryClient();
  const live = useQuery({ ...jobLiveQueryOptions(id), enabled });
  const ready = live.data !== undefined;
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!enabled || !ready) return;
    const liveKey = queryKeys.account.jobs.live(id);
    const detailKey = queryKeys.account.jobs.detail(id);
    const initial = queryClient.getQueryData<JobLiveState>(liveKey);
    if (!initial || initial.terminal) return;

    let source: EventSource | null = null;
    let closed = false;
    let lastApplied = resumeAfter(initial);
    let pending: JobEventView[] = [];
    const timers: { flush?: number; refetch?: number; retry?: number } = {};

    const refetchDetail = () => {
      timers.refetch ??= window.setTimeout(() => {
        timers.refetch = undefined;
        void queryClient.invalidateQueries({ queryKey: detailKey });
      }, REFETCH_MS);
    };

    const close = () => {
      closed = true;
      source?.close();
      window.clearTimeout(timers.flush);
      window.clearTimeout(timers.retry);
    };

    const flush = () => {
      timers.flush = undefined;
      const batch = pending;
      pending = [];
      queryClient.setQueryData<JobLiveState>(liveKey, (state) =>
        state ? applyJobEvents(state, batch) : state,
      );
      const progress = batch.findLast((e) => e.type === 'progress');
      const units = progress ? num(progress.data, 'progressUnits') : null;
      if (units !== null)
        queryClient.setQueryData<JobDetailView>(detailKey, (job) =>
          job
            ? {
                ...job,
                progressUnits: units,
                progress: job.workUnits > 0 ? Math.min(1, units / job.workUnits) : 0,
              }
            : job,
        );
      if (batch.some((e) => changesJobDetail(e.type))) refetchDetail();
      if (batch.some((e) => isTerminalEvent(e.type))) {
        close();
        setStatus('ended');
        void queryClient.invalidateQueries({ queryKey: queryKeys.account.jobs.lists });
        void queryClient.invalidateQueries({ queryKey: queryKeys.account.balance });
      }
    };

    const onEvent = (message: MessageEvent<string>) => {
      const event = parseEvent(message.data);
      if (!event || event.jobId !== id || closed) return;
      lastApplied = Math.max(lastApplied, event.id);
      pending.push(event);
      timers.flush ??= window.setTimeout(flush, BATCH_MS);
    };

    const connect = () => {
      if (closed) return;
      const stream = new EventSource(jobStreamPath(id, lastApplied));
      source = stream;
      stream.onopen = () => setStatus('live');
      stream.onerror = () => {
        if (closed) return;
        setStatus('reconnecting');
        // CONNECTING: the browser retries by itself, sending Last-Event-ID. CLOSED: it gave up.
        if (stream.readyState === EventSource.CLOSED) {
          stream.close();
          timers.retry = window.setTimeout(connect, RETRY_MS);
          // The stream may be down for a while; the detail is re-read meanwhile (see useJobDetail's poll).
          refetchDetail();
        }
      };
      for (const type of JOB_EVENT_TYPES) stream.addEventListener(type, onEvent);
    };

    connect();
    return () => {
      close();
      window.clearTimeout(timers.refetch);
    };
  }, [enabled, ready, id, queryClient]);

  return { live, status: live.data?.terminal ? ('ended' as const) : status };
}
