import type { JobEventType, JobEventView } from '@/lib/jobs/schemas';

/**
 * The monitor's live state, built by folding the job's events (from the events API, then the stream) in
 * id order. Pure and serialisable, so the server can build the first one and the query cache can hold it.
 */

/** Which part of the monitor each event type feeds. A record, so a new event type fails to compile here. */
const EVENT_CLASS: Record<JobEventType, EventClass> = {
  queued: 'timeline',
  scheduled: 'timeline',
  running: 'timeline',
  progress: 'progress',
  checkpoint: 'timeline',
  log: 'log',
  telemetry: 'telemetry',
  charged: 'timeline',
  attempt_ended: 'timeline',
  requeued: 'timeline',
  cancel_requested: 'timeline',
  succeeded: 'timeline',
  failed: 'timeline',
  cancelled: 'timeline',
  out_of_budget: 'timeline',
  suspect: 'timeline',
  rerun: 'timeline',
};

/**
 * `timeline`: few, and all of them are kept. `log` and `telemetry`: many; only the recent ones are kept.
 * `progress`: only the latest matters (the job's detail carries the figure too).
 */
export type EventClass = 'timeline' | 'log' | 'telemetry' | 'progress';

export const JOB_EVENT_TYPES = Object.keys(EVENT_CLASS) as JobEventType[];
export const TIMELINE_EVENT_TYPES = JOB_EVENT_TYPES.filter((t) => EVENT_CLASS[t] === 'timeline');

const TERMINAL = new Set<string>(['succeeded', 'failed', 'cancelled', 'out_of_budget']);

/** Events after which the job's detail (state, attempts, charges) has changed on the server. */
const REFETCH = new Set<string>([
  'queued',
  'scheduled',
  'running',
  'checkpoint',
  'charged',
  'attempt_ended',
  'requeued',
  'cancel_requested',
  'suspect',
  'rerun',
  ...TERMINAL,
]);

export function isTerminalEvent(type: string): boolean {
  return TERMINAL.has(type);
}

export function changesJobDetail(type: string): boolean {
  return REFETCH.has(type);
}

export function isJobEventType(type: string): type is JobEventType {
  return Object.hasOwn(EVENT_CLASS, type);
}

/** Log lines kept in the browser; older ones stay in the full download. */
export const MAX_LOG_LINES = 5_000;
/** Telemetry samples kept for the charts (about ten minutes at one sample per heartbeat). */
export const MAX_TELEMETRY_SAMPLES = 120;
const MAX_PROGRESS_SAMPLES = 30;

export type LogStream = 'stdout' | 'stderr' | 'agent';

export interface LogLine {
  /** Position among every line seen, so rows keep their keys as old lines drop off. */
  seq: number;
  at: string;
  stream: LogStream;
  text: string;
  attempt: number;
}

export interface GpuSample {
  index: number;
  utilizationPct: number;
  memoryUsedMb: number;
  temperatureC: number;
  powerW: number;
}

export interface TelemetrySample {
  id: number;
  at: string;
  attempt: number;
  nodeId: string;
  gpus: GpuSample[];
}

export interface ProgressSample {
  id: number;
  atMs: number;
  attempt: number;
  units: number;
}

export interface TimelineEvent {
  id: number;
  type: JobEventType;
  at: string;
  data: Record<string, unknown>;
}

export interface JobLiveState {
  /** Highest event id applied, per class. Replays (reconnects, overlapping pages) are skipped. */
  watermarks: Record<EventClass, number>;
  timeline: TimelineEvent[];
  logs: LogLine[];
  /** Lines seen in total: the next line's `seq`. */
  logLinesSeen: number;
  /** Older lines exist that are not kept here (they are in the full download). */
  olderLogsOmitted: boolean;
  telemetry: TelemetrySample[];
  progress: ProgressSample[];
  terminal: boolean;
}

export function emptyLiveState(): JobLiveState {
  return {
    watermarks: { timeline: 0, log: 0, telemetry: 0, progress: 0 },
    timeline: [],
    logs: [],
    logLinesSeen: 0,
    olderLogsOmitted: false,
    telemetry: [],
    progress: [],
    terminal: false,
  };
}

export function num(data: Record<string, unknown>, key: string): number | null {
  const value = data[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function str(data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function gpuSamples(value: unknown): GpuSample[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const gpu = record(item);
    if (!gpu) return [];
    const index = num(gpu, 'index');
    if (index === null) return [];
    return [
      {
        index,
        utilizationPct: num(gpu, 'utilizationPct') ?? 0,
        memoryUsedMb: num(gpu, 'memoryUsedMb') ?? 0,
        temperatureC: num(gpu, 'temperatureC') ?? 0,
        powerW: num(gpu, 'powerW') ?? 0,
      },
    ];
  });
}

function logLines(event: JobEventView, firstSeq: number): LogLine[] {
  const lines = event.data.lines;
  if (!Array.isArray(lines)) return [];
  const attempt = num(event.data, 'attempt') ?? 0;
  const out: LogLine[] = [];
  for (const item of lines) {
    const line = record(item);
    if (!line) continue;
    const stream = str(line, 'stream');
    out.push({
      seq: firstSeq + out.length,
      at: str(line, 'at') ?? event.createdAt,
      stream: stream === 'stderr' || stream === 'agent' ? stream : 'stdout',
      text: str(line, 'text') ?? '',
      attempt,
    });
  }
  return out;
}

function keepLast<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

/** Keeps only the newest `max` log lines (the first paint carries a few hundred, not thousands). */
export function trimLogs(state: JobLiveState, max: number): JobLiveState {
  if (state.logs.length <= max) return state;
  return { ...state, logs: keepLast(state.logs, max), olderLogsOmitted: true };
}

/** Applies one event; returns the same object when the event was already applied (or is unknown). */
export function applyJobEvent(state: JobLiveState, event: JobEventView): JobLiveState {
  if (!isJobEventType(event.type)) return state;
  const cls = EVENT_CLASS[event.type];
  if (event.id <= state.watermarks[cls]) return state;
  const next: JobLiveState = { ...state, watermarks: { ...state.watermarks, [cls]: event.id } };
  const attempt = num(event.data, 'attempt') ?? 0;
  switch (event.type) {
    case 'log': {
      const lines = logLines(event, state.logLinesSeen);
      const all = [...state.logs, ...lines];
      next.logs = keepLast(all, MAX_LOG_LINES);
      next.logLinesSeen = state.logLinesSeen + lines.length;
      if (all.length > MAX_LOG_LINES) next.olderLogsOmitted = true;
      return next;
    }
    case 'telemetry': {
      const sample: TelemetrySample = {
        id: event.id,
        at: event.createdAt,
        attempt,
        nodeId: str(event.data, 'nodeId') ?? '',
        gpus: gpuSamples(event.data.gpus),
      };
      next.telemetry = keepLast([...state.telemetry, sample], MAX_TELEMETRY_SAMPLES);
      return next;
    }
    case 'progress': {
      const units = num(event.data, 'progressUnits');
      if (units === null) return next;
      const sample = { id: event.id, atMs: Date.parse(event.createdAt), attempt, units };
      next.progress = keepLast([...state.progress, sample], MAX_PROGRESS_SAMPLES);
      return next;
    }
    default:
      next.timeline = [
        ...state.timeline,
        { id: event.id, type: event.type, at: event.createdAt, data: event.data },
      ];
      if (isTerminalEvent(event.type)) next.terminal = true;
      return next;
  }
}

export function applyJobEvents(state: JobLiveState, events: readonly JobEventView[]): JobLiveState {
  return events.reduce(applyJobEvent, state);
}

/** Marks a class as complete up to `id` (a fully read page of history), so the stream need not replay it. */
export function withWatermark(state: JobLiveState, cls: EventClass, id: number): JobLiveState {
  return id > state.watermarks[cls] ? { ...state, watermarks: { ...state.watermarks, [cls]: id } } : state;
}

/**
 * Where the stream resumes: after the lowest watermark of the classes read from history, so nothing in
 * between is missed; what it replays of the other classes is skipped by their watermarks.
 */
export function resumeAfter(state: JobLiveState): number {
  const { timeline, log, telemetry } = state.watermarks;
  return Math.min(timeline, log, telemetry);
}

/**
 * Seconds to completion. From the live progress samples of the latest attempt when they span at least
 * `minSpanMs` with progress made; otherwise the server's estimate, counted down since it was read.
 */
export function liveEtaSeconds(input: {
  samples: readonly ProgressSample[];
  workUnits: number;
  server: { etaSeconds: number | null; atMs: number };
  nowMs: number;
  minSpanMs?: number;
}): number | null {
  const { samples, workUnits, server, nowMs, minSpanMs = 10_000 } = input;
  const last = samples.at(-1);
  if (last) {
    const current = samples.filter((s) => s.attempt === last.attempt);
    const first = current[0];
    if (first && last.atMs - first.atMs >= minSpanMs && last.units > first.units) {
      const unitsPerMs = (last.units - first.units) / (last.atMs - first.atMs);
      const remainingMs = Math.max(0, workUnits - last.units) / unitsPerMs;
      return Math.max(0, Math.round((remainingMs - (nowMs - last.atMs)) / 1000));
    }
  }
  if (server.etaSeconds === null) return null;
  return Math.max(0, Math.round(server.etaSeconds - (nowMs - server.atMs) / 1000));
}
