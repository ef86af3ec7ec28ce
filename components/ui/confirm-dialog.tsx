'use client';

import { useId, type ReactNode, type RefObject } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A confirmation before an action that cannot be undone: a native `<dialog>` (focus moves into it, Escape
 * closes it) whose safe choice has the focus; the action runs only on its explicit button.
 */
export function ConfirmDialog({
  dialogRef,
  title,
  children,
  keepLabel,
  confirmLabel,
  onConfirm,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  children: ReactNode;
  keepLabel: string;
  confirmLabel: string;
  onConfirm: () => void;
}) {
  const titleId = useId();
  const textId = useId();
  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={textId}
      className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg border border-border bg-card p-4 text-foreground backdrop:bg-black/60"
    >
      <h2 id={titleId} className="font-semibold">
        {title}
      </h2>
      <p id={textId} className="mt-2 text-sm text-muted-foreground">
        {children}
      </p>
      <form method="dialog" className="mt-4 flex flex-wrap justify-end gap-2">
        <Button type="submit" autoFocus>
          {keepLabel}
        </Button>
        <button
          type="submit"
          className="inline-flex items-center justify-center rounded-md bg-danger px-3 py-1.5 text-sm font-medium text-background hover:opacity-90"
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
      </form>
    </dialog>
  );
}
