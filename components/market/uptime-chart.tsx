'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface UptimePoint {
  day: string;
  uptime: number | null;
}

/** Daily uptime bars; presentational — the series is computed in lib/ and passed in. */
export function UptimeChart({ data }: { data: UptimePoint[] }) {
  const points = data.map((d) => ({
    day: d.day.slice(5),
    percent: d.uptime === null ? null : Math.round(d.uptime * 1000) / 10,
  }));
  return (
    <div className="h-48 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart
          accessibilityLayer={false}
          data={points}
          margin={{ top: 4, right: 4, bottom: 0, left: -16 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }} interval={4} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 11, fill: 'var(--muted-foreground)' }} unit="%" />
          <Tooltip
            formatter={(value) => [`${String(value)}%`, 'Uptime']}
            contentStyle={{ background: 'var(--card)', border: '1px solid var(--border)', fontSize: 12 }}
          />
          <Bar dataKey="percent" fill="var(--accent)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
