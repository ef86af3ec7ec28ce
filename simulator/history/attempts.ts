import { MS_PER_HOUR } from '@/lib/clock';
import type { HistoryNode } from '@/simulator/history/network';
import { expectedUnitsPerHour } from '@/lib/jobs/templates';
import type { Rng } from '@/lib/random';
import { costOfMs } from '@/lib/scheduler/ranking';

/**
 * How one placement of a history job plays out, decided the moment it is placed — the way the live
 * marketplace would see it happen. The agent picks the assignment up at its next heartbeat and reports every
 * heartbeat; checkpoints settle the time run so far; the attempt ends at the report that says the work is
 * done or crashed, at the report where the budget would run out (with the live margin of two heartbeats of
 * spend), or — when the node goes down first — at the liveness check a lost-after window after its last
 * heartbeat, with the time since the last checkpoint forfeited. Money is computed with the live rounding
 * (`costOfMs` on cumulative time), so what the history's writer charges through the ledger is known here.
 */

export type AttemptEndKind =
  | 'completed'
  | 'failed'
  | 'out_of_budget'
  | 'host_lost'
  | 'cancelled'
  /** Still running when the history ended: handed over to the live network (see `handOverAttempt`). */
  | 'preempted';

export interface Checkpoint {
  at: number;
  units: number;
}

export interface AttemptEnd {
  kind: AttemptEndKind;
  /** When the attempt ended: the ending report, the liveness check that found the host gone, or the cancel. */
  at: number;
  /** The attempt's last report (null when the agent never picked it up): heartbeat-backed time runs to here. */
  lastReportAt: number | null;
  /** Progress the last report gave. */
  progressUnits: number;
}

export interface AttemptPlan {
  assignedAt: number;
  runningAt: number | null;
  resumeFromUnits: number;
  checkpoints: Checkpoint[];
  end: AttemptEnd;
  /** Running time settled (checkpoints and the end; never the forfeited part). */
  settledMs: number;
  /** Heartbeat-backed time lost with the host: neither charged nor paid. */
  forfeitedMs: number;
  /** What the attempt charges in total, at its locked price. */
  chargedMicros: bigint;
}

export interface AttemptInput {
  template: string;
  gpuCount: number;
  workUnits: number;
  resumeFromUnits: number;
  budgetMicros: bigint;
  /** Charged by the job's earlier attempts. */
  chargedBeforeMicros: bigint;
  /** The workload crashes when it reaches this many units. */
  failsAtUnits: number | null;
  checkpointEveryMs: number;
  node: Pick<HistoryNode, 'gpuModel' | 'perf' | 'price'>;
  /** When the node's current stretch of up-time ends (Infinity: not before the history's end). */
  upUntil: number;
  assignedAt: number;
}

export interface Timing {
  heartbeatIntervalMs: number;
  lostAfterMs: number;
}

/** The liveness check runs every scheduler tick: at the next whole second. */
export const nextTick = (at: number) => Math.ceil(at / 1000) * 1000;

function charge(ms: number, input: AttemptInput): bigint {
  const cost = costOfMs(ms, input.gpuCount, input.node.price);
  const held = input.budgetMicros - input.chargedBeforeMicros;
  return cost < held ? cost : held;
}

/** Running time after which the live budget check stops the attempt: its first report at or after that. */
function budgetStopMs(input: AttemptInput, hb: number): number {
  const left = input.budgetMicros - input.chargedBeforeMicros;
  if (left <= 0n) return 0;
  const perHour = BigInt(input.gpuCount) * input.node.price;
  // The least running time whose cost reaches what is left: costOfMs(x) ≥ left ⟺ x·gpus·price ≥ left·3.6e6.
  const least = Number((left * 3_600_000n + perHour - 1n) / perHour);
  return Math.max(0, Math.ceil((least - 2 * hb) / hb)) * hb;
}

export function planAttempt(rng: Rng, input: AttemptInput, timing: Timing): AttemptPlan {
  const hb = timing.heartbeatIntervalMs;
  const { assignedAt, resumeFromUnits: resume, workUnits: work } = input;
  const runningAt = assignedAt + rng.int(1, Math.max(1, Math.round(hb / 1000))) * 1000;
  if (input.upUntil <= runningAt) {
    // The host vanished before its agent picked the assignment up.
    const end: AttemptEnd = {
      kind: 'host_lost',
      at: nextTick(input.upUntil + timing.lostAfterMs),
      lastReportAt: null,
      progressUnits: resume,
    };
    return {
      assignedAt,
      runningAt: null,
      resumeFromUnits: resume,
      checkpoints: [],
      end,
      settledMs: 0,
      forfeitedMs: 0,
      chargedMicros: 0n,
    };
  }
  const unitsPerMs =
    (expectedUnitsPerHour(input.template, input.node.gpuModel, input.gpuCount) *
      input.node.perf *
      (0.97 + rng.next() * 0.06)) /
    MS_PER_HOUR;
  const onGrid = (ms: number) => Math.ceil(ms / hb) * hb;
  const progressAt = (at: number) => Math.min(work, resume + Math.floor(unitsPerMs * (at - runningAt)));

  let kind: AttemptEndKind = 'completed';
  let endAt = runningAt + onGrid((work - resume) / unitsPerMs);
  const fails = input.failsAtUnits;
  if (fails !== null && fails > resume && fails < work) {
    const failAt = runningAt + onGrid((fails - resume) / unitsPerMs);
    if (failAt < endAt) [kind, endAt] = ['failed', failAt];
  }
  const stopAt = runningAt + budgetStopMs(input, hb);
  if (stopAt < endAt) [kind, endAt] = ['out_of_budget', stopAt];

  let lastReportAt = endAt;
  let at = endAt;
  if (input.upUntil <= endAt) {
    kind = 'host_lost';
    // Its last heartbeat before it went down; the liveness check finds it silent a window later.
    lastReportAt = runningAt + Math.floor((input.upUntil - 1 - runningAt) / hb) * hb;
    at = nextTick(lastReportAt + timing.lostAfterMs);
  }
  const checkpoints: Checkpoint[] = [];
  const every = onGrid(input.checkpointEveryMs);
  for (let c = runningAt + every; kind === 'host_lost' ? c <= lastReportAt : c < endAt; c += every) {
    const units = progressAt(c);
    if (units >= work || (fails !== null && units >= fails)) break;
    checkpoints.push({ at: c, units });
  }
  const progressUnits = kind === 'completed' ? work : progressAt(lastReportAt);
  const settledTo = kind === 'host_lost' ? (checkpoints.at(-1)?.at ?? runningAt) : endAt;
  const settledMs = settledTo - runningAt;
  return {
    assignedAt,
    runningAt,
    resumeFromUnits: resume,
    checkpoints,
    end: { kind, at, lastReportAt, progressUnits },
    settledMs,
    forfeitedMs: lastReportAt - settledTo,
    chargedMicros: charge(settledMs, input),
  };
}

/**
 * The attempt stopped at `at`, before its planned end, with an end of `kind`: its last report is the last
 * heartbeat before then, later checkpoints never happened, and its progress is interpolated to that report.
 * `settled` says how much of its running time is charged: all of it up to the last report (a cancel, what the
 * live cancel settles) or only up to its last checkpoint (a handover, like a lost host).
 */
function stopAttempt(
  plan: AttemptPlan,
  input: AttemptInput,
  at: number,
  timing: Timing,
  kind: 'cancelled' | 'preempted',
  settled: 'to-last-report' | 'to-last-checkpoint',
): AttemptPlan {
  const hb = timing.heartbeatIntervalMs;
  if (plan.runningAt === null || at < plan.runningAt)
    return {
      ...plan,
      runningAt: null,
      checkpoints: [],
      end: { kind, at, lastReportAt: null, progressUnits: plan.resumeFromUnits },
      settledMs: 0,
      forfeitedMs: 0,
      chargedMicros: 0n,
    };
  let lastReportAt = plan.runningAt + Math.floor((at - plan.runningAt) / hb) * hb;
  if (plan.end.lastReportAt !== null) lastReportAt = Math.min(lastReportAt, plan.end.lastReportAt);
  const checkpoints = plan.checkpoints.filter((c) => c.at <= lastReportAt);
  const span = plan.end.lastReportAt !== null ? plan.end.lastReportAt - plan.runningAt : 0;
  const share = span > 0 ? (lastReportAt - plan.runningAt) / span : 0;
  const progressUnits = Math.max(
    checkpoints.at(-1)?.units ?? plan.resumeFromUnits,
    Math.floor(plan.resumeFromUnits + share * (plan.end.progressUnits - plan.resumeFromUnits)),
  );
  const settledTo = settled === 'to-last-report' ? lastReportAt : (checkpoints.at(-1)?.at ?? plan.runningAt);
  const settledMs = settledTo - plan.runningAt;
  return {
    ...plan,
    checkpoints,
    end: { kind, at, lastReportAt, progressUnits },
    settledMs,
    forfeitedMs: lastReportAt - settledTo,
    chargedMicros: charge(settledMs, input),
  };
}

/**
 * The customer cancels the attempt at `at`, before its planned end: the time up to its last report is
 * settled (what the live cancel does), later checkpoints never happened.
 */
export function cancelAttempt(
  plan: AttemptPlan,
  input: AttemptInput,
  at: number,
  timing: Timing,
): AttemptPlan {
  return stopAttempt(plan, input, at, timing, 'cancelled', 'to-last-report');
}

/**
 * The history ends at `at` while the attempt runs: it is handed over to the live network, the way a host that
 * takes its GPUs back preempts a lease — the time up to its last checkpoint is settled, the time since is not
 * charged (as after a lost host), and the job goes back to the queue from that checkpoint, where the live
 * scheduler places it within a tick.
 */
export function handOverAttempt(
  plan: AttemptPlan,
  input: AttemptInput,
  at: number,
  timing: Timing,
): AttemptPlan {
  return stopAttempt(plan, input, at, timing, 'preempted', 'to-last-checkpoint');
}
