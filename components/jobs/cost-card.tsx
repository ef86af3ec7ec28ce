import { formatMoney } from '@/components/jobs/job-labels';
import { costSoFarMicros } from '@/components/jobs/job-table';
import { JobProgressBar } from '@/components/jobs/job-progress-bar';
import { Card } from '@/components/ui/card';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { isJobActive } from '@/lib/queries/jobs';

/**
 * Each move to a node at another price, in the customer's words: a failover may land on a dearer (or cheaper)
 * node, and the bill must not change without the page saying so.
 */
export function priceChanges(attempts: JobDetailView['attempts']): string[] {
  const changes: string[] = [];
  for (let i = 1; i < attempts.length; i++) {
    const before = attempts[i - 1];
    const after = attempts[i];
    if (!before || !after || before.pricePerGpuHourMicros === after.pricePerGpuHourMicros) continue;
    const dearer = BigInt(after.pricePerGpuHourMicros) > BigInt(before.pricePerGpuHourMicros);
    changes.push(
      `Attempt ${after.number} runs on ${after.nodeName} at ${formatMoney(after.pricePerGpuHourMicros)}/GPU-hr, ` +
        `${dearer ? 'more' : 'less'} than the ${formatMoney(before.pricePerGpuHourMicros)}/GPU-hr of attempt ` +
        `${before.number} on ${before.nodeName}${before.endReason ? ` (${before.endReason})` : ''}. ` +
        'Each attempt is charged at its own node’s price; the budget cap still holds.',
    );
  }
  return changes;
}

/** Cost so far against the budget cap: settled charges, metered time not yet settled, and what is held. */
export function CostCard({ job }: { job: JobDetailView }) {
  const soFar = costSoFarMicros(job);
  const budget = BigInt(job.budgetMicros);
  const share = budget > 0n ? Number((soFar * 10_000n) / budget) / 10_000 : 0;
  const active = isJobActive(job.state);
  const rows: [string, string, string][] = [
    ['Charged', formatMoney(job.chargedMicros), 'Settled at checkpoints: heartbeat-backed time only.'],
    ['Pending', formatMoney(job.pendingChargeMicros), 'Metered since the last settlement.'],
    ['Budget', formatMoney(job.budgetMicros), 'The cap, held from your balance at launch.'],
    active
      ? ['Still held', formatMoney(job.heldMicros), 'Returns to your available balance when the job ends.']
      : ['Released', formatMoney(job.releasedMicros), 'Unused budget returned to your available balance.'],
    ...(job.suspect
      ? [
          [
            'Refunded',
            formatMoney(job.suspect.refundedMicros),
            'Charges of suspect attempts, returned to your available balance.',
          ] as [string, string, string],
        ]
      : []),
  ];
  return (
    <Card className="flex flex-col gap-3">
      <h2 className="font-semibold">Cost</h2>
      <p className="tabular text-2xl font-semibold">
        {formatMoney(soFar)}
        <span className="text-sm font-normal text-muted-foreground">
          {' '}
          of {formatMoney(job.budgetMicros)} budget
        </span>
      </p>
      <JobProgressBar progress={share} label="Share of the budget spent" className="[&_progress]:w-full" />
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([label, value, hint]) => (
          <div key={label} className="contents">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="tabular" title={hint}>
              {value}
            </dd>
          </div>
        ))}
        {job.state === 'running' ? (
          <>
            <dt className="text-muted-foreground">Burn rate</dt>
            <dd className="tabular">{formatMoney(job.burnMicrosPerHour)}/h</dd>
          </>
        ) : null}
      </dl>
      {priceChanges(job.attempts).map((change) => (
        <p
          key={change}
          role="note"
          className="rounded-md border border-warning/50 bg-warning-soft p-2 text-sm"
        >
          {change}
        </p>
      ))}
    </Card>
  );
}
