'use client';

import { useRef, type ComponentType } from 'react';
import type { ChartModel } from '@/components/metrics/chart-data';
import { lazyModule, useLoadInView } from '@/components/ui/load-in-view';

type Chart = ComponentType<{ model: ChartModel }>;

/** recharts and the chart component, fetched by the first chart about to be seen and shared by the others. */
const loadChart = lazyModule<Chart>(() =>
  import('@/components/metrics/metric-chart').then((module) => module.MetricChart),
);

/** The chart area before recharts has loaded: the same size, so nothing moves when the chart appears. */
function ChartPlaceholder() {
  return <div className="h-full w-full rounded-md bg-muted/60" />;
}

/**
 * A fixed-height slot that draws its chart once the slot scrolls into view (IntersectionObserver), so the
 * page's first load carries no chart code and a reader who never scrolls down never downloads it. Hidden from
 * assistive technology: the table under each chart holds the same figures.
 */
export function ChartSlot({ model }: { model: ChartModel }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useLoadInView(ref, loadChart);

  return (
    <div ref={ref} className="h-64 w-full" aria-hidden="true" data-chart-state={chart ? 'drawn' : 'waiting'}>
      {chart ? <chart.value model={model} /> : <ChartPlaceholder />}
    </div>
  );
}
