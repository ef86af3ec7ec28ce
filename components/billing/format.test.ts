import { describe, expect, it } from 'vitest';
import { formatRunway, formatTimestamp } from '@/components/billing/format';

describe('formatRunway', () => {
  it('reads hours and minutes under two days', () => {
    expect(formatRunway(3.2)).toBe('3 h 12 m');
    expect(formatRunway(0.5)).toBe('0 h 30 m');
    expect(formatRunway(47.99)).toBe('47 h 59 m');
  });

  it('reads days and hours from two days on', () => {
    expect(formatRunway(48)).toBe('2 d 0 h');
    expect(formatRunway(75.5)).toBe('3 d 3 h');
  });

  it('answers a dash for figures that are not a duration', () => {
    expect(formatRunway(-1)).toBe('—');
    expect(formatRunway(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatTimestamp', () => {
  it('is UTC whatever the offset of the input', () => {
    expect(formatTimestamp('2026-05-03T14:05:59.999Z')).toBe('2026-05-03 14:05 UTC');
    expect(formatTimestamp('2026-05-03T23:30:00+02:00')).toBe('2026-05-03 21:30 UTC');
  });
});
