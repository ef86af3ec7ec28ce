import { Badge } from '@/components/ui/badge';
import { formatDate } from '@/lib/format';
import type { NodeDetail } from '@/lib/market/node-schemas';
import { TableHead } from '@/components/ui/table-head';

export function VerificationHistory({ history }: { history: NodeDetail['verification']['history'] }) {
  if (history.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        No verification has run yet; the first benchmark is pending.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[520px] text-sm">
        <caption className="sr-only">Verification history, newest first</caption>
        <TableHead columns={['Date (UTC)', 'Method', 'Result', 'Detail']} />
        <tbody className="tabular">
          {history.map((v) => (
            <tr key={v.at} className="border-t border-border">
              <td className="py-1.5 pr-3 whitespace-nowrap">{formatDate(v.at)}</td>
              <td className="py-1.5 pr-3">{v.method === 'benchmark' ? 'Benchmark' : 'Canary job'}</td>
              <td className="py-1.5 pr-3">
                <Badge tone={v.result === 'pass' ? 'success' : 'danger'}>
                  {v.result === 'pass' ? 'Pass' : 'Fail'}
                </Badge>
              </td>
              <td className="py-1.5">{v.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
