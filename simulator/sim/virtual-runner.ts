import { createHash } from 'node:crypto';
import type { Assignment } from '@/lib/agent/schemas';
import type { RunningWorkload, SyncRunner, WorkloadSink } from '@/lib/agent/runtime';
import type { Clock } from '@/lib/clock';
import { simLaneAnswer } from '@/simulator/sim/sha256-chain';
import { expectedUnitsPerHour, jobTemplate } from '@/lib/jobs/templates';

/**
 * The simulated fleet's runner: instead of a process, a workload whose state follows from the clock. It does
 * work at the node's real rate (the template's expected rate on the claimed model × the node's hidden
 * performance factor), saves a checkpoint every `checkpointEveryMs` of work, prints a few log lines, resumes
 * from the assignment's checkpoint and exits 0 when the work is done. State is computed when the agent polls
 * it before each heartbeat, so it needs no timers of its own.
 *
 * A known-answer job (a canary: `BACKFILL_KA_SEED` / `BACKFILL_KA_STEPS` in its env) runs like any `custom`
 * job and, when done, reports the known answer as its result — unless the node skips the assignment (a
 * `skip_work` cheater): then it reports progress and completes on the same schedule, with a wrong digest.
 */

export interface VirtualRunnerOptions {
  clock: Clock;
  /** The model the node is listed with, and how fast it really is relative to that model's reference. */
  gpuModel: string;
  performanceFactor: number;
  checkpointEveryMs?: number;
  /** Whether the node skips this attempt's work (`skipsAssignment` of profile.ts); never unless given. */
  skips?: (attemptId: string) => boolean;
}

/** The known-answer computation a canary asks for. */
export interface KnownAnswerJob {
  seed: string;
  steps: number;
}

/** Longest chain a virtual node computes for a canary (the server's canaries are ~20,000 steps). */
const MAX_KNOWN_ANSWER_STEPS = 10_000_000;

/** A canary's computation from its env, or null for an ordinary job (or variables that make no sense). */
export function knownAnswerJob(env: Readonly<Record<string, string>>): KnownAnswerJob | null {
  const seed = env.BACKFILL_KA_SEED;
  const steps = env.BACKFILL_KA_STEPS;
  if (seed === undefined || steps === undefined) return null;
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(seed) || !/^\d{1,8}$/.test(steps)) return null;
  const n = Number(steps);
  return n <= MAX_KNOWN_ANSWER_STEPS ? { seed, steps: n } : null;
}

/**
 * What a node that did the work prints as its result: lane 0 of the chain. One that skipped it has nothing to
 * print but a made-up digest.
 */
export function canaryResult(job: KnownAnswerJob, skipped: boolean, attemptId: string): string {
  if (skipped) return createHash('sha256').update(`skipped ${attemptId}`).digest('hex');
  return simLaneAnswer(job.seed, 0, job.steps);
}

type Describe = (units: number, total: number) => string;
const describeCustom: Describe = (u, t) => `work ${u}/${t} reference GPU-seconds`;
const LOG_LINES: Record<string, Describe> = {
  llm_inference: (u, t) => `generated ${u.toLocaleString('en-US')} / ${t.toLocaleString('en-US')} tokens`,
  lora_finetune: (u, t) => `step ${u}/${t} loss ${(2.1 * Math.exp(-u / Math.max(1, t)) + 0.3).toFixed(3)}`,
  multi_gpu_training: (u, t) =>
    `step ${u}/${t} loss ${(3.2 * Math.exp((-1.5 * u) / Math.max(1, t)) + 0.5).toFixed(3)} (all ranks in sync)`,
  render: (u, t) => `rendered frame ${u} of ${t}`,
  custom: describeCustom,
};

/** Units per millisecond a node does on an assignment. */
export function virtualRate(
  assignment: Pick<Assignment, 'template' | 'gpuIndexes'>,
  options: VirtualRunnerOptions,
): number {
  const gpus = Math.max(1, assignment.gpuIndexes.length);
  return (
    (expectedUnitsPerHour(assignment.template, options.gpuModel, gpus) * options.performanceFactor) /
    3_600_000
  );
}

/** A runner whose workloads start synchronously. */
export type VirtualRunner = SyncRunner;

export function createVirtualRunner(options: VirtualRunnerOptions): VirtualRunner {
  const checkpointEveryMs = options.checkpointEveryMs ?? 20_000;
  return {
    name: 'virtual',
    start(assignment: Assignment, sink: WorkloadSink): RunningWorkload {
      const started = options.clock.now().getTime();
      const rate = virtualRate(assignment, options);
      const from = Math.min(assignment.resumeFrom.units, assignment.workUnits);
      const total = assignment.workUnits;
      const describe = LOG_LINES[assignment.template] ?? describeCustom;
      const unitsAt = (elapsedMs: number) => Math.min(total, Math.floor(from + rate * elapsedMs));
      const canary = knownAnswerJob(assignment.env);
      const skipped = options.skips?.(assignment.attemptId) ?? false;
      let checkpoints = 0;
      let finished = false;
      let stopped = false;

      const template = jobTemplate(assignment.template);
      sink.log('stdout', `pulling ${assignment.image} (cached)`);
      sink.log(
        'stdout',
        `${template.name}: ${total.toLocaleString('en-US')} ${template.unit} on ${assignment.gpuIndexes.length} GPU(s)`,
      );
      if (from > 0)
        sink.log(
          'stdout',
          `resuming from checkpoint ${assignment.resumeFrom.ref ?? '(none)'} at ${from} ${template.unit}`,
        );

      return {
        poll() {
          if (finished || stopped) return;
          const elapsed = Math.max(0, options.clock.now().getTime() - started);
          const units = unitsAt(elapsed);
          const due = Math.floor(elapsed / checkpointEveryMs);
          if (due > checkpoints) {
            checkpoints = due;
            const at = unitsAt(due * checkpointEveryMs);
            if (at < total) {
              sink.checkpoint(at, `sim://${assignment.jobId}/ckpt-${at}`);
              sink.log('stdout', describe(at, total));
            }
          }
          sink.progress(units);
          if (units >= total) {
            finished = true;
            sink.log('stdout', describe(total, total));
            sink.log('stdout', 'done; results uploaded');
            if (canary) sink.result(canaryResult(canary, skipped, assignment.attemptId));
            sink.exit({ exitCode: 0 });
          }
        },
        async stop() {
          stopped = true;
        },
      };
    },
  };
}
