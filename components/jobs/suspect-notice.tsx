'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { formatTimestamp } from '@/components/billing/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import type { JobDetailView } from '@/lib/jobs/schemas';
import { formatUsd } from '@/lib/money';
import { isJobActive, useRerunJob } from '@/lib/queries/jobs';

/** In the jobs list: this job ran on a node caught afterwards, and what came back. */
export function SuspectBadge({ refundedMicros }: { refundedMicros: string }) {
  return (
    <Badge
      tone="warning"
      title="A node that ran this job was quarantined afterwards; its work on this job was refunded."
    >
      Suspect · {formatUsd(refundedMicros)} refunded
    </Badge>
  );
}

function attemptList(numbers: number[]): string {
  const words = numbers.map((n) => `#${n}`);
  return words.length === 1 ? `attempt ${words[0]}` : `attempts ${words.join(', ')}`;
}

/**
 * The notice on a job whose work became suspect: which attempts, what was refunded (and anything not yet
 * covered), and — for a finished job — the one-click re-run from the last checkpoint a trusted node wrote.
 */
export function SuspectNotice({ job }: { job: JobDetailView }) {
  const router = useRouter();
  const rerun = useRerunJob(job.id);
  const suspect = job.suspect;
  if (!suspect) return null;
  const nodes = [
    ...new Set(job.attempts.filter((a) => suspect.attempts.includes(a.number)).map((a) => a.nodeName)),
  ];
  const uncovered = BigInt(suspect.uncoveredMicros) > 0n;
  const resumeAt =
    suspect.trustedCheckpointUnits > 0
      ? `from ${suspect.trustedCheckpointUnits.toLocaleString('en-US')} ${job.unit}, the last checkpoint a trusted node wrote`
      : 'from the start (no checkpoint a trusted node wrote is kept)';
  return (
    <Card className="flex flex-col gap-2 border-warning">
      <h2 className="font-semibold">Work on this job is suspect — refunded</h2>
      <p className="text-sm" role="status">
        {nodes.length === 1 ? `Node “${nodes[0]}”` : `Nodes ${nodes.map((n) => `“${n}”`).join(', ')}`}, which
        ran {attemptList(suspect.attempts)}, failed a hardware check on {formatTimestamp(suspect.at)} and was
        quarantined. We cannot vouch for what it returned, so{' '}
        <strong>{formatUsd(suspect.refundedMicros)}</strong> — what those attempts were charged — is back in
        your available balance.
        {uncovered
          ? ` ${formatUsd(suspect.uncoveredMicros)} more could not be refunded yet (the node's held earnings and the platform's fees did not cover it); it is recorded as owed to you.`
          : ''}{' '}
        The receipt below carries a signed amendment saying so.
      </p>
      {isJobActive(job.state) ? (
        <p className="text-sm text-muted-foreground">The job keeps going on trusted nodes, {resumeAt}.</p>
      ) : suspect.rerunJobId ? (
        <p className="text-sm">
          Re-run launched:{' '}
          <Link
            href={`/jobs/${suspect.rerunJobId}`}
            className="text-accent underline-offset-2 hover:underline"
          >
            open the re-run
          </Link>
          .
        </p>
      ) : (
        <div className="flex flex-col gap-1">
          <p className="text-sm text-muted-foreground">
            Re-run it on other nodes with one click: same spec and budget ({formatUsd(job.budgetMicros)}, held
            from your balance), {resumeAt}.
          </p>
          <div>
            <Button
              onClick={() =>
                rerun.mutate(undefined, { onSuccess: (next) => router.push(`/jobs/${next.id}`) })
              }
              disabled={rerun.isPending}
            >
              {rerun.isPending ? 'Launching the re-run…' : 'Re-run this job'}
            </Button>
          </div>
          {rerun.error ? (
            <p role="alert" className="text-sm text-danger">
              Could not re-run: {rerun.error.message}
            </p>
          ) : null}
        </div>
      )}
    </Card>
  );
}
