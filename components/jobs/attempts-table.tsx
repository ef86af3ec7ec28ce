import Link from 'next/link';
import {
  ATTEMPT_STATE_LABEL,
  ATTEMPT_STATE_TONE,
  formatDuration,
  formatMoney,
  gpuName,
  reasonText,
  regionName,
} from '@/components/jobs/job-labels';
import { Badge } from '@/components/ui/badge';
import { TableHead } from '@/components/ui/table-head';
import type { AttemptView } from '@/lib/jobs/schemas';
import { formatUsd } from '@/lib/money';

/** Every node the job ran on, why it moved, the time metered and forfeited, and the charge split. */
export function AttemptsTable({ attempts }: { attempts: AttemptView[] }) {
  if (attempts.length === 0)
    return (
      <p className="text-sm text-muted-foreground">Not placed on a node yet. Waiting for a matching offer.</p>
    );
  return (
    // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Attempts table">
      <table className="w-full min-w-[720px] text-sm">
        <caption className="sr-only">Attempts, first to last</caption>
        <TableHead
          columns={[
            '#',
            'Node',
            'GPUs',
            'State',
            { label: 'Metered', align: 'right' },
            { label: 'Forfeited', align: 'right' },
            { label: 'Charged', align: 'right' },
          ]}
          cellClassName="py-1 pr-4"
        />
        <tbody className="tabular">
          {attempts.map((a) => (
            <tr
              key={a.id}
              data-attempt={a.number}
              data-node-id={a.nodeId}
              className="border-t border-border align-top"
            >
              <td className="py-2 pr-4">{a.number}</td>
              <td className="py-2 pr-4">
                <Link
                  href={`/market/${a.nodeId}`}
                  className="font-mono text-xs text-accent underline-offset-2 hover:underline"
                >
                  {a.nodeName}
                </Link>
                <span className="block text-xs text-muted-foreground">{regionName(a.region)}</span>
                <span className="block text-xs text-muted-foreground">
                  {formatUsd(a.pricePerGpuHourMicros)}/GPU-hr
                </span>
              </td>
              <td className="py-2 pr-4">
                {a.gpuIndexes.length}× {gpuName(a.gpuModel)}
                <ul className="mt-0.5 font-mono text-xs text-muted-foreground" aria-label="GPU serials">
                  {a.gpuIndexes.map((index, i) => (
                    <li key={index}>
                      #{index} {a.gpuSerials[i] ?? ''}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="py-2 pr-4">
                <Badge tone={ATTEMPT_STATE_TONE[a.state]}>{ATTEMPT_STATE_LABEL[a.state]}</Badge>
                {a.endReason ? (
                  <span className="block text-xs text-muted-foreground">{reasonText(a.endReason)}</span>
                ) : null}
              </td>
              <td className="py-2 pr-4 text-right whitespace-nowrap">
                {formatDuration(a.meteredMs)}
                {a.pendingMs > 0 ? (
                  <span className="block text-xs text-muted-foreground">
                    +{formatDuration(a.pendingMs)} pending
                  </span>
                ) : null}
              </td>
              <td className="py-2 pr-4 text-right whitespace-nowrap">
                {a.forfeitedMs > 0 ? (
                  <span title="Time since the last checkpoint on a lost host: neither charged nor paid">
                    {formatDuration(a.forfeitedMs)}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td className="py-2 pr-4 text-right whitespace-nowrap">
                {formatMoney(a.chargedMicros)}
                <span className="block text-xs text-muted-foreground">
                  supplier {formatMoney(a.supplierMicros)} · fee {formatMoney(a.feeMicros)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
