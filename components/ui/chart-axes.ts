/**
 * Axis helpers shared by the recharts charts, so every axis reads the same way: ticks evenly spaced, numbers
 * short enough for their gutter, never cut.
 */

/** recharts' `interval` for a category axis: every n-th label, evenly, about `maxTicks` of them. */
export function evenTickInterval(count: number, maxTicks = 7): number {
  return Math.max(0, Math.ceil(count / maxTicks) - 1);
}

/** An axis number in at most four characters and a suffix: 950, 1.2k, 75k, 3.4M. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1_000) return `${Math.round(value * 10) / 10}`;
  const [divisor, suffix] =
    abs < 1_000_000 ? [1_000, 'k'] : abs < 1_000_000_000 ? [1_000_000, 'M'] : [1e9, 'G'];
  const scaled = value / divisor;
  return `${Math.abs(scaled) < 10 ? Math.round(scaled * 10) / 10 : Math.round(scaled)}${suffix}`;
}
