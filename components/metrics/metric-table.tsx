import { formatMetricCell } from '@/components/metrics/format';
import { TableHead } from '@/components/ui/table-head';
import type { MetricSeries } from '@/lib/metrics/schemas';
import { ScrollRegion } from '@/components/ui/scroll-region';

const isLeftAligned = (type: string) => type === 'date' || type === 'text';

/**
 * The figures behind a chart, one row per period and one column per published column, in the order and with
 * the labels of the API (so a row reads like a line of the CSV). Server-rendered: screen readers and readers
 * without JavaScript get every number.
 */
export function MetricTable({ series, caption }: { series: MetricSeries; caption: string }) {
  const [first, ...rest] = series.columns;
  if (!first) return null;
  return (
    // Focusable, so keyboard users can scroll a table wider than the screen.
    <ScrollRegion label={caption}>
      {/* Cell styles are set once on the table: a daily table has thousands of cells. */}
      <table className="tabular w-full text-sm [&_tbody_th]:px-3 [&_tbody_th]:py-1.5 [&_tbody_th]:text-left [&_tbody_th]:font-normal [&_tbody_th]:whitespace-nowrap [&_tbody_tr]:border-t [&_tbody_tr]:border-border [&_td]:px-3 [&_td]:py-1.5 [&_td]:text-right [&_td]:whitespace-nowrap">
        <caption className="sr-only">{caption}</caption>
        <TableHead
          columns={series.columns.map((c) => ({
            label: c.label,
            align: isLeftAligned(c.type) ? ('left' as const) : ('right' as const),
          }))}
          className="bg-muted"
          cellClassName="px-3 py-2 align-bottom"
        />
        <tbody>
          {series.rows.map((row, index) => (
            <tr key={`${String(row[first.key])}-${index}`}>
              <th scope="row">{formatMetricCell(first, row[first.key])}</th>
              {rest.map((column) => (
                <td key={column.key} className={isLeftAligned(column.type) ? 'text-left!' : undefined}>
                  {formatMetricCell(column, row[column.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
