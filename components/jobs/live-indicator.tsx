import type { LiveStatus } from '@/components/jobs/use-job-live';
import { cn } from '@/components/ui/cn';

const TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  ended: 'Finished',
};

const DOT: Record<LiveStatus, string> = {
  connecting: 'bg-muted-foreground',
  live: 'bg-success animate-pulse',
  reconnecting: 'bg-warning',
  ended: 'bg-muted-foreground',
};

/** Whether the page is receiving the job's events as they happen. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span
      role="status"
      className="inline-flex items-center gap-1.5 rounded border border-border px-1.5 py-0.5 text-xs text-muted-foreground"
      title={
        status === 'reconnecting'
          ? 'The live connection dropped; reconnecting and catching up on missed events.'
          : undefined
      }
    >
      <span aria-hidden="true" className={cn('inline-block size-2 rounded-full', DOT[status])} />
      <span className={cn(status === 'live' && 'text-foreground')}>{TEXT[status]}</span>
    </span>
  );
}
