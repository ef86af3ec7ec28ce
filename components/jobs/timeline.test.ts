import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '@/components/jobs/job-events';
import { timelineEntries } from '@/components/jobs/timeline';
import type { JobEventType } from '@/lib/jobs/schemas';

let nextId = 0;
function event(type: JobEventType, data: Record<string, unknown> = {}): TimelineEvent {
  nextId += 1;
  return { id: nextId, type, at: `2026-01-01T12:00:${String(nextId).padStart(2, '0')}Z`, data };
}

describe('the status timeline', () => {
  it('tells a failover in plain words, one line per state change', () => {
    const entries = timelineEntries(
      [
        event('queued'),
        event('scheduled', {
          attempt: 1,
          nodeName: 'tokyo-7',
          region: 'ap-northeast',
          gpuModel: 'rtx-4090-24gb',
          gpuIndexes: [0],
          pricePerGpuHourMicros: '400000',
        }),
        event('running', { attempt: 1 }),
        event('checkpoint', { attempt: 1, units: 10 }),
        event('charged', {
          attempt: 1,
          chargedMicros: '20000',
          totalChargedMicros: '20000',
          meteredMs: 180_000,
        }),
        event('checkpoint', { attempt: 1, units: 20 }),
        event('charged', {
          attempt: 1,
          chargedMicros: '20000',
          totalChargedMicros: '40000',
          meteredMs: 180_000,
        }),
        event('attempt_ended', {
          attempt: 1,
          state: 'host_lost',
          reason: 'missed heartbeats',
          meteredMs: 360_000,
          forfeitedMs: 25_000,
        }),
        event('requeued', { attempt: 1, reason: 'host_lost', resumeFromUnits: 20 }),
        event('succeeded', { reason: 'completed', chargedMicros: '90000', releasedMicros: '910000' }),
      ],
      'frames',
    );
    expect(entries.map((e) => e.title)).toEqual([
      'Queued',
      'Scheduled on tokyo-7 (attempt 1)',
      'Running (attempt 1)',
      '2 checkpoints, latest at 20 frames · Charged $0.04 in 2 settlements',
      'Attempt 1 ended: host lost',
      'Requeued: host lost',
      'Succeeded',
    ]);
    expect(entries[1]?.detail).toBe('1× RTX 4090 24GB · Japan (Tokyo) · $0.40/GPU-hr');
    expect(entries[3]?.detail).toBe('total charged $0.04');
    expect(entries[4]).toMatchObject({
      tone: 'danger',
      detail: 'missed heartbeats · 6 m 00 s metered · 25 s forfeited, not charged',
    });
    expect(entries[5]?.detail).toBe('Resumes from 20 frames (last checkpoint)');
    expect(entries[6]).toMatchObject({ tone: 'success', detail: 'charged $0.09 · released $0.91' });
  });

  it('describes a lone checkpoint or charge like any other line', () => {
    const entries = timelineEntries([event('checkpoint', { units: 5 }), event('cancel_requested')], 'steps');
    expect(entries.map((e) => e.title)).toEqual(['Checkpoint at 5 steps', 'Cancellation requested']);
  });
});
