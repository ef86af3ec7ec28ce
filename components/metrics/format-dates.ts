/*
 * Day and span labels, in a module of their own so that a small client component (the history progress on
 * the home page, which has a JavaScript budget) ships only these and not the metrics page's formatters.
 * components/metrics/format.ts re-exports them.
 */

export const MONTHS_SHORT = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** The parts of a UTC day (`YYYY-MM-DD`, or the start of an ISO instant). */
export function parseDay(day: string): { year: number; month: number; date: number } {
  const [year = 0, month = 1, date = 1] = day.slice(0, 10).split('-').map(Number);
  return { year, month, date };
}

/** "Nov 24, 2026" from a UTC day. */
export function formatDay(day: string): string {
  const { year, month, date } = parseDay(day);
  return `${MONTHS_SHORT[month - 1] ?? ''} ${date}, ${year}`;
}

/**
 * How long a span is, for a sentence: "12-month" when it is at least two months long (calendar months,
 * rounded), otherwise "60-day".
 */
export function spanLabel(fromIso: string, toIso: string): string {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const months = Math.round(days / 30.4375);
  return months >= 2 ? `${months}-month` : `${days}-day`;
}
