import type { JobEvent } from './client';

/**
 * Micro-USDC as dollars: cents, with more precision only below a cent (four significant digits), the way the
 * dashboard shows money.
 */
export function formatUsdc(micros: string | number | bigint | null | undefined): string {
  if (micros === null || micros === undefined || micros === '') return '—';
  const value = BigInt(micros);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  if (abs !== 0n && abs < 10_000n) {
    const digits = Number(abs) / 1e6;
    return `${sign}$${digits.toPrecision(4).replace(/0+$/, '').replace(/\.$/, '')}`;
  }
  const cents = (abs + 5_000n) / 10_000n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Left-aligned columns separated by two spaces, a header row first. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The lines `backfill watch` prints for an event (none for telemetry, which arrives with every heartbeat). */
export function describeEvent(event: JobEvent): string[] {
  const data = event.data as Record<string, unknown>;
  const at = new Date(event.createdAt).toISOString().slice(11, 19);
  const line = (text: string) => `${at} ${event.type}${text ? ` ${text}` : ''}`;
  switch (event.type) {
    case 'telemetry':
      return [];
    case 'log':
      return ((data.lines as { text?: string }[] | undefined) ?? []).map((l) => line(l.text ?? ''));
    case 'progress':
      return [line(`${String(data.progressUnits)} units`)];
    case 'checkpoint':
      return [line(`kept at ${String(data.units)} units`)];
    case 'scheduled':
      return [
        line(
          `on ${String(data.nodeName)} (${String(data.gpuModel)}, ${String(data.region)}) at ` +
            `${formatUsdc(data.pricePerGpuHourMicros as string)}/GPU-hour`,
        ),
      ];
    case 'charged':
      return [
        line(
          `${formatUsdc(data.chargedMicros as string)} (total ${formatUsdc(data.totalChargedMicros as string)})`,
        ),
      ];
    case 'attempt_ended':
      return [
        line(
          `attempt ${String(data.attempt)} ${String(data.state)}${data.reason ? `: ${String(data.reason)}` : ''}`,
        ),
      ];
    case 'requeued':
      return [line(`${String(data.reason)}; resuming from ${String(data.resumeFromUnits)} units`)];
    case 'succeeded':
    case 'failed':
    case 'cancelled':
    case 'out_of_budget':
      return [
        line(
          `${data.reason ? `${String(data.reason)}; ` : ''}charged ${formatUsdc(data.chargedMicros as string)}, ` +
            `released ${formatUsdc(data.releasedMicros as string)}`,
        ),
      ];
    default: {
      const json = JSON.stringify(data);
      return [line(json === '{}' ? '' : json.length > 120 ? `${json.slice(0, 119)}…` : json)];
    }
  }
}
