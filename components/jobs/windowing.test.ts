import { describe, expect, it } from 'vitest';
import { isAtBottom, visibleRows } from '@/components/jobs/windowing';

describe('visible rows', () => {
  it('renders the rows in view plus the overscan', () => {
    expect(
      visibleRows({ scrollTop: 200, viewportHeight: 100, rowHeight: 20, count: 1000, overscan: 2 }),
    ).toEqual({
      start: 8,
      end: 18,
      offsetTop: 160,
      totalHeight: 20_000,
    });
  });

  it('stays inside the list at both ends', () => {
    expect(visibleRows({ scrollTop: -50, viewportHeight: 100, rowHeight: 20, count: 3 })).toEqual({
      start: 0,
      end: 3,
      offsetTop: 0,
      totalHeight: 60,
    });
    const end = visibleRows({
      scrollTop: 99_999,
      viewportHeight: 100,
      rowHeight: 20,
      count: 50,
      overscan: 0,
    });
    expect(end.end).toBe(50);
    expect(end.start).toBeLessThan(50);
    expect(visibleRows({ scrollTop: 0, viewportHeight: 100, rowHeight: 20, count: 0 })).toEqual({
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
  });

  it('never renders more than a screenful and the overscan, however long the list', () => {
    const window = visibleRows({
      scrollTop: 1e6,
      viewportHeight: 400,
      rowHeight: 20,
      count: 1e6,
      overscan: 5,
    });
    expect(window.end - window.start).toBeLessThanOrEqual(400 / 20 + 1 + 10);
  });
});

describe('at the bottom', () => {
  it('allows a few pixels of slack', () => {
    expect(isAtBottom({ scrollTop: 900, viewportHeight: 100, scrollHeight: 1000 })).toBe(true);
    expect(isAtBottom({ scrollTop: 897.5, viewportHeight: 100, scrollHeight: 1000 })).toBe(true);
    expect(isAtBottom({ scrollTop: 850, viewportHeight: 100, scrollHeight: 1000 })).toBe(false);
    expect(isAtBottom({ scrollTop: 0, viewportHeight: 100, scrollHeight: 50 })).toBe(true);
  });
});
