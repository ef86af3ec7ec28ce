import { formatInteger, formatPercent } from '@/lib/format';
import type { MetricSeries } from '@/lib/metrics/schemas';
import { TableHead } from '@/components/ui/table-head';
import { ScrollRegion } from '@/components/ui/scroll-region';

type Bucket = NonNullable<MetricSeries['snapshot']>[number];

const RECENCY_LABELS: Record<Bucket['recency'], string> = {
  '24h': 'Within 24 hours',
  '7d': '1–7 days ago',
  '30d': '7–30 days ago',
  older: 'More than 30 days ago',
};

/**
 * Verified GPUs online right now, grouped by how recently their node last passed a check, with a bar of each
 * group's share (the bar is decoration; the numbers are in the cells).
 */
export function RecencySnapshot({ buckets }: { buckets: readonly Bucket[] }) {
  const total = buckets.reduce((sum, b) => sum + b.gpus, 0);
  return (
    <ScrollRegion label="Verified GPUs online right now">
      <table className="tabular w-full text-sm">
        <caption className="px-3 pt-2 text-left text-sm font-medium">
          Right now: {formatInteger(total)} verified GPUs online, by their latest passed check
        </caption>
        <TableHead
          columns={[
            'Latest passed check',
            { label: 'Nodes', align: 'right' },
            { label: 'GPUs', align: 'right' },
            'Share of GPUs',
          ]}
          cellClassName="px-3 py-2"
        />
        <tbody>
          {buckets.map((bucket) => {
            const share = total > 0 ? bucket.gpus / total : 0;
            return (
              <tr key={bucket.recency} className="border-t border-border">
                <th scope="row" className="px-3 py-1.5 text-left font-normal whitespace-nowrap">
                  {RECENCY_LABELS[bucket.recency]}
                </th>
                <td className="px-3 py-1.5 text-right">{formatInteger(bucket.nodes)}</td>
                <td className="px-3 py-1.5 text-right">{formatInteger(bucket.gpus)}</td>
                <td className="w-1/3 px-3 py-1.5">
                  <span className="flex items-center gap-2">
                    <span className="h-2 flex-1 rounded-full bg-muted" aria-hidden="true">
                      <span
                        className="block h-2 rounded-full bg-success"
                        style={{ width: `${(share * 100).toFixed(1)}%` }}
                      />
                    </span>
                    <span className="w-12 text-right">{formatPercent(share, 0)}</span>
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
