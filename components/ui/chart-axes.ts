/**
 * Axis helpers shared by the recharts charts, so every axis reads the same way: ticks evenly spaced, numbers
 * short enough for their gutter, never cut.
 */

/** recharts' `interval` for a category axis: every n-th label, evenly, about `maxTicks` of them. */
export function evenTickInterval(count: number, maxTicks = 7): number {
  return Math.max(0, Math.ceil(count / maxTicks) - 1);
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * An axis number, short enough for its gutter: 950, 1.2K, 81.9K, 3.4M. One formatter for every chart (the
 * metrics charts, job telemetry, supplier earnings), so the same figure reads the same everywhere.
 */
export function compactNumber(value: number): string {
  return compact.format(value);
}
