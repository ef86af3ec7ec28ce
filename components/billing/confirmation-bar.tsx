import { useId } from 'react';

/** "n of N confirmations" as a native progress bar with the same words beside it. */
export function ConfirmationBar({ confirmations, required }: { confirmations: number; required: number }) {
  const id = useId();
  const done = Math.min(Math.max(confirmations, 0), required);
  const text = `${done} of ${required} confirmation${required === 1 ? '' : 's'}`;
  return (
    <span className="mt-1 flex items-center gap-2">
      <progress
        aria-labelledby={id}
        max={required}
        value={done}
        className="h-2 w-40 max-w-full overflow-hidden rounded bg-muted [&::-moz-progress-bar]:bg-accent [&::-webkit-progress-bar]:bg-muted [&::-webkit-progress-value]:bg-accent"
      />
      <span id={id} className="tabular text-xs text-foreground">
        {text}
      </span>
    </span>
  );
}
