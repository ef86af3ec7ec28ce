/**
 * The maths of a virtualised list of fixed-height rows: which rows a scroll position shows, and whether the
 * view sits at the bottom (so new rows should keep it there).
 */

export interface RowWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Height of the space above the first rendered row, in px. */
  offsetTop: number;
  /** Height of all rows, in px. */
  totalHeight: number;
}

/**
 * Rows intersecting [scrollTop, scrollTop + viewportHeight), widened by `overscan` rows on each side so a
 * short scroll shows rows that are already there.
 */
export function visibleRows(input: {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  overscan?: number;
}): RowWindow {
  const { rowHeight, count, overscan = 8 } = input;
  const totalHeight = count * rowHeight;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const top = Math.min(Math.max(0, input.scrollTop), Math.max(0, totalHeight - 1));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, input.viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** Whether the view is at the bottom, within `slack` px (sub-pixel scroll positions and zoom included). */
export function isAtBottom(input: {
  scrollTop: number;
  viewportHeight: number;
  scrollHeight: number;
  slack?: number;
}): boolean {
  const { scrollTop, viewportHeight, scrollHeight, slack = 4 } = input;
  return scrollHeight - (scrollTop + viewportHeight) <= slack;
}
