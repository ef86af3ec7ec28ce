import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '@/lib/clock';
import { dailyUptime, measureUptime, reliabilityBasisPoints, type StatusSpan } from '@/lib/market/uptime';

const now = new Date('2026-11-20T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

function span(status: StatusSpan['status'], startAgoMs: number, endAgoMs: number | null): StatusSpan {
  return { status, startedAt: ago(startAgoMs), endedAt: endAgoMs === null ? null : ago(endAgoMs) };
}

describe('uptime', () => {
  it('counts online and busy as up, offline and lost as down', () => {
    const spans = [
      span('online', 10 * MS_PER_HOUR, 8 * MS_PER_HOUR),
      span('busy', 8 * MS_PER_HOUR, 6 * MS_PER_HOUR),
      span('offline', 6 * MS_PER_HOUR, 5 * MS_PER_HOUR),
      span('lost', 5 * MS_PER_HOUR, 4 * MS_PER_HOUR),
      span('online', 4 * MS_PER_HOUR, null),
    ];
    expect(measureUptime(spans, ago(10 * MS_PER_HOUR), now)).toEqual({
      upMs: 8 * MS_PER_HOUR,
      observedMs: 10 * MS_PER_HOUR,
    });
    expect(reliabilityBasisPoints(spans, now)).toBe(8000);
  });

  it('ignores history older than the 30-day window and time before the node existed', () => {
    const spans = [span('offline', 60 * MS_PER_DAY, 29 * MS_PER_DAY), span('online', 29 * MS_PER_DAY, null)];
    // 1 day offline, 29 days online inside the window.
    expect(reliabilityBasisPoints(spans, now)).toBe(Math.round((29 / 30) * 10_000));
    const young = [span('online', 2 * MS_PER_DAY, null)];
    expect(reliabilityBasisPoints(young, now)).toBe(10_000);
  });

  it('scores a node with no history as 0 rather than perfect', () => {
    expect(reliabilityBasisPoints([], now)).toBe(0);
  });

  it('buckets by UTC day, today up to now, and leaves unobserved days null', () => {
    const spans = [span('online', 2 * MS_PER_DAY, MS_PER_DAY), span('offline', MS_PER_DAY, null)];
    const days = dailyUptime(spans, now, 4);
    expect(days.map((d) => d.day)).toEqual(['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(days[0]?.uptime).toBeNull();
    // 2026-11-18: online from 12:00 → observed 12 h, all up.
    expect(days[1]?.uptime).toBe(1);
    // 2026-11-19: online until 12:00, offline after.
    expect(days[2]?.uptime).toBe(0.5);
    expect(days[3]?.uptime).toBe(0);
  });
});
