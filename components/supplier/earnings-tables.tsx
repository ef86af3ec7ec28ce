import { formatTokens } from '@/components/supplier/format';
import { formatMoney } from '@/lib/money';
import { TableHead } from '@/components/ui/table-head';
import type { SupplierEarnings } from '@/lib/supplier/schemas';

const COLUMNS = [
  { label: 'Paid jobs (USDC)', align: 'right' },
  { label: 'Incentives (tokens)', align: 'right' },
  { label: 'Incentives, USD at emission', align: 'right' },
] as const;

/** Every day of the range with paid work and incentives in separate columns; the chart's exact figures. */
export function EarningsByDayTable({ days }: { days: SupplierEarnings['days'] }) {
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Earnings by day table">
      <table className="w-full min-w-[520px] text-sm">
        <caption className="sr-only">Earnings by UTC day, oldest first</caption>
        <TableHead columns={['Day (UTC)', ...COLUMNS]} cellClassName="py-1 pr-4" />
        <tbody className="tabular">
          {days.map((d) => (
            <tr key={d.day} data-day={d.day} className="border-t border-border">
              <td className="py-1.5 pr-4 whitespace-nowrap">{d.day}</td>
              <td className="py-1.5 pr-4 text-right">{formatMoney(d.paidMicros)}</td>
              <td className="py-1.5 pr-4 text-right">{formatTokens(d.incentiveMicros)}</td>
              <td className="py-1.5 pr-4 text-right">{formatMoney(d.incentiveUsdMicros)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per node over the whole range; paid work not attributable to a node is its own row. */
export function EarningsByNodeTable({ nodes }: { nodes: SupplierEarnings['nodes'] }) {
  if (nodes.length === 0)
    return (
      <p className="text-sm text-muted-foreground">None of your nodes earned anything in this period.</p>
    );
  return (
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Earnings by node table">
      <table className="w-full min-w-[520px] text-sm">
        <caption className="sr-only">Earnings by node over the period</caption>
        <TableHead columns={['Node', ...COLUMNS]} cellClassName="py-1 pr-4" />
        <tbody className="tabular">
          {nodes.map((n) => (
            <tr key={n.nodeId ?? 'none'} data-node-id={n.nodeId ?? ''} className="border-t border-border">
              <td className="py-1.5 pr-4 font-mono text-xs">{n.nodeName ?? 'Not attributable to a node'}</td>
              <td className="py-1.5 pr-4 text-right">{formatMoney(n.paidMicros)}</td>
              <td className="py-1.5 pr-4 text-right">{formatTokens(n.incentiveMicros)}</td>
              <td className="py-1.5 pr-4 text-right">{formatMoney(n.incentiveUsdMicros)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
