import { num, str, type TimelineEvent } from '@/components/jobs/job-events';
import {
  formatDuration,
  formatMoney,
  formatUnits,
  gpuName,
  reasonText,
  regionName,
} from '@/components/jobs/job-labels';
import { formatUsd } from '@/lib/money';

export type TimelineTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

export interface TimelineEntry {
  /** The id of the (last) event behind the entry. */
  key: number;
  at: string;
  title: string;
  detail: string | null;
  tone: TimelineTone;
}

/** Checkpoints and settlements come in runs between state changes; each run is one line of the timeline. */
const PERIODIC = new Set(['checkpoint', 'charged']);

function attemptSuffix(data: Record<string, unknown>): string {
  const attempt = num(data, 'attempt');
  return attempt === null ? '' : ` (attempt ${attempt})`;
}

function money(data: Record<string, unknown>, key: string): string | null {
  const value = str(data, key);
  return value !== null && /^-?\d+$/.test(value) ? formatMoney(value) : null;
}

function describe(event: TimelineEvent, unit: string): Omit<TimelineEntry, 'key' | 'at'> {
  const { data } = event;
  const reason = str(data, 'reason');
  switch (event.type) {
    case 'queued':
      return { title: 'Queued', detail: reason ? reasonText(reason) : null, tone: 'neutral' };
    case 'scheduled': {
      const gpus = Array.isArray(data.gpuIndexes) ? data.gpuIndexes.length : null;
      const model = str(data, 'gpuModel');
      const region = str(data, 'region');
      const priceText = str(data, 'pricePerGpuHourMicros');
      const price = priceText !== null && /^\d+$/.test(priceText) ? formatUsd(priceText) : null;
      const parts = [
        gpus !== null && model ? `${gpus}× ${gpuName(model)}` : model ? gpuName(model) : null,
        region ? regionName(region) : null,
        price ? `${price}/GPU-hr` : null,
      ].filter(Boolean);
      return {
        title: `Scheduled on ${str(data, 'nodeName') ?? 'a node'}${attemptSuffix(data)}`,
        detail: parts.length ? parts.join(' · ') : null,
        tone: 'accent',
      };
    }
    case 'running':
      return { title: `Running${attemptSuffix(data)}`, detail: null, tone: 'accent' };
    case 'checkpoint': {
      const units = num(data, 'units');
      return {
        title: units === null ? 'Checkpoint' : `Checkpoint at ${formatUnits(units, unit)}`,
        detail: null,
        tone: 'neutral',
      };
    }
    case 'charged': {
      const charged = money(data, 'chargedMicros');
      const total = money(data, 'totalChargedMicros');
      const metered = num(data, 'meteredMs');
      return {
        title: charged ? `Charged ${charged}` : 'Charged',
        detail:
          [metered !== null ? `${formatDuration(metered)} metered` : null, total ? `total ${total}` : null]
            .filter(Boolean)
            .join(' · ') || null,
        tone: 'neutral',
      };
    }
    case 'attempt_ended': {
      const state = str(data, 'state');
      const metered = num(data, 'meteredMs');
      const forfeited = num(data, 'forfeitedMs');
      const lost = state === 'host_lost' || state === 'failed';
      return {
        title: `Attempt${num(data, 'attempt') === null ? '' : ` ${num(data, 'attempt')}`} ended: ${state ? reasonText(state) : 'no reason given'}`,
        detail:
          [
            reason && reason !== state ? reasonText(reason) : null,
            metered !== null ? `${formatDuration(metered)} metered` : null,
            forfeited ? `${formatDuration(forfeited)} forfeited, not charged` : null,
          ]
            .filter(Boolean)
            .join(' · ') || null,
        tone: lost ? 'danger' : state === 'completed' ? 'success' : 'neutral',
      };
    }
    case 'requeued': {
      const from = num(data, 'resumeFromUnits');
      return {
        title: `Requeued${reason ? `: ${reasonText(reason)}` : ''}`,
        detail: from === null ? null : `Resumes from ${formatUnits(from, unit)} (last checkpoint)`,
        tone: 'warning',
      };
    }
    case 'cancel_requested':
      return { title: 'Cancellation requested', detail: null, tone: 'neutral' };
    case 'suspect': {
      const refunded = money(data, 'refundedMicros');
      const attempts = Array.isArray(data.attempts) ? data.attempts.join(', ') : null;
      return {
        title: `Suspect: ${str(data, 'nodeName') ?? 'a node'} was quarantined${refunded ? `, ${refunded} refunded` : ''}`,
        detail:
          [attempts ? `attempt ${attempts}` : null, reason ? reasonText(reason) : null]
            .filter(Boolean)
            .join(' · ') || null,
        tone: 'warning',
      };
    }
    case 'rerun':
      return { title: 'Re-run launched', detail: null, tone: 'accent' };
    default: {
      const charged = money(data, 'chargedMicros');
      const released = money(data, 'releasedMicros');
      const title =
        event.type === 'succeeded'
          ? 'Succeeded'
          : event.type === 'failed'
            ? 'Failed'
            : event.type === 'cancelled'
              ? 'Cancelled'
              : 'Out of budget';
      return {
        title: reason && event.type !== 'succeeded' ? `${title}: ${reasonText(reason)}` : title,
        detail:
          [charged ? `charged ${charged}` : null, released ? `released ${released}` : null]
            .filter(Boolean)
            .join(' · ') || null,
        tone:
          event.type === 'succeeded'
            ? 'success'
            : event.type === 'failed'
              ? 'danger'
              : event.type === 'out_of_budget'
                ? 'warning'
                : 'neutral',
      };
    }
  }
}

/** One line for a run of several checkpoints and settlements: how many, the latest, the total. */
function describeRun(run: readonly TimelineEvent[], unit: string): Omit<TimelineEntry, 'key' | 'at'> {
  const checkpoints = run.filter((e) => e.type === 'checkpoint');
  const charges = run.filter((e) => e.type === 'charged');
  const lastUnits = checkpoints.reduce<number | null>((u, e) => num(e.data, 'units') ?? u, null);
  const sum = charges.reduce((total, e) => {
    const value = str(e.data, 'chargedMicros');
    return value !== null && /^\d+$/.test(value) ? total + BigInt(value) : total;
  }, 0n);
  const lastTotal = charges.reduce<string | null>((t, e) => money(e.data, 'totalChargedMicros') ?? t, null);
  const parts = [
    checkpoints.length === 1
      ? `Checkpoint${lastUnits === null ? '' : ` at ${formatUnits(lastUnits, unit)}`}`
      : checkpoints.length > 1
        ? `${checkpoints.length} checkpoints${lastUnits === null ? '' : `, latest at ${formatUnits(lastUnits, unit)}`}`
        : null,
    charges.length === 1
      ? `Charged ${formatMoney(sum)}`
      : charges.length > 1
        ? `Charged ${formatMoney(sum)} in ${charges.length} settlements`
        : null,
  ].filter(Boolean);
  return {
    title: parts.join(' · '),
    detail: lastTotal ? `total charged ${lastTotal}` : null,
    tone: 'neutral',
  };
}

/**
 * The timeline's lines, oldest first. A run of checkpoints and settlements between two state changes
 * becomes one line that says how many there were, the latest checkpoint and what they charged.
 */
export function timelineEntries(events: readonly TimelineEvent[], unit: string): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let run: TimelineEvent[] = [];
  const flush = () => {
    const last = run.at(-1);
    if (!last) return;
    const described = run.length === 1 ? describe(last, unit) : describeRun(run, unit);
    entries.push({ ...described, key: last.id, at: last.at });
    run = [];
  };
  for (const event of events) {
    if (PERIODIC.has(event.type)) {
      run.push(event);
      continue;
    }
    flush();
    entries.push({ ...describe(event, unit), key: event.id, at: event.at });
  }
  flush();
  return entries;
}
