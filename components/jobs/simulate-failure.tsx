'use client';

import { useId } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useSimulateHostFailure } from '@/lib/queries/jobs';

/**
 * Demo network only: makes the simulated node running the job vanish (it stops heartbeating, as a real host
 * that lost power would), to watch automatic failover. Labelled as a simulation wherever it appears.
 */
export function SimulateHostFailure({ nodeId, nodeName }: { nodeId: string; nodeName: string }) {
  const hintId = useId();
  const kill = useSimulateHostFailure();
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        onClick={() => kill.mutate(nodeId)}
        disabled={kill.isPending || kill.isSuccess}
        aria-describedby={hintId}
      >
        <Badge tone="warning">Demo</Badge>
        {kill.isPending ? 'Taking the host down…' : 'Simulate host failure'}
      </Button>
      <p id={hintId} className="max-w-xs text-xs text-muted-foreground">
        Simulation: makes node {nodeName} of the simulated fleet vanish. The job moves to another node from
        its last checkpoint; time since that checkpoint is not charged.
      </p>
      <p role="status" className="max-w-xs text-xs">
        {kill.isSuccess
          ? `${nodeName} is down. It is marked lost after missing its heartbeats; watch the timeline.`
          : null}
      </p>
      {kill.error ? (
        <p role="alert" className="max-w-xs text-xs text-danger">
          {kill.error.message}
        </p>
      ) : null}
    </div>
  );
}
