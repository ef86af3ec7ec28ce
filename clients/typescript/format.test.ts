import { describe, expect, it } from 'vitest';
import type { JobEvent } from './client';
import { describeEvent, formatUsdc, table } from './format';

const event = (type: JobEvent['type'], data: Record<string, unknown>): JobEvent => ({
  id: 1,
  jobId: '00000000-0000-4000-8000-000000000000',
  type,
  data,
  createdAt: '2026-12-07T10:11:12.000Z',
});

describe('formatUsdc', () => {
  it('shows cents, and more precision only below a cent', () => {
    expect(formatUsdc('2250000')).toBe('$2.25');
    expect(formatUsdc('1234567890')).toBe('$1,234.57');
    expect(formatUsdc('0')).toBe('$0.00');
    expect(formatUsdc('10000')).toBe('$0.01');
    expect(formatUsdc('4521')).toBe('$0.004521');
    expect(formatUsdc('9')).toBe('$0.000009');
    expect(formatUsdc('-1500000')).toBe('-$1.50');
    expect(formatUsdc(null)).toBe('—');
  });
});

describe('table', () => {
  it('aligns columns under their headers', () => {
    expect(
      table(
        ['A', 'LONGER'],
        [
          ['wide cell', 'x'],
          ['y', ''],
        ],
      ),
    ).toBe('A          LONGER\nwide cell  x\ny');
  });
});

describe('describeEvent', () => {
  it('summarises each kind of event on lines of its own, and skips telemetry', () => {
    expect(describeEvent(event('progress', { attempt: 1, progressUnits: 4 }))).toEqual([
      '10:11:12 progress 4 units',
    ]);
    expect(
      describeEvent(event('log', { attempt: 1, lines: [{ text: 'frame 1' }, { text: 'frame 2' }] })),
    ).toEqual(['10:11:12 log frame 1', '10:11:12 log frame 2']);
    expect(
      describeEvent(
        event('scheduled', {
          nodeName: 'n1',
          gpuModel: 'l4-24gb',
          region: 'eu-west',
          pricePerGpuHourMicros: '800000',
        }),
      ),
    ).toEqual(['10:11:12 scheduled on n1 (l4-24gb, eu-west) at $0.80/GPU-hour']);
    expect(
      describeEvent(event('succeeded', { reason: null, chargedMicros: '12000', releasedMicros: '1988000' })),
    ).toEqual(['10:11:12 succeeded charged $0.01, released $1.99']);
    expect(describeEvent(event('telemetry', { gpus: [] }))).toEqual([]);
    expect(describeEvent(event('cancel_requested', {}))).toEqual(['10:11:12 cancel_requested']);
    expect(describeEvent(event('rerun', { rerunJobId: 'x'.repeat(200) }))[0]).toHaveLength(9 + 6 + 120);
  });
});
