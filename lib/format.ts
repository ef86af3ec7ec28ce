/** Display formatting shared by server and client components; numbers arrive from the API already exact. */

export { formatInteger, formatPercent } from '@/lib/format-numbers';

export function formatBandwidth(mbps: number): string {
  return mbps >= 1000
    ? `${(mbps / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} Gbps`
    : `${mbps} Mbps`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 days ago", "5 hours ago"; coarse on purpose so server and browser render the same text. */
export function formatAgo(iso: string, now: Date): string {
  const elapsed = now.getTime() - new Date(iso).getTime();
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(elapsed) >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return 'just now';
}

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** Bytes for people: `512 bytes`, `1.5 KiB`, `320 MiB`, `4.0 GiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
