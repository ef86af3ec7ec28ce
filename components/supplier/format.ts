import { MICROS_PER_USDC, microsToDecimal } from '@/lib/money';

/**
 * Network tokens from micro-units: two decimals from one token up ("1,234.57 tokens"), exact below it
 * ("0.000321 tokens"). Never a dollar sign: tokens are not USDC.
 */
export function formatTokens(micros: string | bigint): string {
  const value = typeof micros === 'string' ? BigInt(micros) : micros;
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let text: string;
  if (abs >= MICROS_PER_USDC) {
    const cents = (abs + 5_000n) / 10_000n;
    text = `${(cents / 100n).toLocaleString('en-US')}.${(cents % 100n).toString().padStart(2, '0')}`;
  } else {
    text = abs === 0n ? '0' : microsToDecimal(abs);
  }
  return `${negative ? '−' : ''}${text} token${abs === MICROS_PER_USDC ? '' : 's'}`;
}

/** Basis points as a percentage with one decimal: 9731 → "97.3%". */
export function formatBasisPoints(bp: number): string {
  return `${(bp / 100).toFixed(1)}%`;
}

/**
 * Micro-units as a plain number of whole units, for chart geometry only (never for a figure shown as text):
 * a bar's height may be approximate, the table beside it is exact.
 */
export function microsToChartNumber(micros: string): number {
  return Number(micros) / 1_000_000;
}

export interface EarningsChartPoint {
  /** "05-03": month and day, for the axis. */
  label: string;
  day: string;
  /** Paid work, USDC. */
  paid: number;
  /** Incentives at their USD value at emission. */
  incentivesUsd: number;
}

/** The chart's series from the report's days, oldest first. */
export function earningsChartPoints(
  days: readonly { day: string; paidMicros: string; incentiveUsdMicros: string }[],
): EarningsChartPoint[] {
  return days.map((d) => ({
    label: d.day.slice(5),
    day: d.day,
    paid: microsToChartNumber(d.paidMicros),
    incentivesUsd: microsToChartNumber(d.incentiveUsdMicros),
  }));
}

/** A UTC day ("2026-05-03") `days` days after another (negative: before). */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Whole UTC days from `from` to `to`, both included (1 for the same day). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
