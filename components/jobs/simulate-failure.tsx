'use client';

import { useId, useRef } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useSimulateHostFailure } from '@/lib/queries/simulation';

/**
 * Demo network only, for the demo's operators: makes the simulated node running the job vanish (it stops
 * heartbeating, as a real host that lost power would), to watch automatic failover. Labelled as a simulation
 * wherever it appears, and it asks first (native `<dialog>`, as Cancel does: focus moves in, Escape closes).
 */
export function SimulateHostFailure({ nodeId, nodeName }: { nodeId: string; nodeName: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const hintId = useId();
  const kill = useSimulateHostFailure();
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        onClick={() => dialog.current?.showModal()}
        disabled={kill.isPending || kill.isSuccess}
        aria-describedby={hintId}
        aria-haspopup="dialog"
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
      <ConfirmDialog
        dialogRef={dialog}
        title={`Take down ${nodeName}?`}
        keepLabel="Keep it running"
        confirmLabel="Yes, take the host down"
        onConfirm={() => kill.mutate(nodeId)}
      >
        Simulation: node {nodeName} of the simulated fleet stops heartbeating for everyone using the demo,
        with every job running on it, until the fleet revives it. Your job fails over to another node from its
        last checkpoint.
      </ConfirmDialog>
    </div>
  );
}
