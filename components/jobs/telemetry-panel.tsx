'use client';

import dynamic from 'next/dynamic';
import { Skeleton } from '@/components/billing/skeleton';
import { MAX_TELEMETRY_SAMPLES, type TelemetrySample } from '@/components/jobs/job-events';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TableHead } from '@/components/ui/table-head';

/** recharts is a large chunk: fetched only when a job's telemetry is on screen. */
const TelemetryCharts = dynamic(
  () => import('@/components/jobs/telemetry-charts').then((module) => module.TelemetryCharts),
  { ssr: false, loading: () => <Skeleton className="h-80 w-full" /> },
);

function csv(samples: readonly TelemetrySample[]): string {
  const rows = ['time,attempt,node_id,gpu_index,utilization_pct,memory_used_mb,temperature_c,power_w'];
  for (const s of samples)
    for (const g of s.gpus)
      rows.push(
        [s.at, s.attempt, s.nodeId, g.index, g.utilizationPct, g.memoryUsedMb, g.temperatureC, g.powerW].join(
          ',',
        ),
      );
  return `${rows.join('\n')}\n`;
}

/** Saves text as a file from the browser (the samples on screen are not a server resource). */
function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** GPU telemetry of the latest attempt: charts, the latest reading per GPU, downloads and how it is measured. */
export function TelemetryPanel({
  jobId,
  samples,
  running,
}: {
  jobId: string;
  samples: readonly TelemetrySample[];
  running: boolean;
}) {
  const last = samples.at(-1);
  const current = last ? samples.filter((s) => s.attempt === last.attempt && s.nodeId === last.nodeId) : [];
  return (
    <Card className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">GPU telemetry</h2>
        {current.length > 0 ? (
          <div className="flex gap-2">
            <Button
              className="px-2 py-1 text-xs"
              onClick={() => download(`telemetry-${jobId}.csv`, 'text/csv', csv(current))}
            >
              Download CSV
            </Button>
            <Button
              className="px-2 py-1 text-xs"
              onClick={() =>
                download(`telemetry-${jobId}.json`, 'application/json', JSON.stringify(current, null, 2))
              }
            >
              Download JSON
            </Button>
          </div>
        ) : null}
      </div>
      <p className="text-sm text-muted-foreground">
        Reported by the node&apos;s agent with every heartbeat: per GPU, utilisation, memory in use,
        temperature and power draw as the driver reads them. The charts show the current attempt&apos;s recent
        samples (up to {MAX_TELEMETRY_SAMPLES}, {current.length} now); another node&apos;s GPUs start new
        charts.
      </p>
      {!last ? (
        <p className="text-sm text-muted-foreground">
          {running ? 'Waiting for the first heartbeat…' : 'No telemetry: the job has not run on a node.'}
        </p>
      ) : (
        <>
          <TelemetryCharts samples={current} />
          <div
            className="relative overflow-x-auto"
            tabIndex={0}
            role="region"
            aria-label="Latest GPU readings"
          >
            <table className="w-full min-w-[480px] text-sm">
              <caption className="sr-only">Latest reading per GPU, at {last.at}</caption>
              <TableHead
                columns={[
                  'GPU',
                  { label: 'Utilisation', align: 'right' },
                  { label: 'Memory used', align: 'right' },
                  { label: 'Temperature', align: 'right' },
                  { label: 'Power', align: 'right' },
                ]}
                cellClassName="py-1 pr-4"
              />
              <tbody className="tabular">
                {last.gpus.map((g) => (
                  <tr key={g.index} className="border-t border-border">
                    <td className="py-1 pr-4">#{g.index}</td>
                    <td className="py-1 pr-4 text-right">{g.utilizationPct}%</td>
                    <td className="py-1 pr-4 text-right">{g.memoryUsedMb.toLocaleString('en-US')} MB</td>
                    <td className="py-1 pr-4 text-right">{g.temperatureC} °C</td>
                    <td className="py-1 pr-4 text-right">{g.powerW} W</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
