import { useId } from 'react';
import { cn } from '@/components/ui/cn';
import { formatPercent } from '@/lib/format';

/** A native progress bar (0–1) with its percentage beside it; `label` names it for screen readers. */
export function JobProgressBar({
  progress,
  label,
  className,
}: {
  progress: number;
  label: string;
  className?: string;
}) {
  const id = useId();
  const value = Math.min(1, Math.max(0, progress));
  return (
    <span className={cn('flex items-center gap-2', className)}>
      <progress
        aria-label={label}
        aria-describedby={id}
        max={1000}
        value={Math.round(value * 1000)}
        className="h-2 w-24 max-w-full min-w-12 flex-1 overflow-hidden rounded bg-muted [&::-moz-progress-bar]:bg-accent [&::-webkit-progress-bar]:bg-muted [&::-webkit-progress-value]:bg-accent"
      />
      <span id={id} className="tabular text-xs text-foreground">
        {formatPercent(value, value > 0 && value < 0.1 ? 1 : 0)}
      </span>
    </span>
  );
}
