'use client';

import { METRICS_SUMMARY_API } from '@/components/metrics/view';
import { Button } from '@/components/ui/button';

/** The metrics page's error boundary: the summary could not be read. The API may still answer directly. */
export default function MetricsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="flex flex-col items-start gap-3 py-12">
      <h1 className="text-2xl font-semibold">Network metrics could not be loaded</h1>
      <p className="text-muted-foreground">
        Reading the figures failed. Nothing was changed. The same figures are served by{' '}
        <a href={METRICS_SUMMARY_API} className="text-accent underline underline-offset-2">
          GET /api/v1/metrics
        </a>
        .
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
