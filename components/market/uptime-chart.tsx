export interface UptimePoint {
  day: string;
  uptime: number | null;
}

/**
 * Daily uptime as bars, drawn on the server: SVG bars and grid lines that stretch with the width, and the
 * labels as text beside and below them (so they never stretch). No chart library and no client code: it costs
 * the page nothing to load and cannot shift when it appears. Each bar's tooltip gives its day and figure; the
 * table beside the chart holds the same figures for assistive technology. A day without data has no bar.
 */
export function UptimeChart({ data }: { data: UptimePoint[] }) {
  const n = Math.max(data.length, 1);
  return (
    <div
      className="flex h-48 w-full gap-2 text-[11px] text-muted-foreground"
      aria-hidden="true"
      data-chart="uptime"
    >
      <div className="tabular flex flex-col justify-between pb-5 text-right leading-none">
        <span>100%</span>
        <span>50%</span>
        <span>0%</span>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        <svg className="w-full flex-1" viewBox={`0 0 ${n} 100`} preserveAspectRatio="none">
          {[0, 50, 100].map((y) => (
            <line
              key={y}
              x1={0}
              x2={n}
              y1={y}
              y2={y}
              stroke="var(--border)"
              strokeDasharray="3 3"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          {data.map((point, i) =>
            point.uptime === null ? null : (
              <rect
                key={point.day}
                x={i + 0.15}
                y={100 - point.uptime * 100}
                width={0.7}
                height={point.uptime * 100}
                fill="var(--accent)"
              >
                <title>{`${point.day}: ${Math.round(point.uptime * 1000) / 10}% up`}</title>
              </rect>
            ),
          )}
        </svg>
        <div className="relative h-5">
          {data.map((point, i) =>
            i % 5 === 0 ? (
              <span
                key={point.day}
                className="absolute top-1 -translate-x-1/2 whitespace-nowrap"
                style={{ left: `${((i + 0.5) / n) * 100}%` }}
              >
                {point.day.slice(5)}
              </span>
            ) : null,
          )}
        </div>
      </div>
    </div>
  );
}
