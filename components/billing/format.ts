/**
 * "2026-05-03 14:05 UTC". In UTC so the server render and the browser agree, whatever their time zones.
 */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** A calendar month ("2026-11") as "November 2026", in UTC like every date on these pages. */
export function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** Runway as "3 h 12 m", or "2 d 5 h" beyond two days. */
export function formatRunway(hours: number): string {
  if (!Number.isFinite(hours) || hours < 0) return '—';
  const totalMinutes = Math.floor(hours * 60);
  if (hours >= 48) return `${Math.floor(hours / 24)} d ${Math.floor(hours % 24)} h`;
  return `${Math.floor(totalMinutes / 60)} h ${totalMinutes % 60} m`;
}
