import Link from 'next/link';
import { formatTimestamp } from '@/components/billing/format';
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
import type { VerificationEvidence } from '@/lib/receipts/evidence';

/** Every node the job ran on, why it moved, the time metered and forfeited, and the charge split. */
export function AttemptsTable({ attempts }: { attempts: AttemptView[] }) {
  if (attempts.length === 0)
    return (
      <p className="text-sm text-muted-foreground">Not placed on a node yet. Waiting for a matching offer.</p>
    );
  return (
    // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Attempts table">
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

/** The hardware evidence a signed receipt (version 2) carries for the node of one attempt. */
export interface AttemptEvidence {
  number: number;
  nodeId: string;
  nodeName: string;
  /** Null on receipts issued before verification evidence was recorded. */
  verification: VerificationEvidence | null;
  /** The result the workload reported (sha256 hex), if any. */
  resultDigest: string | null;
}

const VERIFICATION_TONE: Record<string, 'success' | 'danger' | 'neutral'> = {
  verified: 'success',
  failed: 'danger',
};

/** "0.508", "0.45" — benchmark scores are throughput relative to an A100 80GB, to three decimals at most. */
function score(value: number): string {
  return String(Number(value.toFixed(3)));
}

function BenchmarkCell({ bench }: { bench: NonNullable<AttemptEvidence['verification']>['lastBenchmark'] }) {
  if (!bench) return <span className="text-muted-foreground">none before the job ended</span>;
  return (
    <span className="flex flex-col gap-0.5">
      <span>
        <Badge tone={bench.result === 'pass' ? 'success' : 'danger'}>
          {bench.result === 'pass' ? 'Pass' : 'Fail'}
        </Badge>{' '}
        score {score(bench.measuredScore)}, at least {score(bench.expectedMin)} needed (reference{' '}
        {score(bench.expectedMax)})
      </span>
      <span className="text-xs text-muted-foreground">
        {formatTimestamp(bench.at)} · {bench.detail}
      </span>
      {bench.challengeId ? (
        <span className="font-mono text-xs break-all text-muted-foreground">
          challenge {bench.challengeId}
        </span>
      ) : null}
    </span>
  );
}

/**
 * Per attempt, the verification evidence the signed receipt carries for the node that ran it: its state
 * (and quarantine), its last benchmark before the job ended, its canary record, and the result it reported.
 */
export function AttemptEvidenceTable({ evidence }: { evidence: AttemptEvidence[] }) {
  return (
    // Focusable, so keyboard users can scroll the table sideways on a narrow screen.
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Hardware evidence table">
      <table className="w-full min-w-[720px] text-sm">
        <caption className="sr-only">Hardware evidence per attempt, from the signed receipt</caption>
        <TableHead
          columns={['#', 'Node', 'Verification', 'Last benchmark', 'Canary jobs', 'Result digest']}
          cellClassName="py-1 pr-4"
        />
        <tbody className="tabular">
          {evidence.map((e) => (
            <tr
              key={e.number}
              data-attempt={e.number}
              data-node-id={e.nodeId}
              className="border-t border-border align-top"
            >
              <td className="py-2 pr-4">{e.number}</td>
              <td className="py-2 pr-4">
                <Link
                  href={`/market/${e.nodeId}`}
                  className="font-mono text-xs text-accent underline-offset-2 hover:underline"
                >
                  {e.nodeName}
                </Link>
              </td>
              {e.verification ? (
                <>
                  <td className="py-2 pr-4">
                    <Badge tone={VERIFICATION_TONE[e.verification.state] ?? 'neutral'}>
                      {e.verification.state}
                    </Badge>
                    {e.verification.quarantinedAt ? (
                      <span className="block text-xs text-danger">
                        quarantined {formatTimestamp(e.verification.quarantinedAt)}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2 pr-4">
                    <BenchmarkCell bench={e.verification.lastBenchmark} />
                  </td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    {e.verification.canaries.passed} passed · {e.verification.canaries.failed} failed
                  </td>
                </>
              ) : (
                <td colSpan={3} className="py-2 pr-4 text-muted-foreground">
                  Not recorded on this receipt.
                </td>
              )}
              <td className="py-2 pr-4">
                {e.resultDigest ? (
                  <code className="text-xs" title={e.resultDigest}>
                    {e.resultDigest.slice(0, 12)}…
                  </code>
                ) : (
                  <span className="text-muted-foreground">none reported</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
