'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TelemetrySample } from '@/components/jobs/job-events';
import { compactNumber, evenTickInterval } from '@/components/ui/chart-axes';
import { TELEMETRY_METRICS, telemetrySeries } from '@/components/jobs/telemetry-series';

/** One colour per GPU index, readable on the light and the dark background. */
const GPU_COLOURS = ['#6366f1', '#10b981', '#f59e0b', '#ef4444', '#06b6d4', '#a855f7', '#84cc16', '#ec4899'];

/**
 * Utilisation, memory, temperature and power per GPU over the recent samples. Presentational: the series
 * are shaped in telemetry-series.ts. Decorative for screen readers: the latest readings are in a table.
 */
export function TelemetryCharts({ samples }: { samples: readonly TelemetrySample[] }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2" aria-hidden="true">
      {TELEMETRY_METRICS.map(({ metric, title, unit }) => {
        const { gpus, points } = telemetrySeries(samples, metric);
        return (
          <figure key={metric} className="flex flex-col gap-1">
            <figcaption className="text-xs font-medium text-muted-foreground">
              {title} ({unit.trim()})
            </figcaption>
            <div className="h-36 w-full">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart
                  accessibilityLayer={false}
                  data={points}
                  margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
                >
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
                  <XAxis
                    dataKey="time"
                    tick={{ fontSize: 10, fill: 'var(--muted-foreground)' }}
                    interval={evenTickInterval(points.length, 4)}
                  />
                  <YAxis
                    tick={{ fontSize: 10, fill: 'var(--muted-foreground)' }}
                    // Every reading is zero or more: the axis starts at zero, so nothing is drawn below it.
                    domain={metric === 'utilizationPct' ? [0, 100] : [0, 'auto']}
                    width={40}
                    tickFormatter={compactNumber}
                  />
                  <Tooltip
                    formatter={(value, name) => [
                      `${String(value)}${unit}`,
                      String(name).replace('gpu', 'GPU '),
                    ]}
                    contentStyle={{
                      background: 'var(--card)',
                      border: '1px solid var(--border)',
                      fontSize: 12,
                    }}
                  />
                  {gpus.map((index) => (
                    <Line
                      key={index}
                      type="linear"
                      dataKey={`gpu${index}`}
                      stroke={GPU_COLOURS[index % GPU_COLOURS.length]}
                      dot={false}
                      strokeWidth={1.5}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
