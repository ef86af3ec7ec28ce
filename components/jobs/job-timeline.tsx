import type { TimelineEvent } from '@/components/jobs/job-events';
import { timelineEntries, type TimelineTone } from '@/components/jobs/timeline';
import { cn } from '@/components/ui/cn';

const DOT: Record<TimelineTone, string> = {
  neutral: 'bg-muted-foreground',
  accent: 'bg-accent',
  success: 'bg-success',
  warning: 'bg-warning',
  danger: 'bg-danger',
};

/** "12:04:09" (UTC), like every time on the page. */
function clock(iso: string): string {
  return new Date(iso).toISOString().slice(11, 19);
}

/** The job's story from its events: queued, placed, running, checkpoints, hosts lost, requeued, finished. */
export function JobTimeline({ events, unit }: { events: readonly TimelineEvent[]; unit: string }) {
  const entries = timelineEntries(events, unit);
  if (entries.length === 0) return <p className="text-sm text-muted-foreground">No events yet.</p>;
  return (
    <ol aria-label="Status timeline" className="flex flex-col gap-3 text-sm">
      {entries.map((entry) => (
        <li key={entry.key} className="grid grid-cols-[auto_auto_1fr] items-baseline gap-x-2">
          <span
            aria-hidden="true"
            className={cn('inline-block size-2 translate-y-[-1px] rounded-full', DOT[entry.tone])}
          />
          <time dateTime={entry.at} className="tabular text-xs text-muted-foreground">
            {clock(entry.at)}
          </time>
          <span className="min-w-0">
            <span className="font-medium">{entry.title}</span>
            {entry.detail ? (
              <span className="block text-xs text-muted-foreground">{entry.detail}</span>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
