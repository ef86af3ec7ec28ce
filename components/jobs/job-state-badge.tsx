import { JOB_STATE_LABEL, JOB_STATE_TONE } from '@/components/jobs/job-labels';
import { Badge } from '@/components/ui/badge';
import type { JobState } from '@/lib/queries/jobs';

export function JobStateBadge({ state, className }: { state: JobState; className?: string }) {
  return (
    <Badge tone={JOB_STATE_TONE[state]} className={className}>
      {JOB_STATE_LABEL[state]}
    </Badge>
  );
}

/** Marks a job launched by the simulated demo demand, not by a person. */
export function SimulatedBadge() {
  return (
    <Badge tone="warning" title="Launched by the simulated demo demand on the demo network">
      Simulated
    </Badge>
  );
}
