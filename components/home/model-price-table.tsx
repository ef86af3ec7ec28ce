import Link from 'next/link';
import type { GpuModelSummary } from '@/lib/market/offer-schemas';
import { formatUsd } from '@/lib/money';
import { TableHead } from '@/components/ui/table-head';

const price = (micros: string | null) => (micros === null ? '—' : formatUsd(micros));

/** Available GPUs and the listed price band per model, linking each row to the filtered market. */
export function ModelPriceTable({ models }: { models: GpuModelSummary[] }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-border">
      <table className="w-full min-w-[560px] text-sm">
        <caption className="sr-only">Available GPUs and price per GPU-hour by model</caption>
        <TableHead
          columns={[
            'GPU model',
            { label: 'Available', align: 'right' },
            { label: 'P10', align: 'right' },
            { label: 'Median $/GPU-hr', align: 'right' },
            { label: 'P90', align: 'right' },
            { label: 'Relative speed', align: 'right' },
          ]}
          className="bg-muted"
          cellClassName="px-3 py-2"
        />
        <tbody className="tabular">
          {models.map((m) => (
            <tr key={m.gpuModel} className="border-t border-border">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <Link
                  href={`/market?gpu=${m.gpuModel}`}
                  className="text-accent underline-offset-2 hover:underline"
                >
                  {m.gpuName}
                </Link>
              </th>
              <td className="px-3 py-2 text-right">{m.gpusAvailable.toLocaleString('en-US')}</td>
              <td className="px-3 py-2 text-right">{price(m.p10PriceMicros)}</td>
              <td className="px-3 py-2 text-right font-medium">{price(m.medianPriceMicros)}</td>
              <td className="px-3 py-2 text-right">{price(m.p90PriceMicros)}</td>
              <td className="px-3 py-2 text-right">{m.relativeThroughput.toFixed(2)}×</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
