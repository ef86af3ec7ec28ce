import { describe, expect, it } from 'vitest';
import {
  axisLabel,
  formatDay,
  formatDuration,
  formatInstant,
  formatMetricCell,
  formatMonth,
  formatRatio,
  formatShare,
  retentionStep,
  shiftMonth,
  spanLabel,
} from '@/components/metrics/format';
import { formatAxisValue, formatTooltipValue } from '@/components/metrics/value-format';

describe('formatMetricCell', () => {
  it('writes each column type the way the table shows it', () => {
    expect(formatMetricCell({ key: 'period', type: 'date' }, '2026-10-01')).toBe('2026-10-01');
    expect(formatMetricCell({ key: 'jobs', type: 'count' }, 12345)).toBe('12,345');
    expect(formatMetricCell({ key: 'paidGpuMs', type: 'integer', unit: 'gpu-ms' }, '9007199254740993')).toBe(
      '9,007,199,254,740,993',
    );
    expect(formatMetricCell({ key: 'x', type: 'micros', unit: 'usdc' }, '1234567890')).toBe('$1,234.57');
    expect(formatMetricCell({ key: 'x', type: 'micros', unit: 'usd' }, '4999')).toBe('$0.00');
    expect(formatMetricCell({ key: 'x', type: 'micros', unit: 'token' }, '2500000')).toBe('2.50 tokens');
    expect(formatMetricCell({ key: 'paidGpuHours', type: 'number' }, 1234.5678)).toBe('1,234.57');
    expect(formatMetricCell({ key: 'paidGpuHours', type: 'number' }, 0.012345)).toBe('0.012');
    expect(formatMetricCell({ key: 'paidGpuHours', type: 'number' }, 0)).toBe('0');
    expect(formatMetricCell({ key: 'takeRate', type: 'ratio' }, 0.1)).toBe('10.0%');
    expect(formatMetricCell({ key: 'subsidyRatio', type: 'ratio' }, 1.23456)).toBe('1.23');
    expect(formatMetricCell({ key: 'p50Seconds', type: 'count', unit: 'seconds' }, 43200)).toBe('43,200');
  });

  it('writes a dash for null and missing values', () => {
    expect(formatMetricCell({ key: 'takeRate', type: 'ratio' }, null)).toBe('—');
    expect(formatMetricCell({ key: 'jobs', type: 'count' }, undefined)).toBe('—');
  });

  it('keeps negative amounts (a reconciliation defect) visible', () => {
    expect(formatMetricCell({ key: 'x', type: 'micros', unit: 'usdc' }, '-2000000')).toBe('−$2.00');
  });
});

describe('durations, ratios and shares', () => {
  it('uses the units time-to-schedule rounds to', () => {
    expect(formatDuration(0)).toBe('under 1 s');
    expect(formatDuration(1)).toBe('1 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(90)).toBe('1 min 30 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(2 * 3600 + 15 * 60)).toBe('2 h 15 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('writes the subsidy ratio as a ratio and shares as percentages', () => {
    expect(formatRatio(0.4251)).toBe('0.43');
    expect(formatRatio(12)).toBe('12.00');
    expect(formatRatio(null)).toBe('—');
    expect(formatShare(0.9731)).toBe('97.3%');
    expect(formatShare(null)).toBe('—');
  });
});

describe('dates', () => {
  it('names months and days in UTC, whatever the local time zone', () => {
    expect(formatMonth('2026-10-01')).toBe('October 2026');
    expect(formatDay('2026-11-24')).toBe('Nov 24, 2026');
    expect(formatInstant('2026-11-24T14:05:59.123Z')).toBe('2026-11-24 14:05 UTC');
  });

  it('labels axis periods by granularity', () => {
    expect(axisLabel('2026-10-01', 'month')).toBe('Oct 2026');
    expect(axisLabel('2026-11-02', 'week')).toBe('Nov 2');
    expect(axisLabel('2026-11-24', 'day')).toBe('Nov 24');
  });

  it('shifts months across years', () => {
    expect(shiftMonth('2026-01-15', -1)).toBe('2025-12-01');
    expect(shiftMonth('2025-12-01', 2)).toBe('2026-02-01');
  });

  it('describes a span in months from two months up, in days below', () => {
    expect(spanLabel('2025-11-24T00:00:00Z', '2026-11-24T00:00:00Z')).toBe('12-month');
    expect(spanLabel('2026-09-25T00:00:00Z', '2026-11-24T00:00:00Z')).toBe('2-month');
    expect(spanLabel('2026-10-25T00:00:00Z', '2026-11-24T00:00:00Z')).toBe('30-day');
  });
});

describe('retentionStep', () => {
  it('maps retention onto six shades, boundaries included in the upper step', () => {
    expect([0, 0.049, 0.05, 0.15, 0.3, 0.5, 0.749, 0.75, 1].map(retentionStep)).toEqual([
      0, 0, 1, 2, 3, 4, 4, 5, 5,
    ]);
  });
});

describe('chart value formats', () => {
  it('writes short axis ticks', () => {
    expect(formatAxisValue('usd', 1234)).toBe('$1.2K');
    expect(formatAxisValue('percent', 0.4)).toBe('40%');
    expect(formatAxisValue('duration', 120)).toBe('2 min');
    expect(formatAxisValue('duration', 5400)).toBe('1.5 h');
    expect(formatAxisValue('duration', 60000)).toBe('17 h');
    expect(formatAxisValue('duration', 30)).toBe('30 s');
    expect(formatAxisValue('ratio', 0.5)).toBe('0.50');
    expect(formatAxisValue('integer', 1_500_000)).toBe('1.5M');
  });

  it('writes tooltips a little more precisely, and a dash for gaps', () => {
    expect(formatTooltipValue('usd', 1234.567)).toBe('$1,234.57');
    expect(formatTooltipValue('percent', 0.12345)).toBe('12.3%');
    expect(formatTooltipValue('integer', 41.6)).toBe('42');
    expect(formatTooltipValue('decimal', 3.14159)).toBe('3.1');
    expect(formatTooltipValue('usd', null)).toBe('—');
  });
});
