import { describe, expect, it } from 'vitest';
import { applyJobEvents, resumeAfter } from '@/components/jobs/job-events';
import { INITIAL_LOG_LINES, loadJobLiveState, type JobEventSource } from '@/components/jobs/job-history';
import type { JobEventType, JobEventView } from '@/lib/jobs/schemas';

const JOB = '00000000-0000-4000-8000-000000000002';

/** A job's events as the API holds them: ids increase; the source answers like the events endpoint. */
function history(types: JobEventType[]): JobEventView[] {
  return types.map((type, i) => ({
    id: (i + 1) * 10,
    jobId: JOB,
    type,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(),
    data:
      type === 'log'
        ? { attempt: 1, lines: [{ at: '2026-01-01T12:00:00Z', stream: 'stdout', text: `line ${i}` }] }
        : type === 'telemetry'
          ? {
              attempt: 1,
              nodeId: 'n',
              gpus: [{ index: 0, utilizationPct: i, memoryUsedMb: 1, temperatureC: 1, powerW: 1 }],
            }
          : { attempt: 1 },
  }));
}

function source(events: JobEventView[], withRecentLogs: boolean): JobEventSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async events({ after, types, limit }) {
      calls.push(`${types.join(',')}>${after}`);
      const items = events.filter((e) => e.id > after && types.includes(e.type)).slice(0, limit);
      return { items, lastId: items.at(-1)?.id ?? after };
    },
    ...(withRecentLogs
      ? {
          async recentLogs(limit: number) {
            calls.push(`recent ${limit}`);
            return events.filter((e) => e.type === 'log').slice(-limit);
          },
        }
      : {}),
  };
}

describe('the first state of the monitor', () => {
  const events = history([
    'queued',
    'scheduled',
    'log',
    'telemetry',
    'running',
    'log',
    'telemetry',
    'scheduled',
    'telemetry',
    'log',
  ]);

  for (const withRecentLogs of [true, false]) {
    it(`holds the timeline, the logs and the latest attempt's telemetry (${withRecentLogs ? 'server' : 'browser'})`, async () => {
      const state = await loadJobLiveState(source(events, withRecentLogs));
      expect(state.timeline.map((e) => e.type)).toEqual(['queued', 'scheduled', 'running', 'scheduled']);
      expect(state.logs.map((l) => l.text)).toEqual(['line 2', 'line 5', 'line 9']);
      // Only the telemetry after the second "scheduled" (event 80).
      expect(state.telemetry.map((t) => t.id)).toEqual([90]);
      expect(resumeAfter(state)).toBe(80);
    });
  }

  it('the stream then resumes without a repeat or a gap', async () => {
    const state = await loadJobLiveState(source(events, true));
    const replayed = events.filter((e) => e.id > resumeAfter(state));
    const next = applyJobEvents(state, [
      ...replayed,
      { ...events[9]!, id: 110, data: { attempt: 2, lines: [{ at: 'x', stream: 'stdout', text: 'new' }] } },
    ]);
    expect(next.logs.map((l) => l.text)).toEqual(['line 2', 'line 5', 'line 9', 'new']);
    expect(next.telemetry.map((t) => t.id)).toEqual([90]);
  });

  it('starts from the newest few hundred log lines', async () => {
    const many = history(['queued', ...Array.from({ length: INITIAL_LOG_LINES + 5 }, () => 'log' as const)]);
    const state = await loadJobLiveState(source(many, false));
    expect(state.logs).toHaveLength(INITIAL_LOG_LINES);
    expect(state.logs.at(-1)?.text).toBe(`line ${INITIAL_LOG_LINES + 5}`);
    expect(state.olderLogsOmitted).toBe(true);
  });
});
