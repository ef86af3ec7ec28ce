import { describe, expect, it } from 'vitest';
import {
  applyJobEvent,
  applyJobEvents,
  emptyLiveState,
  liveEtaSeconds,
  MAX_LOG_LINES,
  resumeAfter,
  withWatermark,
} from '@/components/jobs/job-events';
import type { JobEventType, JobEventView } from '@/lib/jobs/schemas';

const JOB = '00000000-0000-4000-8000-000000000001';

function event(
  id: number,
  type: JobEventType,
  data: Record<string, unknown> = {},
  at?: string,
): JobEventView {
  return {
    id,
    jobId: JOB,
    type,
    data,
    createdAt: at ?? new Date(Date.UTC(2026, 0, 1, 12, 0, id)).toISOString(),
  };
}

function log(id: number, ...texts: string[]): JobEventView {
  return event(id, 'log', {
    attempt: 1,
    lines: texts.map((text, i) => ({
      at: `2026-01-01T12:00:0${i}Z`,
      stream: i % 2 ? 'stderr' : 'stdout',
      text,
    })),
  });
}

describe('the job event reducer', () => {
  it('keeps state changes in the timeline, in order, and notices the end', () => {
    const state = applyJobEvents(emptyLiveState(), [
      event(1, 'queued'),
      event(2, 'scheduled', { attempt: 1, nodeId: 'n', nodeName: 'node-1' }),
      event(3, 'running', { attempt: 1, nodeId: 'n' }),
      event(4, 'succeeded', { reason: 'completed', chargedMicros: '10', releasedMicros: '90' }),
    ]);
    expect(state.timeline.map((e) => e.type)).toEqual(['queued', 'scheduled', 'running', 'succeeded']);
    expect(state.terminal).toBe(true);
    expect(state.watermarks.timeline).toBe(4);
  });

  it('turns log events into numbered lines and keeps only the newest', () => {
    let state = applyJobEvents(emptyLiveState(), [log(1, 'a', 'b'), log(2, 'c')]);
    expect(state.logs.map((l) => [l.seq, l.text, l.stream])).toEqual([
      [0, 'a', 'stdout'],
      [1, 'b', 'stderr'],
      [2, 'c', 'stdout'],
    ]);
    const many = Array.from({ length: MAX_LOG_LINES - 1 }, (_, i) => `line ${i}`);
    state = applyJobEvent(state, log(3, ...many));
    expect(state.logs).toHaveLength(MAX_LOG_LINES);
    expect(state.logLinesSeen).toBe(MAX_LOG_LINES + 2);
    // The two oldest lines made room.
    expect(state.logs.slice(0, 2).map((l) => l.text)).toEqual(['c', 'line 0']);
    expect(state.logs.at(-1)?.seq).toBe(MAX_LOG_LINES + 1);
    expect(state.olderLogsOmitted).toBe(true);
  });

  it('skips events it has already applied (a replay after a reconnect)', () => {
    const once = applyJobEvents(emptyLiveState(), [log(5, 'x'), event(6, 'running', { attempt: 1 })]);
    const again = applyJobEvents(once, [log(5, 'x'), event(6, 'running', { attempt: 1 })]);
    expect(again).toBe(once);
  });

  it('tracks a watermark per class, so history read in two passes resumes without a gap', () => {
    // Timeline history was read up to event 10, logs and telemetry up to event 14: resume after 10, skip
    // the logs up to 14.
    let state = withWatermark(applyJobEvents(emptyLiveState(), [event(3, 'queued')]), 'timeline', 10);
    state = withWatermark(applyJobEvents(state, [log(12, 'old')]), 'log', 14);
    state = withWatermark(state, 'telemetry', 14);
    expect(resumeAfter(state)).toBe(10);
    state = applyJobEvents(state, [log(12, 'old'), event(13, 'scheduled', { attempt: 1 }), log(15, 'new')]);
    expect(state.logs.map((l) => l.text)).toEqual(['old', 'new']);
    expect(state.timeline.map((e) => e.id)).toEqual([3, 13]);
  });

  it('reads telemetry defensively and ignores unknown event types', () => {
    const state = applyJobEvents(emptyLiveState(), [
      event(1, 'telemetry', {
        attempt: 1,
        nodeId: 'n',
        gpus: [{ index: 0, utilizationPct: 97, memoryUsedMb: 1000, temperatureC: 70, powerW: 300 }, 'junk'],
      }),
      { ...event(2, 'queued'), type: 'mystery' as JobEventType },
    ]);
    expect(state.telemetry).toHaveLength(1);
    expect(state.telemetry[0]?.gpus).toEqual([
      { index: 0, utilizationPct: 97, memoryUsedMb: 1000, temperatureC: 70, powerW: 300 },
    ]);
    expect(state.timeline).toEqual([]);
  });
});

describe('the live ETA', () => {
  const at = (s: number) => Date.UTC(2026, 0, 1) + s * 1000;

  it('comes from the progress rate of the current attempt', () => {
    const samples = [
      { id: 1, atMs: at(0), attempt: 2, units: 100 },
      { id: 2, atMs: at(20), attempt: 2, units: 120 },
    ];
    // 1 unit/s, 80 units left, 5 s since the last sample.
    expect(
      liveEtaSeconds({ samples, workUnits: 200, server: { etaSeconds: 999, atMs: at(0) }, nowMs: at(25) }),
    ).toBe(75);
  });

  it("falls back to the server's estimate, counted down, when the samples say too little", () => {
    const samples = [
      { id: 1, atMs: at(0), attempt: 1, units: 10 },
      { id: 2, atMs: at(30), attempt: 2, units: 5 },
    ];
    expect(
      liveEtaSeconds({ samples, workUnits: 200, server: { etaSeconds: 600, atMs: at(0) }, nowMs: at(60) }),
    ).toBe(540);
    expect(
      liveEtaSeconds({ samples: [], workUnits: 1, server: { etaSeconds: null, atMs: 0 }, nowMs: 0 }),
    ).toBe(null);
  });
});
