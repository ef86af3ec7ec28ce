'use client';

import { useEffect, useRef, useState, type ComponentType } from 'react';
import type { ChartModel } from '@/components/metrics/chart-data';

type Chart = ComponentType<{ model: ChartModel }>;

let chartModule: Promise<Chart> | null = null;

/**
 * recharts and the chart component, fetched once by the first chart about to be seen and shared by every
 * other slot. A plain `import()` rather than `next/dynamic`: the page's first load then carries neither the
 * chart code nor a loader runtime. A failed fetch is forgotten, so the next slot to come into view tries again.
 */
function loadChart(): Promise<Chart> {
  chartModule ??= import('@/components/metrics/metric-chart').then(
    (module) => module.MetricChart,
    (error: unknown) => {
      chartModule = null;
      throw error;
    },
  );
  return chartModule;
}

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
  const [chart, setChart] = useState<{ Chart: Chart } | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let active = true;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      loadChart().then(
        (Chart) => {
          if (active) setChart({ Chart });
        },
        () => {
          // Offline or a failed deploy: the placeholder stays and the table below still has every figure.
        },
      );
    });
    observer.observe(element);
    return () => {
      active = false;
      observer.disconnect();
    };
  }, []);

  return (
    <div ref={ref} className="h-64 w-full" aria-hidden="true" data-chart-state={chart ? 'drawn' : 'waiting'}>
      {chart ? <chart.Chart model={model} /> : <ChartPlaceholder />}
    </div>
  );
}
