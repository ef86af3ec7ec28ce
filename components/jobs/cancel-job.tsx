'use client';

import { useRef } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useCancelJob } from '@/lib/queries/jobs';

/** "Cancel job" with a confirmation dialog (native `<dialog>`: focus moves into it, Escape closes it). */
export function CancelJob({ jobId, jobName }: { jobId: string; jobName: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useCancelJob(jobId);

  return (
    <>
      <Button onClick={() => dialog.current?.showModal()} disabled={cancel.isPending}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel job'}
      </Button>
      {cancel.error ? (
        <p role="alert" className="text-sm text-danger">
          Could not cancel: {cancel.error.message}
        </p>
      ) : null}
      <ConfirmDialog
        dialogRef={dialog}
        title={`Cancel “${jobName}”?`}
        keepLabel="Keep running"
        confirmLabel="Yes, cancel the job"
        onConfirm={() => cancel.mutate()}
      >
        The job stops on its node. You pay for the time already metered; the rest of the budget returns to
        your available balance. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
