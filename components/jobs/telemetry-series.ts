import type { TelemetrySample } from '@/components/jobs/job-events';

export type TelemetryMetric = 'utilizationPct' | 'memoryUsedMb' | 'temperatureC' | 'powerW';

export const TELEMETRY_METRICS: { metric: TelemetryMetric; title: string; unit: string }[] = [
  { metric: 'utilizationPct', title: 'Utilisation', unit: '%' },
  { metric: 'memoryUsedMb', title: 'Memory used', unit: ' MB' },
  { metric: 'temperatureC', title: 'Temperature', unit: ' °C' },
  { metric: 'powerW', title: 'Power', unit: ' W' },
];

/** One point of a chart: the time label and a value per GPU (`gpu0`, `gpu1`, …; missing when not reported). */
export type TelemetryPoint = { time: string } & Partial<Record<`gpu${number}`, number>>;

export interface TelemetrySeries {
  /** GPU indexes seen in the samples, ascending: one line each. */
  gpus: number[];
  points: TelemetryPoint[];
}

/** "14:05:09" in UTC, like every other time on the page. */
function timeLabel(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/**
 * The samples of the latest attempt (another node's GPUs are other GPUs) as chart rows for one metric.
 */
export function telemetrySeries(
  samples: readonly TelemetrySample[],
  metric: TelemetryMetric,
): TelemetrySeries {
  const last = samples.at(-1);
  if (!last) return { gpus: [], points: [] };
  const current = samples.filter((s) => s.attempt === last.attempt && s.nodeId === last.nodeId);
  const gpus = [...new Set(current.flatMap((s) => s.gpus.map((g) => g.index)))].sort((a, b) => a - b);
  const points = current.map((sample) => {
    const point: TelemetryPoint = { time: timeLabel(sample.at) };
    for (const gpu of sample.gpus) point[`gpu${gpu.index}`] = gpu[metric];
    return point;
  });
  return { gpus, points };
}

/** The latest reading of every GPU, for the table under the charts (the charts are not read aloud). */
export function latestReadings(samples: readonly TelemetrySample[]): TelemetrySample | null {
  return samples.at(-1) ?? null;
}
