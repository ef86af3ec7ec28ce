/*
 * Integer and percentage text, in a module of their own so that small client components on budgeted public
 * pages ship only these (lib/format.ts re-exports them).
 */

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatInteger(value: number): string {
  return value.toLocaleString('en-US');
}
