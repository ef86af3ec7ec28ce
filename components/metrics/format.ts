import { formatInteger, formatPercent } from '@/lib/format';
import type { ColumnType, Granularity } from '@/lib/metrics/definitions';
import { formatUsd } from '@/lib/money';
import { formatTokens } from '@/components/supplier/format';
import { MONTHS_SHORT, parseDay } from '@/components/metrics/format-dates';

export { formatDay, spanLabel } from '@/components/metrics/format-dates';

/** A published column, as the API describes it (`MetricSeries['columns'][number]`). */
export interface ColumnInfo {
  key: string;
  type: ColumnType | string;
  unit?: string;
}

export type Cell = string | number | boolean | null;

/** Shown for a figure that is not defined (a ratio whose denominator is 0) or not available. */
export const NOT_DEFINED = '—';

/** A share as a percentage with one decimal ("42.5%"), or a dash when undefined. */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? NOT_DEFINED : formatPercent(value);
}

/** The subsidy ratio as a plain ratio with two decimals ("0.42"): it is not a share and may exceed 1. */
export function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined
    ? NOT_DEFINED
    : value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A derived quantity (GPU-hours, average GPUs) with up to `digits` decimals and thousands separators. */
export function formatDecimal(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/**
 * A derived quantity that can start tiny (the first paid GPU-hours): below 1, two significant digits
 * ("0.012"), so a real but small figure never reads "0"; from 1 up, `digits` decimals.
 */
export function formatQuantity(value: number, digits = 1): string {
  if (value !== 0 && Math.abs(value) < 1)
    return value.toLocaleString('en-US', { maximumSignificantDigits: 2 });
  return formatDecimal(value, digits);
}

/** Integer text (an exact count sent as a string, possibly beyond 2^53) with thousands separators. */
export function formatIntegerText(value: string): string {
  return BigInt(value).toLocaleString('en-US');
}

/**
 * A wait in whole seconds, in the units time-to-schedule rounds to: "45 s", "12 min", "3 h" (and mixed
 * units for values that are not whole minutes or hours, "1 min 30 s", "2 h 15 min"). Waits are rounded down,
 * so 0 is a wait under a second (a job placed at the scheduler's next tick): "under 1 s".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return NOT_DEFINED;
  const s = Math.max(0, Math.round(seconds));
  if (s === 0) return 'under 1 s';
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  const hours = Math.floor(s / 3600);
  return minutes ? `${formatInteger(hours)} h ${minutes} min` : `${formatInteger(hours)} h`;
}

/** A duration for an axis tick, one short unit: "45 s", "12 min", "1.5 h", "36 h". */
export function formatDurationShort(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const hours = s / 3600;
  return `${hours.toLocaleString('en-US', { maximumFractionDigits: hours < 10 ? 1 : 0 })} h`;
}

/** Ratios published as plain ratios rather than shares. */
const PLAIN_RATIOS = new Set(['subsidyRatio', 'incentivesToFees']);

/**
 * One cell of a metric's table, from the value the API publishes for it, by the column's type: dates as
 * published (the same text as the CSV), counts (waits in seconds too, as their column says) and integers with separators, USDC and USD to the cent,
 * tokens with their unit, shares as percentages, the subsidy ratio as a ratio, and a dash for null.
 */
export function formatMetricCell(column: ColumnInfo, value: Cell | undefined): string {
  if (value === null || value === undefined) return NOT_DEFINED;
  switch (column.type) {
    case 'date':
    case 'text':
      return String(value);
    case 'count':
      // Waits are rounded down to the second: 0 is a wait under a second.
      return column.unit === 'seconds' && Number(value) === 0 ? '< 1' : formatInteger(Number(value));
    case 'integer':
      return formatIntegerText(String(value));
    case 'micros':
      return column.unit === 'token' ? formatTokens(String(value)) : formatUsd(String(value));
    case 'number':
      return formatQuantity(Number(value), 2);
    case 'ratio':
      return PLAIN_RATIOS.has(column.key) ? formatRatio(Number(value)) : formatShare(Number(value));
    case 'boolean':
      return value === true || value === 'true' ? 'Yes' : 'No';
    default:
      return String(value);
  }
}

const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "October 2026" from a month's first day (or any day of it). */
export function formatMonth(day: string): string {
  const { year, month } = parseDay(day);
  return `${MONTHS_LONG[month - 1] ?? ''} ${year}`;
}

/** The first day of the month `months` after (or, negative, before) the month of `day`. */
export function shiftMonth(day: string, months: number): string {
  const { year, month } = parseDay(day);
  return new Date(Date.UTC(year, month - 1 + months, 1)).toISOString().slice(0, 10);
}

/** A period's start as a short axis label: "Nov 2026" by month, "Nov 24" by day or week. */
export function axisLabel(period: string, granularity: Granularity): string {
  const { year, month, date } = parseDay(period);
  const name = MONTHS_SHORT[month - 1] ?? '';
  return granularity === 'month' ? `${name} ${year}` : `${name} ${date}`;
}

/** "2026-11-24 14:05 UTC" from an ISO instant: one fixed form, the same on the server and in any browser. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

/**
 * Shade step of a retention (0–1) in the cohort heatmap: six steps, so each shade can carry text at a
 * contrast that passes WCAG AA in both themes (the percentage is always written in the cell too).
 */
export function retentionStep(retention: number): 0 | 1 | 2 | 3 | 4 | 5 {
  if (retention >= 0.75) return 5;
  if (retention >= 0.5) return 4;
  if (retention >= 0.3) return 3;
  if (retention >= 0.15) return 2;
  if (retention >= 0.05) return 1;
  return 0;
}
