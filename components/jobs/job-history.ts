import {
  applyJobEvents,
  emptyLiveState,
  TIMELINE_EVENT_TYPES,
  trimLogs,
  withWatermark,
  type JobLiveState,
} from '@/components/jobs/job-events';
import type { JobEventType, JobEventView } from '@/lib/jobs/schemas';

/**
 * Where the monitor's first state comes from: the server page reads the database, the browser (when the
 * server could not) the events API. Both go through `loadJobLiveState`, so they build the same state.
 */
export interface JobEventSource {
  /** Events after `after`, oldest first, of the given types; `lastId` is the last one returned. */
  events(query: {
    after: number;
    types: readonly JobEventType[];
    limit: number;
  }): Promise<{ items: JobEventView[]; lastId: number }>;
  /** The newest `limit` log events, oldest first. Without it, logs are read from the start. */
  recentLogs?(limit: number): Promise<JobEventView[]>;
}

const PAGE = 1_000;
/** Log events the first paint starts from (each carries a heartbeat's worth of lines). */
export const RECENT_LOG_EVENTS = 50;
/** Log lines on the first paint; the stream adds to them, the download has them all. */
export const INITIAL_LOG_LINES = 200;
/** Telemetry pages read here; the rest of a very long attempt's telemetry comes from the stream's replay. */
const MAX_TELEMETRY_PAGES = 3;

async function readPages(
  source: JobEventSource,
  types: readonly JobEventType[],
  after: number,
  state: JobLiveState,
  maxPages = Infinity,
): Promise<{ state: JobLiveState; lastId: number; complete: boolean }> {
  let cursor = after;
  let next = state;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await source.events({ after: cursor, types, limit: PAGE });
    next = applyJobEvents(next, page.items);
    cursor = Math.max(cursor, page.lastId);
    if (page.items.length < PAGE) return { state: next, lastId: cursor, complete: true };
  }
  return { state: next, lastId: cursor, complete: false };
}

/**
 * The monitor's first state: the whole timeline, the newest log lines and the telemetry of the latest
 * attempt, with a watermark per kind so the live stream resumes without a gap and without repeats.
 * The reads run in this order on purpose: each watermark may be raised to what the earlier reads saw.
 */
export async function loadJobLiveState(source: JobEventSource): Promise<JobLiveState> {
  const timeline = await readPages(source, TIMELINE_EVENT_TYPES, 0, emptyLiveState());
  let state = withWatermark(timeline.state, 'timeline', timeline.lastId);
  // Progress before this point is in the job's detail, read before the history.
  state = withWatermark(state, 'progress', timeline.lastId);

  let logsUpTo: number;
  if (source.recentLogs) {
    const recent = await source.recentLogs(RECENT_LOG_EVENTS);
    state = applyJobEvents(state, recent);
    if (recent.length >= RECENT_LOG_EVENTS) state = { ...state, olderLogsOmitted: true };
    logsUpTo = Math.max(timeline.lastId, recent.at(-1)?.id ?? 0);
  } else {
    const logs = await readPages(source, ['log'], 0, state);
    state = logs.state;
    logsUpTo = Math.max(timeline.lastId, logs.lastId);
  }
  state = withWatermark(trimLogs(state, INITIAL_LOG_LINES), 'log', logsUpTo);

  // Telemetry of the latest attempt only: the charts show one node's GPUs.
  const attemptStart = state.timeline.findLast((e) => e.type === 'scheduled')?.id ?? timeline.lastId;
  const telemetry = await readPages(source, ['telemetry'], attemptStart, state, MAX_TELEMETRY_PAGES);
  return withWatermark(
    telemetry.state,
    'telemetry',
    telemetry.complete ? Math.max(logsUpTo, telemetry.lastId) : telemetry.lastId,
  );
}
