'use client';

import { useId, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { useCancelJob } from '@/lib/queries/jobs';

/** "Cancel job" with a confirmation dialog (native `<dialog>`: focus moves into it, Escape closes it). */
export function CancelJob({ jobId, jobName }: { jobId: string; jobName: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
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
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        aria-describedby={textId}
        className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg border border-border bg-card p-4 text-foreground backdrop:bg-black/60"
      >
        <h2 id={titleId} className="font-semibold">
          Cancel “{jobName}”?
        </h2>
        <p id={textId} className="mt-2 text-sm text-muted-foreground">
          The job stops on its node. You pay for the time already metered; the rest of the budget returns to
          your available balance. This cannot be undone.
        </p>
        <form method="dialog" className="mt-4 flex flex-wrap justify-end gap-2">
          <Button type="submit" autoFocus>
            Keep running
          </Button>
          <button
            type="submit"
            className="inline-flex items-center justify-center rounded-md bg-danger px-3 py-1.5 text-sm font-medium text-background hover:opacity-90"
            onClick={() => cancel.mutate()}
          >
            Yes, cancel the job
          </button>
        </form>
      </dialog>
    </>
  );
}
