'use client';

import {
  Area,
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartModel, ChartSeriesSpec, ValueFormat } from '@/components/metrics/chart-data';
import { formatAxisValue, formatTooltipValue } from '@/components/metrics/value-format';

const TICK = { fontSize: 11, fill: 'var(--muted-foreground)' };

function drawSeries(series: ChartSeriesSpec) {
  const common = {
    key: series.key,
    dataKey: series.key,
    name: series.name,
    yAxisId: series.axis,
    isAnimationActive: false,
  };
  switch (series.kind) {
    case 'bar':
      return <Bar {...common} fill={series.colour} stackId={series.stack} maxBarSize={48} />;
    case 'area':
      return (
        <Area
          {...common}
          type="linear"
          stroke={series.colour}
          fill={series.colour}
          fillOpacity={0.2}
          connectNulls
        />
      );
    case 'line':
      return (
        <Line
          {...common}
          type="linear"
          stroke={series.colour}
          strokeWidth={2}
          strokeDasharray={series.dashed ? '5 3' : undefined}
          dot={false}
          connectNulls
        />
      );
  }
}

/**
 * One metric's chart, drawn from an already shaped model (components/metrics/chart-data.ts). Decorative for
 * assistive technology: the same figures, exact, are in the table under it. Loaded only when its section
 * scrolls into view (chart-slot.tsx), so recharts is never part of the page's first load.
 */
export function MetricChart({ model }: { model: ChartModel }) {
  const formatOf = (axis: 'left' | 'right'): ValueFormat =>
    axis === 'right' && model.right ? model.right : model.left;
  const byName = new Map(model.series.map((s) => [s.name, s]));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart
        accessibilityLayer={false}
        data={model.points}
        margin={{ top: 8, right: model.right ? 0 : 8, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
        <XAxis dataKey="label" tick={TICK} minTickGap={16} />
        <YAxis
          yAxisId="left"
          tick={TICK}
          width={60}
          tickFormatter={(value: number) => formatAxisValue(model.left, value)}
        />
        {model.right ? (
          <YAxis
            yAxisId="right"
            orientation="right"
            tick={TICK}
            width={48}
            tickFormatter={(value: number) => formatAxisValue(model.right ?? 'ratio', value)}
          />
        ) : null}
        {model.reference ? (
          <ReferenceLine
            yAxisId="left"
            y={model.reference.value}
            stroke="var(--muted-foreground)"
            strokeDasharray="4 4"
            label={{
              value: model.reference.label,
              position: 'insideTopLeft',
              fill: 'var(--muted-foreground)',
              fontSize: 11,
            }}
          />
        ) : null}
        <Tooltip
          formatter={(value, name) => {
            const series = byName.get(String(name));
            const format = series ? formatOf(series.axis) : model.left;
            return [formatTooltipValue(format, value === null ? null : Number(value)), name];
          }}
          contentStyle={{ background: 'var(--card)', border: '1px solid var(--border)', fontSize: 12 }}
          labelStyle={{ color: 'var(--foreground)' }}
        />
        <Legend
          wrapperStyle={{ fontSize: 12 }}
          itemSorter={null}
          // Series names in the text colour (the swatch carries the series colour): readable on both themes.
          formatter={(value) => <span style={{ color: 'var(--foreground)' }}>{String(value)}</span>}
        />
        {model.series.map(drawSeries)}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
