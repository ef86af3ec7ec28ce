import type { AttemptView } from '@/lib/jobs/schemas';
import { JOB_TEMPLATES } from '@/lib/jobs/templates';
import { findGpuModel } from '@/lib/market/gpu-models';
import { regionName } from '@/lib/market/regions';
import type { JobState, JobStateFilter } from '@/lib/queries/jobs';

type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'accent';

export const JOB_STATE_LABEL: Record<JobState, string> = {
  queued: 'Queued',
  scheduled: 'Scheduled',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  out_of_budget: 'Out of budget',
};

export const JOB_STATE_TONE: Record<JobState, Tone> = {
  queued: 'neutral',
  scheduled: 'accent',
  running: 'accent',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'neutral',
  out_of_budget: 'warning',
};

export const STATE_FILTER_LABEL: Record<JobStateFilter, string> = {
  active: 'Active (queued, scheduled, running)',
  finished: 'Finished',
  ...JOB_STATE_LABEL,
};

export const ATTEMPT_STATE_LABEL: Record<AttemptView['state'], string> = {
  assigned: 'Assigned',
  running: 'Running',
  completed: 'Completed',
  host_lost: 'Host lost',
  preempted: 'Preempted',
  failed: 'Failed',
  cancelled: 'Cancelled',
  out_of_budget: 'Out of budget',
};

export const ATTEMPT_STATE_TONE: Record<AttemptView['state'], Tone> = {
  assigned: 'neutral',
  running: 'accent',
  completed: 'success',
  host_lost: 'danger',
  preempted: 'warning',
  failed: 'danger',
  cancelled: 'neutral',
  out_of_budget: 'warning',
};

export function templateName(id: string): string {
  return JOB_TEMPLATES.find((t) => t.id === id)?.name ?? id;
}

export function gpuName(modelId: string): string {
  return findGpuModel(modelId)?.name ?? modelId;
}

export { regionName };

/** "host_lost" → "host lost": reasons are machine words; shown as they are, only readable. */
export function reasonText(reason: string): string {
  return reason.replaceAll('_', ' ');
}

/** "1 h 05 m", "3 m 20 s", "45 s"; for metered time, ETAs and durations. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${String(seconds % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} m`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "480 frames", "20,000,000 tokens": work in the template's unit. */
export function formatUnits(units: number, unit: string): string {
  return `${units.toLocaleString('en-US')} ${unit}`;
}

export { formatMoney } from '@/lib/money';
