import { describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@/components/jobs/job-events';
import { telemetrySeries } from '@/components/jobs/telemetry-series';

function sample(id: number, attempt: number, nodeId: string, utils: number[]): TelemetrySample {
  return {
    id,
    at: `2026-01-01T12:00:${String(id).padStart(2, '0')}Z`,
    attempt,
    nodeId,
    gpus: utils.map((u, index) => ({
      index,
      utilizationPct: u,
      memoryUsedMb: 0,
      temperatureC: 0,
      powerW: 0,
    })),
  };
}

describe('telemetry series', () => {
  it('makes one line per GPU of the latest attempt', () => {
    const series = telemetrySeries(
      [sample(1, 1, 'a', [10, 20, 30]), sample(2, 2, 'b', [50, 60]), sample(3, 2, 'b', [55, 65])],
      'utilizationPct',
    );
    expect(series.gpus).toEqual([0, 1]);
    expect(series.points).toEqual([
      { time: '12:00:02', gpu0: 50, gpu1: 60 },
      { time: '12:00:03', gpu0: 55, gpu1: 65 },
    ]);
  });

  it('is empty without samples', () => {
    expect(telemetrySeries([], 'powerW')).toEqual({ gpus: [], points: [] });
  });
});
