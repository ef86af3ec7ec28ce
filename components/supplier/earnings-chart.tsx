'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EarningsChartPoint } from '@/components/supplier/format';
import { compactNumber, evenTickInterval } from '@/components/ui/chart-axes';

/** Paid work and incentives per day as two bars side by side, never stacked: they are different currencies. */
export const EARNINGS_SERIES = [
  { key: 'paid', name: 'Paid jobs (USDC)', colour: 'var(--accent)' },
  { key: 'incentivesUsd', name: 'Incentives (USD value at emission)', colour: 'var(--warning)' },
] as const;

/**
 * Earnings per UTC day. Presentational (the points are shaped in format.ts) and decorative for screen
 * readers: the same figures, exact, are in the table beside it.
 */
export function EarningsChart({ points }: { points: EarningsChartPoint[] }) {
  // No earnings at all: say so, rather than draw an empty plot on a made-up scale.
  if (points.every((p) => !p.paid && !p.incentivesUsd))
    return (
      <p className="flex h-56 w-full items-center justify-center rounded-md border border-dashed border-border text-sm text-muted-foreground">
        No earnings in this range yet.
      </p>
    );
  return (
    <div className="h-56 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }}
            interval={evenTickInterval(points.length)}
          />
          <YAxis
            tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }}
            width={56}
            tickFormatter={(value: number) =>
              `$${value < 1 ? value.toLocaleString('en-US', { maximumSignificantDigits: 2 }) : compactNumber(value)}`
            }
          />
          <Tooltip
            formatter={(value, name) => [
              `$${Number(value).toLocaleString('en-US', { maximumFractionDigits: 6 })}`,
              name,
            ]}
            labelFormatter={(label) => `Day ${String(label)}`}
            contentStyle={{ background: 'var(--card)', border: '1px solid var(--border)', fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {EARNINGS_SERIES.map((series) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={series.name}
              fill={series.colour}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
